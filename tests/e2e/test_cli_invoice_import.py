"""`fordring invoice import`: grouped lines, numbering, all-or-nothing, once only."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from tests import builders
from tests.builders import ACCOUNT, ORGNR
from tests.conftest import Run
from tests.snapshot import snapshot

from fordring.services.ports import UnitOfWorkFactory

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


@pytest.mark.parametrize(
    "saved_again",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b.replace(b"\n", b"\r"), id="cr"),
        pytest.param(lambda b: b + b"\n\n", id="blank lines at the end"),
        pytest.param(lambda b: b.replace(b"\n", b"\n\n", 1), id="a blank line inside"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="byte-order mark"),
        pytest.param(lambda b: b.rstrip(b"\n"), id="no last line end"),
    ],
)
def test_an_unnumbered_file_saved_again_by_another_program_is_not_imported_again(
    ready: Run, database_url: str, tmp_path: Path, saved_again: Callable[[bytes], bytes]
) -> None:
    """Rows without numbers are numbered from the series: a second import of the same rows
    is every invoice twice. Line ends, blank lines and a BOM do not make another file."""
    body = ";10000;2026-01-10;;Leie;1;100;0;\n;10001;2026-01-11;;Kurs;2;1500;0;\n"
    first = Path(_csv(tmp_path, body))
    assert json.loads(ready("invoice", "import", str(first)).output)["invoices"] == 2
    before = snapshot(database_url)
    again = tmp_path / "faktura-lagret-igjen.csv"
    again.write_bytes(saved_again(first.read_bytes()))
    result = json.loads(ready("invoice", "import", str(again)).output)
    assert (result["status"], result["file"]) == ("already_imported", "faktura.csv")
    assert snapshot(database_url) == before


def test_a_file_imported_before_its_hash_was_of_the_text_is_still_known(
    ready: Run, database_url: str, tmp_path: Path, uow_factory: UnitOfWorkFactory
) -> None:
    """Imports stored before issue 14 are under the SHA-256 of the file's bytes."""
    path = Path(_csv(tmp_path, ";10000;2026-01-10;;Leie;1;100;0;\r\n"))
    with uow_factory(builders.scope(uow_factory)) as uow:
        raw = hashlib.sha256(path.read_bytes()).hexdigest()
        uow.imports.add("invoices", raw, "faktura.csv", 1, date(2026, 1, 10))
        uow.commit()
    before = snapshot(database_url)
    result = json.loads(ready("invoice", "import", str(path)).output)
    assert (result["status"], result["imported_on"]) == ("already_imported", "2026-01-10")
    assert snapshot(database_url) == before


@pytest.mark.parametrize("command", ["customer", "invoice"])
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"root:$6$Qx9.salt$hashhash:19000:0:99999:7:::\n", id="shadow"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", id="binary"),
        pytest.param(b"secret-token-1234;other\n1;2\n", id="one line of text"),
    ],
)
def test_a_file_that_is_no_csv_of_ours_is_refused_without_a_word_of_its_content(
    ready: Run, database_url: str, tmp_path: Path, command: str, content: bytes
) -> None:
    path = tmp_path / "shadow"
    path.write_bytes(content)
    before = snapshot(database_url)
    result = ready(command, "import", str(path))
    assert result.exit_code == 2
    assert "is not" in result.output
    for word in ("root", "$6$", "hash", "PDF", "obj", "secret", "token", "other"):
        assert word not in result.output
    assert snapshot(database_url) == before


def test_an_unknown_column_is_named(ready: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("customer;beløp;descripton\n10000;5;x\n", encoding="utf-8")
    result = ready("invoice", "import", str(path))
    assert result.exit_code == 2
    assert "line 1 (header): beløp: unknown column" in result.output
    assert (
        "line 1 (header): descripton (did you mean description?): unknown column" in result.output
    )
    assert "description: required column is missing" in result.output


def test_an_excel_file_in_windows_1252_imports(ready: Run, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    rows = [HEADER.strip(), ";10000;10.01.2026;;Kjøp æøå;1;1\xa0234,50;0;"]
    path.write_bytes("\r\n".join(rows).encode("cp1252") + b"\r\n")
    assert json.loads(ready("invoice", "import", str(path)).output)["invoices"] == 1
    invoice = json.loads(ready("invoice", "show", "1").output)
    assert invoice["total"] == "1234.50" and invoice["lines"][0]["text"] == "Kjøp æøå"


def test_a_file_in_neither_utf8_nor_windows_1252_is_refused(ready: Run, tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes((HEADER + ";10000;;;Kjøp æøå;1;1;0;\n").encode("utf-16"))
    result = ready("invoice", "import", str(path))
    assert result.exit_code == 2 and "save it as CSV UTF-8" in result.output


def test_an_invoice_number_that_exists_is_refused(ready: Run, tmp_path: Path) -> None:
    ready("invoice", "create", "--customer", "10000", "--line", "x;1;1;0")
    result = ready("invoice", "import", _csv(tmp_path, "1;10000;;;Leie;1;100;25;\n"))
    assert result.exit_code == 2 and "invoice 1 already exists" in result.output
