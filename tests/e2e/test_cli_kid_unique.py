"""A KID names one open item, always (issue 14, point 1): `invoice create --kid` and the
`kid` column of `invoice import` refuse a KID another invoice or a case of the company has,
one given twice in the file, and one fordring makes for another invoice or case (that one
would get it too); at a collector, per client account. Refused: exit 2, the field named,
nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from tests.builders import ORGNR, cli_company, cli_consumer
from tests.conftest import Run
from tests.scenarios.bankfiles import CLIENT_ACCOUNT
from tests.snapshot import snapshot

from fordring.adapters.db.engine import normalise_url

pytestmark = pytest.mark.e2e

LINE = ("--line", "Vare;1;100;25")
CASE_1_KID = "00000000018"  # case 1's KID at KID length 10: 11 digits, MOD10
CLIENT_CASE_1_KID = "0001000000016"  # creditor 1's case 1 at its collector
COLLECTOR = "974760673"


@pytest.fixture
def ready(run: Run) -> Run:
    """Test AS, customers 10000 and 10001, invoice 1 to 10000 (KID 0000000018)."""
    cli_company(run)
    cli_consumer(run)
    cli_consumer(run, "Ola Nordmann")
    done = run("invoice", "create", "--customer", "10000", *LINE, date="2026-02-02")
    assert json.loads(done.output)["kid"] == "0000000018", done.output
    return run


def _refused(run: Run, database_url: str, *args: str, date: str = "2026-03-02") -> str:
    before = snapshot(database_url)
    done = run(*args, date=date, json=False)
    assert done.exit_code == 2, done.output
    assert snapshot(database_url) == before
    return done.output


def test_invoice_create_refuses_a_kid_another_invoice_has(ready: Run, database_url: str) -> None:
    said = _refused(
        ready, database_url, "invoice", "create", "--customer", "10001", *LINE, "--kid",
        "0000000018",
    )  # fmt: skip
    assert "kid: 0000000018 is already the KID of invoice 1" in said


def test_invoice_create_refuses_the_kid_fordring_makes_for_a_later_invoice(
    ready: Run, database_url: str
) -> None:
    said = _refused(
        ready, database_url, "invoice", "create", "--customer", "10001", *LINE, "--kid",
        "0000000059",
    )  # fmt: skip
    assert "kid: 0000000059 is the KID fordring makes for invoice 5" in said
    own = ready("invoice", "create", "--customer", "10001", *LINE, "--kid", "0000000026")
    assert own.exit_code == 0, own.output  # invoice 2's own KID, given by hand: fine


def test_invoice_create_refuses_the_kid_of_a_case(ready: Run, database_url: str) -> None:
    ready("invoice", "create", "--customer", "10000", *LINE, date="2026-02-02")
    sent = ready("collection", "send", "1", "2", date="2026-03-05")
    assert sent.exit_code == 0, sent.output
    case = json.loads(ready("collection", "case", "1", date="2026-03-05").output)
    assert case["kid"] == CASE_1_KID  # two invoices of one debtor: one case, a KID of its own
    said = _refused(
        ready, database_url, "invoice", "create", "--customer", "10001", *LINE, "--kid",
        CASE_1_KID, date="2026-03-05",
    )  # fmt: skip
    assert f"kid: {CASE_1_KID} is already the KID of case 1" in said


def _csv(tmp_path: Path, body: str) -> str:
    path = tmp_path / "faktura.csv"
    path.write_text("customer;description;quantity;unit_price;vat;kid\n" + body, "utf-8")
    return str(path)


def test_import_refuses_a_kid_given_twice_in_the_file(
    ready: Run, database_url: str, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "10000;Vare;1;100;25;000055500011\n"
        "10001;Vare;1;100;25;000055500029\n"
        "10001;Vare;1;100;25;000055500011\n",
    )
    said = _refused(ready, database_url, "invoice", "import", path)
    assert "line 4: kid: 000055500011 is given twice in the file (also line 2)" in said


def test_import_refuses_a_kid_an_invoice_has(ready: Run, database_url: str, tmp_path: Path) -> None:
    path = _csv(tmp_path, "10001;Vare;1;100;25;0000000018\n")
    said = _refused(ready, database_url, "invoice", "import", path)
    assert "line 2: kid: 0000000018 is already the KID of invoice 1" in said


def _served(run: Run) -> None:
    """Demo Inkasso AS serves Test AS (creditor 1) from its client account."""
    done = run(
        "collector", "add", "--orgnr", COLLECTOR, "--name", "Demo Inkasso AS", "--account",
        CLIENT_ACCOUNT,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    done = run("collector", "serve", ORGNR)
    assert done.exit_code == 0, done.output


def test_a_served_creditor_refuses_the_kids_of_its_cases_at_the_collector(
    ready: Run, database_url: str
) -> None:
    _served(ready)
    ready("collection", "agreement", "set", "reminder_flow=reminder_first")
    assert ready("collection", "send", "1", date="2026-03-05").exit_code == 0
    case = json.loads(ready("collection", "case", "1", date="2026-03-05").output)
    assert case["kid"] == CLIENT_CASE_1_KID
    create = ("invoice", "create", "--customer", "10001", *LINE, "--kid")
    said = _refused(ready, database_url, *create, CLIENT_CASE_1_KID, date="2026-03-05")
    assert f"kid: {CLIENT_CASE_1_KID} is already the KID of case 1" in said
    said = _refused(ready, database_url, *create, "0001000000024", date="2026-03-05")
    assert "kid: 0001000000024 is the KID fordring makes for case 2 (at the collector)" in said


def test_serving_is_refused_when_an_invoice_has_a_kid_of_the_creditors_cases(
    ready: Run, database_url: str
) -> None:
    done = ready("invoice", "create", "--customer", "10001", *LINE, "--kid", CLIENT_CASE_1_KID)
    assert done.exit_code == 0, done.output  # no collector yet: a KID like any other
    added = ready(
        "collector", "add", "--orgnr", COLLECTOR, "--name", "Demo Inkasso AS", "--account",
        CLIENT_ACCOUNT,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    said = _refused(ready, database_url, "collector", "serve", ORGNR)
    assert f"the invoice KIDs {CLIENT_CASE_1_KID} have the form of the case KIDs" in said


def test_a_case_kid_an_invoice_was_given_before_the_rule_stops_no_run(
    ready: Run, database_url: str
) -> None:
    """Invoice 2 was given case 1's KID by an older fordring (the upgrade claimed it for
    the invoice): sending invoices 1 and 3 to collection as case 1 still works, and
    `ledger check` names the KID the two share until a person settles it."""
    ready("invoice", "create", "--customer", "10001", *LINE, date="2026-02-02")
    ready("invoice", "create", "--customer", "10000", *LINE, date="2026-02-02")
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as connection:
        for table, key in (("invoice", "number = 2"), ("company_kid", "kid = '0000000026'")):
            connection.execute(text(f"UPDATE {table} SET kid = :k WHERE {key}"), {"k": CASE_1_KID})
    engine.dispose()
    sent = ready("collection", "send", "1", "3", date="2026-03-05")
    assert sent.exit_code == 0, sent.output
    assert json.loads(ready("collection", "case", "1", date="2026-03-05").output)["kid"] == (
        CASE_1_KID
    )
    check = ready("ledger", "check", date="2026-03-05")
    assert check.exit_code == 1
    assert json.loads(check.output)["kids_of_two_items"] == [CASE_1_KID]
