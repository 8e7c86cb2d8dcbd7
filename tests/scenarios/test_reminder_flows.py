"""The two reminder flows of the agreement, a claim paid before any fee, and a business
debtor: each a whole story from the invoice to the collection list or to closing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.scenarios.story import Story, consumer_case, debtor_case

pytestmark = pytest.mark.e2e

REMINDER = "2026-03-09/case-1-reminder.pdf"
NOTICE = "2026-03-24/case-1-collection_notice.pdf"


@pytest.mark.parametrize(
    ("debtor", "recipient"), [("consumer", "Kari Nordmann"), ("business", "Kunde AS")]
)
def test_fee_free_reminder_then_notice_with_fee_then_the_list(
    story: Story, debtor: str, recipient: str
) -> None:
    """Due 03-02: the reminder 7 days after due with no fee and a 14-day deadline (03-23);
    the notice the day after that deadline with the 2026 fee of 37.50 (1/20 of 750), the
    same for a business debtor; on the list the day after the notice's deadline (04-07)."""
    debtor_case(story, debtor)
    assert story.days("2026-03-23", start="2026-03-05") == [
        ("2026-03-09", 1, "send_reminder", "2026-03-23", "0.00"),
    ]
    assert story.state(1) == "reminded"
    assert story.letters() == [REMINDER]
    assert story.charges() == [] and "3900" not in story.balances()
    reminder = story.text(REMINDER)
    assert "Betalingspåminnelse" in reminder and "Inkassovarsel" not in reminder
    assert "Betalingsfrist 23.03.2026" in reminder and "Å betale 2 500,00" in reminder
    assert f"{recipient};" in (story.paper / "2026-03-09" / "manifest.csv").read_text()

    assert story.days("2026-04-07") == [
        ("2026-03-24", 1, "send_notice", "2026-04-07", "37.50"),
    ]
    assert story.state(1) == "notified"
    assert story.letters() == [REMINDER, NOTICE]
    assert story.charges() == [(1, "fee", "37.50", "2026-03-24")]
    notice = story.text(NOTICE)
    assert "Inkassovarsel" in notice and "Betalingsfrist 07.04.2026" in notice
    assert "Hovedstol 2 500,00" in notice and "Gebyrer 37,50" in notice
    assert "Å betale 2 537,50" in notice and "0000000018" in notice

    assert story.days("2026-04-08") == [("2026-04-08", 1, "put_on_list", None, "0.00")]
    assert story.state(1) == "listed"
    (line,) = story.ok("collection", "list")
    assert (line["case"], line["deadline"], line["list_sent_on"]) == (1, "2026-04-07", None)
    assert story.balances()["3900"] == "-37.50"
    assert story.ledger_whole()["receivables_balance"] == "2537.50"


def test_notice_only_flow_sends_the_notice_as_the_first_letter_14_days_after_due(
    story: Story,
) -> None:
    """With the notice as the only reminder nothing is sent before due + 14 (03-16); then the
    notice with its fee; no reminder ever. The agreement refuses a notice earlier than 14."""
    consumer_case(story, flow="notice_only")
    story.refused(
        "collection", "agreement", "set", "notice_days=13", date="2026-03-05", says="notice_days:"
    )
    assert story.days("2026-03-15", start="2026-03-05") == []
    assert story.letters() == []
    assert story.days("2026-03-16") == [
        ("2026-03-16", 1, "send_notice", "2026-03-30", "37.50"),
    ]
    assert story.charges() == [(1, "fee", "37.50", "2026-03-16")]
    # Deadline Monday 03-30: on the list on Tuesday 03-31, and on that day's list too.
    assert story.days("2026-04-30") == [("2026-03-31", 1, "put_on_list", None, "0.00")]
    assert story.letters() == [
        "2026-03-16/case-1-collection_notice.pdf",
        "2026-03-31/collection-list.pdf",
    ]
    assert [r["kind"] for r in story.rows("case_letter")] == ["collection_notice"]
    assert story.history(1)[1:] == [
        ("2026-03-16", "send_notice"),
        ("2026-03-31", "put_on_list"),
        ("2026-03-31", "collection_list"),
    ]
    story.ledger_whole()


@pytest.mark.parametrize(
    ("pay_on", "pay_by", "letters"),
    [
        ("2026-03-20", ["--kid", "0000000018"], [REMINDER]),  # after the fee-free reminder
        ("2026-03-24", ["--invoice", "1"], [REMINDER]),  # the notice's day, before the run
        ("2026-03-06", ["--invoice", "1"], []),  # before any letter
    ],
)
def test_a_claim_paid_before_any_fee_closes_as_paid_at_no_cost(
    story: Story, pay_on: str, pay_by: list[str], letters: list[str]
) -> None:
    """Paid in full before the notice: the next run closes the case as paid; no fee is
    charged or booked, no notice is sent, and later days do nothing."""
    consumer_case(story)
    day_before = date.fromisoformat(pay_on) - timedelta(days=1)
    story.days(day_before.isoformat(), start="2026-03-05")
    paid = story.ok(
        "payments", "register", "--amount", "2500", "--date", pay_on, *pay_by, date=pay_on
    )
    assert [a["amount"] for a in paid["applied"]] == ["2500.00"]
    assert story.days("2026-05-31") == [(pay_on, 1, "close_settled", None, "0.00")]
    case = story.ok("collection", "case", "1")
    assert (case["state"], case["remaining"]) == ("closed", "0.00")
    assert [r["closed_reason"] for r in story.rows("collection_case")] == ["paid"]
    assert story.letters() == letters
    assert story.charges() == []
    assert all(p["account"] != "3900" for p in story.rows("posting"))
    balances = story.balances()
    assert (balances["1920"], balances["1500"]) == ("2500.00", "0.00")
    assert "3900" not in balances
    story.ledger_whole()
