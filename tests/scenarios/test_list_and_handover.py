"""The collection list on the first Tuesday after the notice's deadline, the automatic
hand-over on the Thursday after it, and the creditor's approval in manual mode.

The hand-over's own letter (payment demand with salær) is being built: these stories check
the state and the day of the hand-over only."""

from __future__ import annotations

import pytest

from tests.scenarios.story import Story, consumer_case

pytestmark = pytest.mark.e2e

LIST = "2026-04-14/collection-list.pdf"


def notified(story: Story, *, automatic: str) -> None:
    """Case 1 notified on 03-24 with the deadline Tuesday 04-07, on the list from 04-08; the
    run has done every day up to Monday 04-13."""
    consumer_case(story)
    story.ok("collection", "agreement", "set", f"automatic_handover={automatic}")
    steps = story.days("2026-04-13", start="2026-03-05")
    assert [(s.day, s.step) for s in steps] == [
        ("2026-03-09", "send_reminder"),
        ("2026-03-24", "send_notice"),
        ("2026-04-08", "put_on_list"),
    ]


def handed_over(story: Story, case: int) -> list[tuple[str, str]]:
    """(day, kind) of the hand-over events in the case history."""
    return [(day, kind) for day, kind in story.history(case) if kind == "hand_over"]


def test_the_list_goes_out_on_tuesday_and_the_case_is_handed_over_on_thursday(
    story: Story,
) -> None:
    """Deadline Tuesday 04-07: not on that day's list, but on the next Tuesday's (04-14),
    which announces the hand-over on Thursday 04-16; the case is in collection that day."""
    notified(story, automatic="yes")
    (line,) = story.ok("collection", "list")
    assert (line["case"], line["deadline"], line["list_sent_on"]) == (1, "2026-04-07", None)
    assert "2026-04-07/collection-list.pdf" not in story.letters()
    assert story.days("2026-04-15") == []
    assert LIST in story.letters()
    listed = story.text(LIST)
    assert "Inkassoliste" in listed and "1 Kari Nordmann 1 24.03.2026 07.04.2026" in listed
    assert "16.04.2026" in listed  # the hand-over day it announces
    (line,) = story.ok("collection", "list")
    assert line["list_sent_on"] == "2026-04-14"
    assert story.state(1) == "listed" and handed_over(story, 1) == []
    steps = story.days("2026-04-16")
    assert [(s.day, s.case, s.step) for s in steps] == [("2026-04-16", 1, "hand_over")]
    assert story.state(1) == "in_collection"
    assert handed_over(story, 1) == [("2026-04-16", "hand_over")]
    assert story.ok("collection", "list") == []  # no longer waiting on the list
    story.ledger_whole()


def test_a_case_paused_after_the_list_is_not_handed_over(story: Story) -> None:
    """Automatic mode, but the creditor pauses the case on Wednesday 04-15: Thursday passes
    and the case stays paused, with no hand-over."""
    notified(story, automatic="yes")
    story.days("2026-04-14")
    story.ok("collection", "pause", "1", "--reason", "Avklares", date="2026-04-15")
    assert story.days("2026-04-30") == []
    assert story.state(1) == "paused" and handed_over(story, 1) == []
    story.ledger_whole()


def test_manual_mode_waits_for_the_creditors_approval(story: Story) -> None:
    """Without automatic hand-over the case waits on the list past Thursday; the list says
    the creditor must approve; approved on 05-04 (after the run of 04-30), the case is in
    collection that day, not on a day before the approval."""
    notified(story, automatic="no")
    assert story.days("2026-04-30") == []
    assert story.state(1) == "listed" and handed_over(story, 1) == []
    assert "Sakene blir ikke sendt til inkasso før du har godkjent dem" in story.text(LIST)
    approved = story.ok("collection", "approve", "1", date="2026-05-04")
    assert (approved["approved"], approved["handover_on"]) == ([1], "2026-05-04")
    story.days("2026-05-04")
    assert story.state(1) == "in_collection"
    assert handed_over(story, 1) == [("2026-05-04", "hand_over")]
    story.refused("collection", "approve", "1", date="2026-05-05", says="cannot hand over")
    story.ledger_whole()


def test_approve_all_hands_over_only_the_cases_on_the_list(story: Story) -> None:
    """Two cases: case 1 listed, case 2 (sent a week later) still notified. Approving case
    2 by number is refused and changes nothing; `approve --all` takes case 1 only."""
    notified(story, automatic="no")
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;1;500;25", date="2026-02-23"
    )
    story.ok("collection", "send", "2", date="2026-04-13")
    assert story.days("2026-04-14") == [
        ("2026-04-14", 2, "send_reminder", "2026-04-28", "0.00"),
    ]
    story.refused(
        "collection", "approve", "1", "2", date="2026-04-15", says="reminded cannot hand over"
    )
    approved = story.ok("collection", "approve", "--all", date="2026-04-15")
    assert approved["approved"] == [1]
    story.days("2026-04-15")
    assert {c["case"]: c["state"] for c in story.ok("collection", "cases")} == {
        1: "in_collection",
        2: "reminded",
    }
    story.ledger_whole()
