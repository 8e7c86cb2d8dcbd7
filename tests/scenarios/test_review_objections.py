"""Issue 12, items 2, 7 and 14: an objection stops every deadline and step, and a resumed
case gets its stage's letter again with a new deadline; an objection upheld cancels the
debtor's costs; a time-barred claim is not collected; the legal stage (a new payment
demand after 6 months, the notice under tvangsfullbyrdelsesloven § 4-18).

Most stories hand invoice 1 of 2500.00 (due 03-02) over on Thursday 04-16 with the payment
demand (deadline Thursday 04-30), light salær 300.00, heavy salær due on 05-29."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import cli_company, cli_consumer
from tests.scenarios.story import Story
from tests.scenarios.test_in_collection import COLLECTOR, NOTICE_FEE, handed_over

pytestmark = pytest.mark.e2e


def test_a_case_resumed_in_collection_gets_a_new_demand_and_heavy_salaer_counts_from_it(
    story: Story,
) -> None:
    """Objected on 05-10 (the demand's deadline 04-30 overrun by 10 days), resumed 40 days
    later on 06-19: no heavy salær, though 05-29 passed while objected. The run of 06-19
    sends a new payment demand (deadline 07-03) without new salær; heavy salær comes only
    on 08-01, its deadline overrun by more than 28 days."""
    handed_over(story, *COLLECTOR)
    assert story.days("2026-05-09") == []
    story.ok("collection", "object", "1", "--reason", "Feil beløp", date="2026-05-10")
    assert story.days("2026-06-18") == []  # 05-29 passes while objected
    assert story.ok("collection", "resume", "1", date="2026-06-19")["state"] == "in_collection"
    assert story.days("2026-06-19") == [
        ("2026-06-19", 1, "resend_after_objection", "2026-07-03", "0.00"),
    ]
    assert story.days("2026-07-31") == []  # no heavy salær the day after resume, nor later
    assert story.charges() == [NOTICE_FEE, (1, "salaer", "300.00", "2026-04-16")]
    new_demand = story.text("2026-06-19/case-1-payment_demand.pdf")
    assert "Betalingsoppfordring" in new_demand and "Inkassosalær 300,00" in new_demand
    assert "03.07.2026" in new_demand
    assert story.days("2026-08-01") == [("2026-08-01", 1, "heavy_salaer", None, "300.00")]
    assert story.charges()[2:] == [(1, "salaer", "300.00", "2026-08-01")]
    story.ledger_whole()


def test_an_objection_stops_every_step_and_charge_while_it_stands(story: Story) -> None:
    """Objected the day after the hand-over: for half a year nothing happens, no letter, no
    salær, no interest note; the case sleeps until the day its claim is time-barred."""
    handed_over(story, *COLLECTOR)
    story.ok("collection", "object", "1", date="2026-04-17")
    assert story.days("2026-10-31") == []
    assert story.charges() == [NOTICE_FEE, (1, "salaer", "300.00", "2026-04-16")]
    (case,) = story.rows("collection_case")
    assert (case["state"], case["wake_on"].isoformat()) == ("objected", "2029-03-03")
    story.ledger_whole()


def test_an_objection_upheld_closes_the_case_and_cancels_every_cost(story: Story) -> None:
    """Objected on 05-04; on 05-11 the creditor finds the debtor right: the case closes as
    objection_upheld, the notice fee is cancelled (KORR), the salær 300.00 becomes the
    creditor's cost on 7790 (still owed to the collector on 2910), the debtor owes no
    costs; the invoice stays open for the creditor to credit. Nothing follows."""
    handed_over(story, *COLLECTOR)
    story.refused(
        "collection",
        "object-upheld",
        "1",
        date="2026-05-04",
        says="only an objected case",
    )
    story.ok("collection", "object", "1", date="2026-05-04")
    done = story.ok(
        "collection", "object-upheld", "1", "--reason", "Varen var mangelfull", date="2026-05-11"
    )
    assert (done["state"], done["closed_reason"]) == ("closed", "objection_upheld")
    assert [r["closed_reason"] for r in story.rows("collection_case")] == ["objection_upheld"]
    case = story.ok("collection", "case", "1", date="2026-05-11")
    assert (case["fees_open"], case["salaer_open"], case["interest_open"]) == (
        "0.00",
        "0.00",
        "0.00",
    )
    assert case["interest_accrued"] == "0.00" and case["owed"] == "2500.00"
    history = case["history"][-1]
    assert history["kind"] == "object_upheld" and "Varen var mangelfull" in history["text"]
    assert "no costs" in history["text"]
    assert story.days("2026-10-31") == []
    balances = story.balances()
    assert (balances["3900"], balances["7790"], balances["2910"]) == ("0.00", "300.00", "-300.00")
    assert balances["1500"] == "2500.00"
    story.ledger_whole()


def old_invoice(story: Story, *, flow: str = "reminder_first") -> None:
    """Company, consumer 10000 and invoice 1 of 2500.00 issued 2023-02-16, due 2023-03-02:
    time-barred from 2026-03-03 (foreldelsesloven §§ 2, 3, 29)."""
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok("collection", "agreement", "set", f"reminder_flow={flow}")
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2023-02-16"
    )


def test_a_time_barred_claim_is_sent_only_with_the_day_its_limitation_was_interrupted(
    story: Story,
) -> None:
    """On 2026-03-03 the claim due 2023-03-02 is time-barred: check says TIME_BARRED and
    send refuses it; a stated interruption in the future or before the due date is bad
    input; interrupted on 2025-06-10 (a new 3 years run), it is sent and collected."""
    old_invoice(story)
    (found,) = story.ok("collection", "check", "1", date="2026-03-02")
    assert found["eligible"] is True  # the last day of the 3 years
    (found,) = story.ok("collection", "check", "1", date="2026-03-03")
    assert [r["code"] for r in found["reasons"]] == ["TIME_BARRED"]
    assert "2026-03-02" in found["reasons"][0]["text"]
    story.refused("collection", "send", "1", date="2026-03-03", says="TIME_BARRED")
    for bad in ("2026-03-04", "2023-03-01", "not-a-day"):
        story.refused(
            "collection",
            "send",
            "1",
            "--limitation-interrupted",
            bad,
            date="2026-03-03",
            says="limitation-interrupted",
        )
    sent = story.ok(
        "collection", "send", "1", "--limitation-interrupted", "2025-06-10", date="2026-03-03"
    )
    assert [c["case"] for c in sent["cases"]] == [1]
    assert [r["limitation_interrupted_on"] for r in story.rows("case_invoice")] == [
        date(2025, 6, 10)
    ]
    assert story.days("2026-03-03", start="2026-03-03") == [
        ("2026-03-03", 1, "send_reminder", "2026-03-17", "0.00"),
    ]
    story.ledger_whole()


def test_an_objected_case_stops_when_its_claim_becomes_time_barred(story: Story) -> None:
    """Notice (fee 37.50) on 2026-02-20, objected on 02-23; on 03-03 the claim is
    time-barred: the case closes as time_barred, the fee is cancelled (the costs are
    time-barred with the claim, foreldelsesloven § 26), and nothing more happens."""
    old_invoice(story, flow="notice_only")
    story.ok("collection", "send", "1", date="2026-02-20")
    assert [s.step for s in story.days("2026-02-20", start="2026-02-20")] == ["send_notice"]
    story.ok("collection", "object", "1", date="2026-02-23")
    assert story.days("2026-03-10") == [("2026-03-03", 1, "close_time_barred", None, "0.00")]
    (case,) = story.rows("collection_case")
    assert (case["state"], case["closed_reason"]) == ("closed", "time_barred")
    assert story.history(1)[-1] == ("2026-03-03", "close_time_barred")
    view = story.ok("collection", "case", "1", date="2026-03-10")
    assert "2026-03-02" in view["history"][-1]["text"]
    assert (view["fees_open"], view["owed"]) == ("0.00", "2500.00")
    assert story.balances()["3900"] == "0.00"
    assert story.days("2026-12-31") == []
    story.ledger_whole()


def test_an_active_case_stops_before_a_letter_on_a_time_barred_claim(story: Story) -> None:
    """Reminder on 2026-02-20 (deadline 03-06); the claim is time-barred on 03-03, so the
    case closes that day and no notice follows on 03-07."""
    old_invoice(story)
    story.ok("collection", "send", "1", date="2026-02-20")
    assert story.days("2026-03-31", start="2026-02-20") == [
        ("2026-02-20", 1, "send_reminder", "2026-03-06", "0.00"),
        ("2026-03-03", 1, "close_time_barred", None, "0.00"),
    ]
    assert story.letters() == ["2026-02-20/case-1-reminder.pdf"]
    story.ledger_whole()
