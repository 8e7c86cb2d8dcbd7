"""The payment-plan addition to salær (forskriften § 2-4) on a case in collection (issue 19):
charged once on a case, never again for a later plan; and only when the debtor was told it
before agreeing (the Lovavdelingen letter of 1996, docs/law.md)."""

from __future__ import annotations

import pytest

from tests.scenarios.story import Story
from tests.scenarios.test_payment_plan import in_collection

pytestmark = pytest.mark.e2e

__all__ = ["in_collection"]  # the fixture


def _propose(story: Story, day: str, *told: str) -> dict[str, object]:
    out: dict[str, object] = story.ok(
        "collection", "plan", "propose", "1", "--instalments", "6", "--first", "2026-05-04",
        *told, date=day,
    )  # fmt: skip
    return out


def test_a_second_plan_after_a_broken_one_brings_no_second_addition(
    in_collection: Story,
) -> None:
    """Kari's plan of 6 instalments brings the addition 1125.00; the creditor breaks it and
    accepts a new plan of 6 the next day: no addition again (300 + 1125, not + 1125 more)."""
    story = in_collection
    first = _propose(story, "2026-04-17", "--debtor-told")
    assert first["addition"] == "1125.00"
    story.ok("collection", "plan", "break", "1", date="2026-04-17")
    again = _propose(story, "2026-04-18", "--debtor-told")
    assert again["state"] == "proposed"  # an earlier plan broke: the creditor decides
    decided = story.ok("collection", "plan", "decide", "1", "accept", date="2026-04-18")
    assert decided["addition"] == "0.00"
    salaer = [str(c["amount"]) for c in story.rows("charge") if c["kind"] == "salaer"]
    assert salaer == ["300.00", "1125.00"]


def test_a_plan_agreed_without_telling_the_debtor_brings_no_addition(
    in_collection: Story,
) -> None:
    """The creditor proposes 6 instalments for Kari without saying she was told what the
    plan costs: no addition, only what was owed (2837.50) is spread."""
    out = _propose(in_collection, "2026-04-17")
    assert (out["addition"], out["total"]) == ("0.00", "2837.50")
    in_collection.ok("collection", "plan", "decide", "1", "accept", date="2026-04-17")
    salaer = [str(c["amount"]) for c in in_collection.rows("charge") if c["kind"] == "salaer"]
    assert salaer == ["300.00"]


def test_with_the_addition_a_count_and_an_amount_keep_the_amount_and_the_count_follows(
    in_collection: Story,
) -> None:
    """5 instalments of 600.00 pay the 2837.50 owed; the addition (5 > 4) makes 3962.50,
    so the amount stays 600.00 and the count follows: 7 instalments, the last 362.50
    (before, the proposal was refused as the count and amount no longer matched)."""
    out = in_collection.ok(
        "collection", "plan", "propose", "1", "--instalments", "5", "--amount", "600",
        "--first", "2026-05-04", "--debtor-told", date="2026-04-17",
    )  # fmt: skip
    amounts = [i["amount"] for i in out["instalments"]]
    assert amounts == ["600.00"] * 6 + ["362.50"]
    assert (out["addition"], out["total"]) == ("1125.00", "3962.50")
