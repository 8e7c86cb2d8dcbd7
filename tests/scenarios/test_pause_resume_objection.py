"""The creditor's pause (closing by itself after six months), resume, and the debtor's
objection, which stops letters and fees until the creditor resumes the case."""

from __future__ import annotations

import pytest

from tests.scenarios.story import Story, consumer_case

pytestmark = pytest.mark.e2e

REMINDER = "2026-03-09/case-1-reminder.pdf"


@pytest.fixture
def reminded(story: Story) -> Story:
    """Case 1 (invoice 1, 2500.00, due 03-02) got its fee-free reminder on 03-09, deadline
    03-23; the run has done every day up to 03-11."""
    consumer_case(story)
    assert [s.step for s in story.days("2026-03-11", start="2026-03-05")] == ["send_reminder"]
    return story


def test_a_paused_case_closes_by_itself_six_months_later_with_no_letter_or_fee(
    reminded: Story,
) -> None:
    """Paused on 03-12: no notice when the reminder's deadline runs out, and on 09-12 the
    run closes the case as pause_expired; the claim stays open in the ledger."""
    paused = reminded.ok("collection", "pause", "1", "--reason", "Avtale", date="2026-03-12")
    assert paused == {"case": 1, "state": "paused", "closes_by_itself_on": "2026-09-12"}
    assert reminded.days("2026-09-11") == []
    assert reminded.state(1) == "paused"
    assert reminded.days("2026-09-30") == [
        ("2026-09-12", 1, "close_expired_pause", None, "0.00"),
    ]
    (case,) = reminded.rows("collection_case")
    assert (case["state"], case["closed_reason"]) == ("closed", "pause_expired")
    assert reminded.history(1) == [
        ("2026-03-05", "registered"),
        ("2026-03-09", "send_reminder"),
        ("2026-03-12", "pause"),
        ("2026-09-12", "close_expired_pause"),
    ]
    assert reminded.letters() == [REMINDER] and reminded.charges() == []
    assert reminded.ok("collection", "case", "1")["remaining"] == "2500.00"
    assert reminded.ledger_whole()["receivables_balance"] == "2500.00"


def test_resume_continues_from_the_state_the_case_left(reminded: Story) -> None:
    """Paused while reminded and resumed on 05-04: the case is reminded again, and as the
    reminder's deadline has long passed, the notice with its fee goes out that very day;
    its deadline (05-18) counts from then, and the case goes on the list on 05-19."""
    reminded.ok("collection", "pause", "1", date="2026-03-12")
    assert reminded.days("2026-05-03") == []
    resumed = reminded.ok("collection", "resume", "1", date="2026-05-04")
    assert resumed == {"case": 1, "state": "reminded", "closes_by_itself_on": None}
    assert reminded.days("2026-05-19") == [
        ("2026-05-04", 1, "send_notice", "2026-05-18", "37.50"),
        ("2026-05-19", 1, "put_on_list", None, "0.00"),
    ]
    assert reminded.letters() == [
        REMINDER,
        "2026-05-04/case-1-collection_notice.pdf",
        "2026-05-19/collection-list.pdf",  # a Tuesday: the list goes out the day it is made
    ]
    assert reminded.charges() == [(1, "fee", "37.50", "2026-05-04")]
    assert reminded.state(1) == "listed"
    assert reminded.ledger_whole()["receivables_balance"] == "2537.50"


def test_a_second_pause_counts_its_six_months_from_its_own_day(reminded: Story) -> None:
    """Paused 03-12, resumed 03-13, paused again 04-01 (before the reminder's deadline
    mattered): the first pause's day is forgotten, the case closes on 10-01, not 09-12."""
    reminded.ok("collection", "pause", "1", date="2026-03-12")
    reminded.ok("collection", "resume", "1", date="2026-03-13")
    assert reminded.days("2026-03-13") == []  # the reminder's deadline runs to 03-23
    again = reminded.ok("collection", "pause", "1", date="2026-03-14")
    assert again["closes_by_itself_on"] == "2026-09-14"
    assert reminded.days("2026-10-31") == [
        ("2026-09-14", 1, "close_expired_pause", None, "0.00"),
    ]
    assert reminded.letters() == [REMINDER] and reminded.charges() == []
    reminded.ledger_whole()


def test_an_objection_stops_letters_and_fees_until_the_creditor_resumes(
    reminded: Story,
) -> None:
    """The debtor objects on 03-12: for 11 weeks no notice and no fee, though the reminder's
    deadline ran out on 03-23. Resumed on 06-01, the fee-free reminder comes again that day
    with a new deadline (06-15), as that deadline ran while objected (issue 12); the notice
    and its fee follow on 06-16."""
    objected = reminded.ok(
        "collection", "object", "1", "--reason", "Varen er ikke levert", date="2026-03-12"
    )
    assert objected["state"] == "objected"
    assert reminded.days("2026-05-31") == []
    assert reminded.state(1) == "objected"
    assert reminded.letters() == [REMINDER] and reminded.charges() == []
    assert "3900" not in reminded.balances()
    history = reminded.ok("collection", "case", "1")["history"]
    assert history[-1]["kind"] == "object" and "Varen er ikke levert" in history[-1]["text"]

    assert reminded.ok("collection", "resume", "1", date="2026-06-01")["state"] == "reminded"
    assert reminded.days("2026-06-16") == [
        ("2026-06-01", 1, "send_stage_letter", "2026-06-15", "0.00"),
        ("2026-06-16", 1, "send_notice", "2026-06-30", "37.50"),
    ]
    assert reminded.charges() == [(1, "fee", "37.50", "2026-06-16")]
    assert reminded.balances()["3900"] == "-37.50"
    reminded.ledger_whole()


def test_an_objection_after_the_notice_keeps_the_case_off_the_list(reminded: Story) -> None:
    """Objected on 03-30 after the notice of 03-24 (deadline 04-07): the fee already charged
    stays owed, but the case does not go on the list. Resumed on 04-20, it gets the notice
    again, without a fee, with a new deadline (05-04), as the first one ran while objected
    (issue 12); it goes on the list on 05-05."""
    assert [s.step for s in reminded.days("2026-03-29")] == ["send_notice"]
    reminded.ok("collection", "object", "1", date="2026-03-30")
    assert reminded.days("2026-04-19") == []
    assert reminded.letters() == [REMINDER, "2026-03-24/case-1-collection_notice.pdf"]
    reminded.ok("collection", "resume", "1", date="2026-04-20")
    assert reminded.days("2026-05-05") == [
        ("2026-04-20", 1, "send_stage_letter", "2026-05-04", "0.00"),
        ("2026-05-05", 1, "put_on_list", None, "0.00"),
    ]
    notice = reminded.text("2026-04-20/case-1-collection_notice.pdf")
    assert "Inkassovarsel" in notice and "04.05.2026" in notice
    assert reminded.charges() == [(1, "fee", "37.50", "2026-03-24")]  # no second fee
    assert reminded.ledger_whole()["receivables_balance"] == "2537.50"
