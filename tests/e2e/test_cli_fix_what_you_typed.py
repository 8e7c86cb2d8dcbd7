"""Fixing what was typed (issue 15 point 4): `company change` checks as `company add` does
and records who changed what and when; new KID settings never give a KID twice; a second
customer with an organisation number in use needs `--allow-duplicate`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.builders import ACCOUNT, ORGNR
from tests.conftest import Run
from tests.snapshot import snapshot

pytestmark = pytest.mark.e2e
OTHER_ACCOUNT = "12345678903"


@pytest.fixture
def ready(run: Run) -> Run:
    run("company", "add", "--orgnr", ORGNR, "--name", "Test AS", "--account", ACCOUNT)
    run("customer", "add", "--name", "Bakeri AS", "--orgnr", "988077917")
    return run


def test_a_company_change_is_checked_made_and_recorded(ready: Run, database_url: str) -> None:
    before = snapshot(database_url)
    refused = ready("company", "change", "--account", "86011117948", "--postcode", "12")
    assert refused.exit_code == 2
    assert "account:" in refused.output and "postcode:" in refused.output
    assert snapshot(database_url) == before  # nothing written, nothing recorded
    changed = ready(
        "company",
        "change",
        "--account",
        OTHER_ACCOUNT,
        "--name",
        "Test Øst AS",
        "--no-vat",
        date="2026-03-05",
    )
    assert changed.exit_code == 0, changed.output
    shown = json.loads(ready("company", "show").output)
    assert (shown["account"], shown["name"], shown["vat_registered"]) == (
        OTHER_ACCOUNT,
        "Test Øst AS",
        False,
    )
    (logged,) = json.loads(ready("company", "changes").output)
    assert logged["business_date"] == "2026-03-05" and logged["actor"] == "command line"
    assert logged["at"]
    assert logged["changes"] == {
        "account": {"before": ACCOUNT, "after": OTHER_ACCOUNT},
        "name": {"before": "Test AS", "after": "Test Øst AS"},
        "vat_registered": {"before": "yes", "after": "no"},
    }
    again = snapshot(database_url)
    ready("company", "change", "--account", OTHER_ACCOUNT)  # the same again: nothing new
    assert snapshot(database_url) == again


def test_new_kid_settings_apply_to_new_invoices_and_old_kids_stay(ready: Run) -> None:
    ready("invoice", "create", "--customer", "10000", "--line", "Kurs;1;1000;25")
    old_kid = json.loads(ready("invoice", "show", "1").output)["kid"]
    assert len(old_kid) == 10
    changed = ready("company", "change", "--kid", "mod11", "--kid-length", "12")
    assert changed.exit_code == 0, changed.output
    ready("invoice", "create", "--customer", "10000", "--line", "Kurs;1;1000;25")
    assert json.loads(ready("invoice", "show", "1").output)["kid"] == old_kid
    assert len(json.loads(ready("invoice", "show", "2").output)["kid"]) == 12
    assert json.loads(ready("ledger", "check").output)["ok"]


def test_kid_settings_under_which_a_coming_case_gets_a_given_kid_are_refused(
    ready: Run, database_url: str
) -> None:
    ready("invoice", "create", "--customer", "10000", "--line", "Kurs;1;1000;25")
    kid = json.loads(ready("invoice", "show", "1").output)["kid"]
    before = snapshot(database_url)
    # Invoice KIDs of 9 digits make case KIDs of 10: case 1 would get invoice 1's KID.
    refused = ready("company", "change", "--kid-length", "9")
    assert refused.exit_code == 2
    assert (
        f"kid: under mod10 length 9 a coming invoice or case would get a KID already "
        f"given: {kid} (would be case 1's)" in refused.output
    )
    assert snapshot(database_url) == before


def test_a_second_customer_with_an_orgnr_in_use_needs_allow_duplicate(ready: Run) -> None:
    refused = ready("customer", "add", "--name", "Bakeri AS avd. Bergen", "--orgnr", "988077917")
    assert refused.exit_code == 2
    assert "orgnr: 988077917 is already used by customer 10000" in refused.output
    assert "--allow-duplicate" in refused.output
    allowed = ready(
        "customer",
        "add",
        "--name",
        "Bakeri AS avd. Bergen",
        "--orgnr",
        "988077917",
        "--allow-duplicate",
    )
    assert allowed.exit_code == 0, allowed.output
    assert len(json.loads(ready("customer", "list").output)) == 2


def test_an_import_refuses_an_orgnr_in_use_or_twice_in_the_file(
    ready: Run, tmp_path: Path, database_url: str
) -> None:
    path = tmp_path / "kunder.csv"
    path.write_text(
        "name;orgnr\nNy AS;923609016\nBakeri AS;988077917\nNy AS igjen;923609016\n",
        encoding="utf-8",
    )
    before = snapshot(database_url)
    refused = ready("customer", "import", str(path))
    assert refused.exit_code == 2
    assert "line 3: orgnr: 988077917 is already used by customer 10000" in refused.output
    assert "line 4: orgnr: 923609016 is already used by the customer of line 2" in refused.output
    assert snapshot(database_url) == before


@pytest.fixture
def twice(ready: Run) -> Run:
    """Bakeri AS entered twice (10000, 10001), an invoice each, one part paid."""
    address = ("--address", "Torget 1", "--postcode", "0150", "--city", "Oslo")
    ready(
        "customer",
        "add",
        "--name",
        "Bakeri A/S",
        "--orgnr",
        "988077917",
        *address,
        "--allow-duplicate",
    )
    ready("invoice", "create", "--customer", "10000", "--line", "Brød;1;100;0")
    ready("invoice", "create", "--customer", "10001", "--line", "Kaker;1;200;0")
    ready("payments", "register", "--amount", "50", "--invoice", "2")
    return ready


def test_merge_moves_invoices_and_payments_and_the_ledger_stays_whole(twice: Run) -> None:
    merged = twice("customer", "merge", "10001", "10000", date="2026-03-03")
    assert merged.exit_code == 0, merged.output
    assert json.loads(merged.output)["moved"]["invoices"] == 1
    invoices = json.loads(twice("invoice", "list").output)
    assert [(i["number"], i["customer"]) for i in invoices] == [(1, 10000), (2, 10000)]
    row, _total = json.loads(twice("reskontro", "--aging").output)
    assert (row["customer"], row["total"]) == ("10000 Bakeri AS", "250.00")
    assert json.loads(twice("ledger", "check").output)["ok"]
    assert twice("customer", "show", "10001").exit_code == 2  # merged: found by no command
    assert [c["number"] for c in json.loads(twice("customer", "list").output)] == [10000]
    (logged,) = json.loads(twice("company", "changes").output)
    assert logged["subject"] == "customer 10001" and logged["business_date"] == "2026-03-03"
    assert logged["changes"]["merged_into"] == {"before": "10001", "after": "10000"}
    again = twice("customer", "merge", "10001", "10000")
    assert again.exit_code == 2  # a second time: 10001 is no customer any more
    assert twice("invoice", "create", "--customer", "10001", "--line", "x;1;1;0").exit_code == 2


def test_an_invoice_import_names_no_merged_customer(twice: Run, tmp_path: Path) -> None:
    twice("customer", "merge", "10001", "10000")
    path = tmp_path / "faktura.csv"
    path.write_text("customer;description;quantity;unit_price;vat\n10001;x;1;1;0\n", "utf-8")
    refused = twice("invoice", "import", str(path))
    assert refused.exit_code == 2 and "line 2: customer:" in refused.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("10000", "10000"), "cannot be merged into itself"),
        (("10001", "4242"), "no customer number 4242"),
        (("10002", "10000"), "is a consumer and 10000 a business"),
    ],
)
def test_a_merge_that_cannot_be_is_refused_and_writes_nothing(
    twice: Run, database_url: str, args: tuple[str, str], says: str
) -> None:
    twice("customer", "add", "--name", "Kari", "--consumer")
    before = snapshot(database_url)
    refused = twice("customer", "merge", *args)
    assert refused.exit_code == 2 and says in refused.output
    assert snapshot(database_url) == before


def test_a_customer_with_an_open_case_is_not_merged(twice: Run, database_url: str) -> None:
    sent = twice("collection", "send", "2", date="2026-03-20")
    assert sent.exit_code == 0, sent.output
    before = snapshot(database_url)
    refused = twice("customer", "merge", "10001", "10000", date="2026-03-20")
    assert refused.exit_code == 2
    assert "10001 has open collection cases (1)" in refused.output
    assert snapshot(database_url) == before
