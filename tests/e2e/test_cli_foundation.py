"""The fordring command line, end to end on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.builders import ACCOUNT, cli_business, cli_company
from tests.conftest import Run
from tests.snapshot import snapshot

from fordring.entrypoints.cli.main import cli

pytestmark = pytest.mark.e2e


@pytest.fixture
def ready(run: Run) -> Run:
    assert run("init").exit_code == 0
    cli_company(run)
    cli_business(run)
    return run


def test_init_is_safe_to_repeat(run: Run) -> None:
    first, second = run("init"), run("init")
    assert first.exit_code == second.exit_code == 0
    assert json.loads(first.output)["revision"] == json.loads(second.output)["revision"]


def test_invoice_create_prints_the_fields_scripts_need(ready: Run) -> None:
    result = ready(
        "invoice",
        "create",
        "--customer",
        "10000",
        "--line",
        "Time;7.5;1200;25",
        "--line",
        "Mat;2;49.95;15",
        "--terms",
        "10",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {
        k: data[k]
        for k in (
            "number",
            "kid",
            "issue_date",
            "due_date",
            "total",
            "vat",
            "open_amount",
            "status",
        )
    } == {
        "number": 1,
        "kid": "0000000018",
        "issue_date": "2026-03-02",
        "due_date": "2026-03-12",
        "total": "11364.89",
        "vat": "2264.99",
        "open_amount": "11364.89",
        "status": "open",
    }


def test_credit_list_show_and_reports(ready: Run) -> None:
    ready("invoice", "create", "--customer", "10000", "--line", "A;1;1000;25")
    ready("invoice", "create", "--customer", "10000", "--line", "B;1;500;0")
    credit = json.loads(ready("invoice", "credit", "1", "--line", "Rabatt;1;200;25").output)
    assert credit["kind"] == "credit_note" and credit["credits"] == 1
    shown = json.loads(ready("invoice", "show", "1").output)
    assert shown["open_amount"] == "1000.00" and shown["status"] == "partially_open"
    listed = json.loads(ready("invoice", "list", "--open").output)
    assert [row["number"] for row in listed] == [1, 2]
    aging = json.loads(ready("reskontro", "--aging", date="2026-04-20").output)
    assert aging[-1]["customer"] == "Total" and aging[-1]["31-60"] == "1500.00"
    tb = json.loads(ready("ledger", "trial-balance").output)
    assert tb["balanced"] and tb["debit"] == tb["credit"]
    assert json.loads(ready("ledger", "check").output)["ok"]
    vouchers = json.loads(ready("ledger", "vouchers", "--since", "2026-03-01").output)
    assert [v["type"] for v in vouchers] == ["UF", "UF", "KN"]
    human = ready("invoice", "show", "1", json=False).output
    assert "Open 1000.00 NOK (partially_open)" in human


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["company", "add", "--orgnr", "923609017", "--name", "X", "--account", ACCOUNT], "orgnr"),
        (
            ["company", "add", "--orgnr", "988077917", "--name", "X", "--account", "12345678901"],
            "account",
        ),
        (["customer", "add", "--name", "Y", "--orgnr", "123456789"], "orgnr"),
        (
            ["customer", "add", "--name", "Y", "--consumer", "--birth-date", "1990-13-01"],
            "birth_date",
        ),
        (["customer", "add", "--name", "Y", "--consumer", "--email", "nope"], "email"),
        (["invoice", "create", "--customer", "10000", "--line", "A;1;100;24"], "vat"),
        (["invoice", "create", "--customer", "10000", "--line", "A;x;100;25"], "quantity"),
        (["invoice", "create", "--customer", "10000", "--line", "A;1;1,2,3;25"], "unit_price"),
        (
            ["invoice", "create", "--customer", "10000", "--line", "A;1;100;25", "--kid", "123"],
            "kid",
        ),
        (
            [
                "invoice",
                "create",
                "--customer",
                "10000",
                "--line",
                "A;1;100;25",
                "--due",
                "2026-02-30",
            ],
            "due",
        ),
        (
            [
                "invoice",
                "create",
                "--customer",
                "10000",
                "--line",
                "A;1;100;25",
                "--due",
                "2026-03-01",
            ],
            "due",
        ),
        (["invoice", "create", "--customer", "99", "--line", "A;1;100;25"], "customer"),
        (["invoice", "create", "--customer", "10000", "--line", "A;1;-100;25"], "amount"),
        (["invoice", "credit", "1", "--line", "A;1;99999;25"], "amount"),
        (["ledger", "vouchers", "--since", "yesterday"], "since"),
        (["--date", "2026-02-29", "invoice", "list"], "date"),
    ],
)
def test_bad_input_exits_2_names_the_field_and_writes_nothing(
    ready: Run, database_url: str, args: list[str], field: str
) -> None:
    ready("invoice", "create", "--customer", "10000", "--line", "A;1;100;25")
    before = snapshot(database_url)
    result = ready(*args)
    assert result.exit_code == 2, result.output
    assert f"{field}:" in result.output
    assert snapshot(database_url) == before


def test_a_company_with_bad_identifiers_and_fields_names_every_one_at_once(
    ready: Run, database_url: str
) -> None:
    """The orgnr and account are read at the edge (MOD11), the other fields by the
    service's rules: a refused identifier still shows the other fields' problems."""
    before = snapshot(database_url)
    args = ["--orgnr", "923609017", "--name", "X\x01", "--account", "12345678901"]
    result = ready("company", "add", *args, "--postcode", "12", "--first-invoice-number", "0")
    assert result.exit_code == 2, result.output
    for field in ("orgnr:", "account:", "name:", "postcode:", "first_number:"):
        assert field in result.output
    assert snapshot(database_url) == before


def test_a_command_on_an_uninitialised_database_says_to_run_init(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(cli, ["--db", empty, "invoice", "list"])
    assert result.exit_code == 1
    assert "fordring init" in result.output


def test_without_a_company_commands_say_how_to_add_one(run: Run) -> None:
    result = run("invoice", "list")
    assert result.exit_code == 2
    assert "fordring company add" in result.output


def test_customer_import_is_all_or_nothing_and_once_only(
    ready: Run, database_url: str, tmp_path: Path
) -> None:
    good = tmp_path / "kunder.csv"
    good.write_text(
        "name;kind;orgnr;email;postcode;city\n"
        "Bakeri AS;business;988077917;post@bakeri.no;0150;Oslo\n"
        "Per Privat;consumer;;per@example.no;5003;Bergen\n",
        encoding="utf-8",
    )
    first = json.loads(ready("customer", "import", str(good)).output)
    assert first["status"] == "imported" and first["customers"] == 2
    before = snapshot(database_url)
    again = json.loads(ready("customer", "import", str(good)).output)
    assert again["status"] == "already_imported"
    assert snapshot(database_url) == before
    bad = tmp_path / "feil.csv"
    bad.write_text("name;orgnr\nOk AS;923609016\nFeil AS;923609017\n", encoding="utf-8")
    result = ready("customer", "import", str(bad))
    assert result.exit_code == 2 and "line 3: orgnr:" in result.output
    assert snapshot(database_url) == before


def test_reskontro_lists_open_items_oldest_first_with_days_past_due(ready: Run) -> None:
    ready("invoice", "create", "--customer", "10000", "--line", "A;1;100;0", "--terms", "30")
    ready("invoice", "create", "--customer", "10000", "--line", "B;1;200;0", "--terms", "10")
    ready("invoice", "create", "--customer", "10000", "--line", "C;1;300;0", "--terms", "10")
    ready("invoice", "credit", "3")
    items = json.loads(ready("reskontro", date="2026-03-20").output)
    assert [(i["number"], i["days_past_due"], i["open_amount"]) for i in items] == [
        (2, 8, "200.00"),
        (1, -12, "100.00"),
    ]
    assert {i["status"] for i in items} == {"open"}
