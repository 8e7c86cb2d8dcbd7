"""Issue 12, items 2, 7 and 14: an objection stops every deadline and step, and a resumed
case gets its stage's letter again with a new deadline; an objection upheld cancels the
debtor's costs; a time-barred claim is not collected; the legal stage (a new payment
demand after 6 months, the notice under tvangsfullbyrdelsesloven § 4-18).

Most stories hand invoice 1 of 2500.00 (due 03-02) over on Thursday 04-16 with the payment
demand (deadline Thursday 04-30), light salær 300.00, heavy salær due on 05-29."""

from __future__ import annotations

import pytest

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
    salær, no interest note; the case sleeps (wake-up day never)."""
    handed_over(story, *COLLECTOR)
    story.ok("collection", "object", "1", date="2026-04-17")
    assert story.days("2026-10-31") == []
    assert story.charges() == [NOTICE_FEE, (1, "salaer", "300.00", "2026-04-16")]
    (case,) = story.rows("collection_case")
    assert (case["state"], case["wake_on"].isoformat()) == ("objected", "9999-12-31")
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
