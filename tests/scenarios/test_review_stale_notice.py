"""A collection notice more than 6 months old is not used for a hand-over (complaint-board
practice, DOMAIN.md § 2; issue 12): the debtor gets a new notice first, and the case goes
on a new list and needs a new approval."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e

H2_RATE = """
[[forsinkelsesrente]]
half_year = "2026 H2"
value = 12.00
source = "test data: the 2026 H1 rate assumed to continue"
confirmed = false
"""


def test_an_approval_six_months_after_the_notice_gets_a_new_notice_not_a_hand_over(
    story: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notice 03-24 (fee 37.50), listed 04-08, on the list of 04-14; the creditor approves
    only on 09-25, more than 6 months after the notice. The run sends a new notice that day
    without a fee (deadline 10-09) instead of the payment demand; the case is listed again
    on 10-10 and goes on the list of Tuesday 10-13, and is handed over only once approved
    again (10-21), by the creditor itself (no collector in the agreement)."""
    rates = tmp_path / "rates.toml"
    rates.write_text(H2_RATE, encoding="utf-8")
    monkeypatch.setenv("FORDRING_RATES_FILE", str(rates))
    debtor_case(story, "consumer")
    steps = story.days("2026-09-24", start="2026-03-05")
    assert [(s.day, s.step) for s in steps] == [
        ("2026-03-09", "send_reminder"),
        ("2026-03-24", "send_notice"),
        ("2026-04-08", "put_on_list"),
    ]
    story.ok("collection", "approve", "1", date="2026-09-25")
    assert story.days("2026-10-20") == [
        ("2026-09-25", 1, "renew_notice", "2026-10-09", "0.00"),
        ("2026-10-10", 1, "put_on_list", None, "0.00"),
    ]
    notice = story.text("2026-09-25/case-1-collection_notice.pdf")
    assert "Inkassovarsel" in notice and "09.10.2026" in notice
    assert story.state(1) == "listed"
    listed = story.ok("collection", "list", date="2026-10-20")
    assert [(x["case"], x["notice_date"], x["list_sent_on"]) for x in listed] == [
        (1, "2026-09-25", "2026-10-13")
    ]
    story.ok("collection", "approve", "1", date="2026-10-21")
    # The creditor's own payment demand, with its demand fee; the renewal charged nothing.
    assert story.days("2026-10-21") == [("2026-10-21", 1, "hand_over", "2026-11-04", "112.50")]
    assert [c[1:3] for c in story.charges()] == [("fee", "37.50"), ("fee", "112.50")]
    story.ledger_whole()
