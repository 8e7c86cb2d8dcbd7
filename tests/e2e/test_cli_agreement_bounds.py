"""Settings that break the books are refused (issue 14, point 6): a posting account outside
its class, two balance-sheet settings on one account, a number beyond its bounds. Refused:
exit 2, the field named, nothing written; a value stored before the rule is named when read
and can be set right."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from tests.builders import cli_company, cli_consumer
from tests.conftest import Run
from tests.snapshot import snapshot

from fordring.adapters.db.engine import normalise_url

pytestmark = pytest.mark.e2e


@pytest.fixture
def ready(run: Run) -> Run:
    cli_company(run)
    cli_consumer(run)
    run("invoice", "create", "--customer", "10000", "--line", "Vare;1;1000;25", date="2026-01-05")
    return run


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("fee_account=1500", "fee_account: 1500 is not an income account"),
        ("interest_account=1920", "interest_account: 1920 is not an income account"),
        ("settlement_account=1920", "settlement_account: 1920 is also the bank_account"),
        ("notice_days=100000000", "notice_days: must be 14-365 days after due"),
    ],
)
def test_agreement_set_refuses_a_setting_that_breaks_the_books(
    ready: Run, database_url: str, setting: str, said: str
) -> None:
    before = snapshot(database_url)
    refused = ready("collection", "agreement", "set", setting, json=False)
    assert refused.exit_code == 2, refused.output
    assert said in refused.output and "Traceback" not in refused.output
    assert snapshot(database_url) == before
    ran = ready("run", date="2026-02-20")  # the run still books to the default accounts
    assert ran.exit_code == 0, ran.output
    assert json.loads(ready("ledger", "check", date="2026-02-20").output)["ok"]


def test_a_setting_stored_before_the_rule_is_named_and_can_be_set_right(
    ready: Run, database_url: str
) -> None:
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as connection:  # what an older fordring let through
        connection.execute(
            text(
                "INSERT INTO collection_setting (company_id, key, value) "
                "SELECT id, 'fee_account', '1500' FROM company"
            )
        )
    engine.dispose()
    shown = ready("collection", "agreement", "show", json=False)
    assert shown.exit_code == 2 and "fee_account: 1500 is not an income account" in shown.output
    ran = ready("run", date="2026-02-20", json=False)
    assert ran.exit_code == 2 and "fee_account" in ran.output  # nothing booked to 1500
    fixed = ready("collection", "agreement", "set", "fee_account=3900")
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(ready("collection", "agreement", "show").output)["fee_account"] == "3900"
