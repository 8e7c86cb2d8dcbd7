"""`fordring collection`: the agreement, eligibility with reasons, sending, cases."""

from __future__ import annotations

import json

import pytest
from tests.builders import cli_business, cli_company, cli_consumer
from tests.conftest import Run
from tests.snapshot import snapshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def ready(run: Run) -> Run:
    """Two customers: a business with three invoices, a consumer with one; all due 03-16."""
    cli_company(run)
    cli_business(run)
    cli_consumer(run, "Kari")
    for customer, amount in (
        ("10000", "100"),
        ("10000", "200"),
        ("10001", "300"),
        ("10000", "400"),
    ):
        run("invoice", "create", "--customer", customer, "--line", f"Vare;1;{amount};0")
    return run


def test_agreement_set_is_validated_and_kept(ready: Run, database_url: str) -> None:
    shown = json.loads(
        ready("collection", "agreement", "set", "minimum_amount=150", "reminder_days=5").output
    )
    assert shown["minimum_amount"] == "150.00" and shown["reminder_days"] == 5
    assert json.loads(ready("collection", "agreement", "show").output)["reminder_days"] == 5
    before = snapshot(database_url)
    refused = ready("collection", "agreement", "set", "notice_days=10", "pay_to=bank")
    assert refused.exit_code == 2
    assert "notice_days:" in refused.output and "pay_to:" in refused.output
    assert snapshot(database_url) == before


def test_the_invoice_s_debtor_access_is_off_until_set_and_takes_yes_or_no(
    ready: Run, database_url: str
) -> None:
    shown = json.loads(ready("collection", "agreement", "show").output)
    assert shown["invoice_debtor_access"] is False
    before = snapshot(database_url)
    refused = ready("collection", "agreement", "set", "invoice_debtor_access=kanskje")
    assert refused.exit_code == 2 and "invoice_debtor_access:" in refused.output
    assert snapshot(database_url) == before
    on = json.loads(ready("collection", "agreement", "set", "invoice_debtor_access=ja").output)
    assert on["invoice_debtor_access"] is True
    off = ready("collection", "agreement", "set", "invoice_debtor_access=no")
    assert json.loads(off.output)["invoice_debtor_access"] is False


def test_check_gives_every_reason_with_a_code(ready: Run) -> None:
    ready("collection", "agreement", "set", "minimum_amount=150")
    early = json.loads(ready("collection", "check", date="2026-03-16").output)
    assert {r["code"] for e in early for r in e["reasons"]} == {"RUNNING_DAYS", "BELOW_MINIMUM"}
    later = json.loads(ready("collection", "check", "1", "2", date="2026-03-20").output)
    assert [(e["invoice"], e["eligible"]) for e in later] == [(1, False), (2, True)]
    assert later[0]["reasons"][0]["code"] == "BELOW_MINIMUM"


def test_send_refuses_an_ineligible_invoice_and_writes_nothing(
    ready: Run, database_url: str
) -> None:
    before = snapshot(database_url)
    result = ready("collection", "send", "1", "2", date="2026-03-10")
    assert result.exit_code == 2
    assert "invoice: 1:" in result.output and "RUNNING_DAYS" in result.output
    assert snapshot(database_url) == before


def test_send_all_eligible_consolidates_per_debtor_and_only_once(ready: Run) -> None:
    sent = json.loads(ready("collection", "send", "--all-eligible", date="2026-03-20").output)
    assert [(c["customer"], c["invoices"]) for c in sent["cases"]] == [
        (10000, [1, 2, 4]),
        (10001, [3]),
    ]
    business = sent["cases"][0]
    assert business["principal"] == "700.00" and len(business["kid"]) == 11
    assert sent["cases"][1]["kid"] == "0000000034"  # the invoice's own KID
    again = json.loads(ready("collection", "send", "--all-eligible", date="2026-03-20").output)
    assert again["cases"] == []
    assert {code for s in again["skipped"] for code in s["reasons"]} == {"ALREADY_SENT"}
    case = json.loads(ready("collection", "case", "1").output)
    assert case["state"] == "registered"
    assert [(e["kind"], e["day"]) for e in case["history"]] == [("registered", "2026-03-20")]
    assert [
        c["case"] for c in json.loads(ready("collection", "cases", "--state", "registered").output)
    ] == [1, 2]


def test_pause_resume_object_close_and_message_are_kept_in_history(
    ready: Run, database_url: str
) -> None:
    ready("collection", "send", "3", date="2026-03-20")
    paused = json.loads(
        ready("collection", "pause", "1", "--reason", "Avtalt", date="2026-03-21").output
    )
    assert paused == {"case": 1, "state": "paused", "closes_by_itself_on": "2026-09-21"}
    assert json.loads(ready("collection", "resume", "1").output)["state"] == "registered"
    assert json.loads(ready("collection", "object", "1").output)["state"] == "objected"
    ready("collection", "message", "1", "Kunden bestrider beløpet")
    assert json.loads(ready("collection", "close", "1").output)["state"] == "closed"
    before = snapshot(database_url)
    refused = ready("collection", "resume", "1")
    assert refused.exit_code == 2 and "a case that is closed cannot resume" in refused.output
    assert snapshot(database_url) == before
    history = json.loads(ready("collection", "case", "1").output)["history"]
    assert [e["kind"] for e in history] == [
        "registered",
        "pause",
        "resume",
        "object",
        "message",
        "close",
    ]
    assert history[1]["text"] == "registered → paused: Avtalt"


def test_an_unknown_case_is_named(ready: Run) -> None:
    result = ready("collection", "pause", "99")
    assert result.exit_code == 2 and "case: no case number 99" in result.output
