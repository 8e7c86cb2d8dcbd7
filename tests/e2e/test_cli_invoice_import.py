"""`fordring invoice import`: grouped lines, numbering, all-or-nothing, once only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.builders import ACCOUNT, ORGNR
from tests.conftest import Run
from tests.snapshot import snapshot

pytestmark = pytest.mark.e2e
HEADER = "number;customer;issue_date;due_date;description;quantity;unit_price;vat;kid\n"


@pytest.fixture
def ready(run: Run) -> Run:
    run("company", "add", "--orgnr", ORGNR, "--name", "Test AS", "--account", ACCOUNT)
    run("customer", "add", "--name", "Kari", "--consumer")
    run("customer", "add", "--name", "Ola", "--consumer")
    return run


def _csv(tmp_path: Path, body: str, name: str = "faktura.csv") -> str:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


def test_rows_with_one_number_make_one_invoice(ready: Run, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "5001;10000;2026-01-10;2026-01-24;Leie;1;10000;0;\n"
        "5001;;;;Strøm;1;800;25;\n"
        ";10001;2026-01-11;;Kurs;2;1500;0;\n"
        "5003;10001;2026-01-12;2026-01-26;Varer;3;99,90;15;0000050039\n",
    )
    result = json.loads(ready("invoice", "import", path).output)
    assert (result["invoices"], result["lines"]) == (3, 4)
    first = json.loads(ready("invoice", "show", "5001").output)
    assert first["total"] == "11000.00" and len(first["lines"]) == 2
    numbered = json.loads(ready("invoice", "list").output)
    assert [row["number"] for row in numbered] == [1, 5001, 5003]
    assert json.loads(ready("invoice", "show", "1").output)["due_date"] == "2026-01-25"
    again = json.loads(
        ready("invoice", "create", "--customer", "10000", "--line", "x;1;1;0").output
    )
    assert again["number"] == 5004  # the series moves past imported numbers
    assert json.loads(ready("ledger", "check").output)["ok"]


def test_the_same_file_twice_changes_nothing(ready: Run, database_url: str, tmp_path: Path) -> None:
    path = _csv(tmp_path, ";10000;2026-01-10;;Leie;1;100;0;\n")
    ready("invoice", "import", path)
    before = snapshot(database_url)
    again = json.loads(ready("invoice", "import", path).output)
    assert again["status"] == "already_imported"
    assert snapshot(database_url) == before


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (";10000;2026-01-10;;Leie;1;100;24;", "line 3: vat:"),
        (";10000;2026-13-10;;Leie;1;100;25;", "line 3: issue_date:"),
        (";10000;2026-01-10;2026-01-01;Leie;1;100;25;", "line 3: due:"),
        (";10000;2026-01-10;;Leie;1;abc;25;", "line 3: unit_price:"),
        (";10000;2026-01-10;;Leie;1;100;25;123", "line 3: kid:"),
        (";424242;2026-01-10;;Leie;1;100;25;", "line 3: customer:"),
        (
            "2;10000;2026-01-10;;Leie;1;100;25;\n1;10000;;;Leie;1;100;25;",
            "line 4: number: invoice 1 appears twice",
        ),
        (";10000;2026-01-10;;Leie;1;100;25", "line 3: file:"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(
    ready: Run, database_url: str, tmp_path: Path, row: str, problem: str
) -> None:
    path = _csv(tmp_path, f"1;10000;2026-01-10;;Leie;1;100;25;\n{row}\n")
    before = snapshot(database_url)
    result = ready("invoice", "import", path)
    assert result.exit_code == 2, result.output
    assert problem in result.output
    assert snapshot(database_url) == before


def test_an_unknown_column_is_named(ready: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("customer;beløp\n10000;5\n", encoding="utf-8")
    result = ready("invoice", "import", str(path))
    assert result.exit_code == 2
    assert "header: beløp: unknown column" in result.output
    assert "description: required column is missing" in result.output


def test_a_file_that_is_not_utf8_is_refused(ready: Run, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + ";10000;;;Kjøp æøå;1;1;0;\n").encode("latin-1"))
    result = ready("invoice", "import", str(path))
    assert result.exit_code == 2 and "not UTF-8" in result.output


def test_an_invoice_number_that_exists_is_refused(ready: Run, tmp_path: Path) -> None:
    ready("invoice", "create", "--customer", "10000", "--line", "x;1;1;0")
    result = ready("invoice", "import", _csv(tmp_path, "1;10000;;;Leie;1;100;25;\n"))
    assert result.exit_code == 2 and "invoice 1 already exists" in result.output
