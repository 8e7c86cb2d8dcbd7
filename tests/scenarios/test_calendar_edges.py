"""The calendar's edges: deadlines over Easter and Christmas moved to the next banking
day (or not, by the agreement), a pause ending at a short month's end, and a gap of ten
days in the daily runs."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.builders import cli_company, cli_consumer
from tests.scenarios.story import Story, consumer_case

pytestmark = pytest.mark.e2e


def one_invoice(story: Story, *, due: str, issued: str, sent: str, settings: list[str]) -> None:
    """Company, consumer 10000, invoice 1 of 2500.00 due DUE, in case 1 from SENT."""
    cli_company(story.run)
    cli_consumer(story.run)
    if settings:
        story.ok("collection", "agreement", "set", *settings)
    story.ok(
        "invoice",
        "create",
        "--customer",
        "10000",
        "--line",
        "Time;2;1000;25",
        "--due",
        due,
        date=issued,
    )
    story.ok("collection", "send", "1", date=sent)


@pytest.mark.parametrize(
    ("move", "deadline", "listed", "list_day"),
    [
        # Good Friday 04-03, then a weekend and Easter Monday: the next banking day is 04-07.
        ("yes", "2026-04-07", "2026-04-08", "2026-04-14"),
        ("no", "2026-04-03", "2026-04-04", "2026-04-07"),
    ],
)
def test_a_notice_deadline_on_good_friday_moves_past_easter_when_the_agreement_says_so(
    story: Story, move: str, deadline: str, listed: str, list_day: str
) -> None:
    """Notice-only flow, due 03-06: the notice goes out on Friday 03-20, 14 days before
    Good Friday 2026 (Easter Sunday is 04-05). With move_deadlines the debtor has until
    Tuesday 04-07; without, until 04-03. The list follows the deadline either way."""
    one_invoice(
        story,
        due="2026-03-06",
        issued="2026-02-20",
        sent="2026-03-09",
        settings=["reminder_flow=notice_only", f"move_deadlines={move}"],
    )
    assert story.ok("collection", "agreement", "show")["move_deadlines"] is (move == "yes")
    assert story.days("2026-04-30", start="2026-03-09") == [
        ("2026-03-20", 1, "send_notice", deadline, "37.50"),
        (listed, 1, "put_on_list", None, "0.00"),
    ]
    day, month, year = deadline[8:], deadline[5:7], deadline[:4]
    notice = story.text("2026-03-20/case-1-collection_notice.pdf")
    assert f"Betalingsfrist {day}.{month}.{year}" in notice
    assert f"{list_day}/collection-list.pdf" in story.letters()
    story.ledger_whole()


def test_a_reminder_deadline_over_easter_holds_the_notice_back(story: Story) -> None:
    """Reminder-first, due 03-13: the reminder of 03-20 would run out on Good Friday; moved
    to 04-07, so the notice (with its fee) comes on 04-08, after Easter, not on 04-04."""
    one_invoice(story, due="2026-03-13", issued="2026-02-27", sent="2026-03-16", settings=[])
    assert story.days("2026-04-23", start="2026-03-16") == [
        ("2026-03-20", 1, "send_reminder", "2026-04-07", "0.00"),
        ("2026-04-08", 1, "send_notice", "2026-04-22", "37.50"),
        ("2026-04-23", 1, "put_on_list", None, "0.00"),
    ]
    assert "Betalingsfrist 07.04.2026" in story.text("2026-03-20/case-1-reminder.pdf")
    story.ledger_whole()


@pytest.mark.parametrize(
    ("due", "sent", "notice_day", "deadline", "listed"),
    [
        # 12-24 (banks closed), 25-26 holidays, 27 Sunday: Monday 12-28.
        ("2026-11-26", "2026-11-27", "2026-12-10", "2026-12-28", "2026-12-29"),
        # 12-31 (banks closed), New Year's Day, a weekend: Monday 2027-01-04.
        ("2026-12-03", "2026-12-04", "2026-12-17", "2027-01-04", "2027-01-05"),
    ],
)
def test_a_notice_deadline_on_christmas_or_new_years_eve_moves_to_the_next_banking_day(
    story: Story, due: str, sent: str, notice_day: str, deadline: str, listed: str
) -> None:
    """24 and 31 December are no banking days in Norway: the deadline moves on past the
    holidays; the case is listed the day after, a Tuesday, and on that day's list."""
    one_invoice(
        story, due=due, issued="2026-11-02", sent=sent, settings=["reminder_flow=notice_only"]
    )
    assert story.days(listed, start=sent) == [
        (notice_day, 1, "send_notice", deadline, "37.50"),
        (listed, 1, "put_on_list", None, "0.00"),
    ]
    assert f"{listed}/collection-list.pdf" in story.letters()
    story.ledger_whole()


def test_a_pause_from_the_31st_closes_on_the_last_day_of_a_shorter_month(
    story: Story,
) -> None:
    """Paused on 03-31 after the notice: six months on is 09-31, which does not exist, so
    the case closes by itself on 09-30; the fee charged stays owed in the ledger."""
    consumer_case(story)
    story.days("2026-03-30", start="2026-03-05")
    paused = story.ok("collection", "pause", "1", date="2026-03-31")
    assert paused["closes_by_itself_on"] == "2026-09-30"
    assert story.days("2026-10-31") == [
        ("2026-09-30", 1, "close_expired_pause", None, "0.00"),
    ]
    assert story.ledger_whole()["receivables_balance"] == "2537.50"


def staggered(story: Story) -> None:
    """Three cases of Kari at three stages, run every day up to 03-05 and then not for ten
    days: case 1's notice deadline runs out on 03-10, case 2's reminder deadline on 03-09,
    and case 3's reminder falls due on 03-09, all inside the gap (03-06 to 03-15)."""
    cli_company(story.run)
    cli_consumer(story.run)
    for issued in ("2026-01-19", "2026-02-02", "2026-02-16"):  # due 02-02, 02-16, 03-02
        story.ok(
            "invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date=issued
        )
    story.ok("collection", "send", "1", date="2026-02-03")
    story.ok("collection", "send", "2", date="2026-02-17")
    story.ok("collection", "send", "3", date="2026-03-05")
    story.days("2026-03-05", start="2026-02-03")
    assert [c["state"] for c in story.ok("collection", "cases")] == [
        "notified",
        "reminded",
        "registered",
    ]


def test_after_a_ten_day_gap_one_run_does_each_overdue_step_once(story: Story) -> None:
    """One `fordring run` on 03-16 catches up: every case takes the one step it was due,
    none is skipped (case 3 gets its reminder, not straight a notice) and none doubled; the
    collection list of the missed Tuesday (03-10) goes out with the run. The next day's run
    (a Tuesday) adds no letter, fee, step or second list."""
    staggered(story)
    letters, charges = story.letters(), story.charges()
    done = story.run_on("2026-03-16")
    assert Counter((s.case, s.step) for s in done) == {
        (1, "put_on_list"): 1,
        (2, "send_notice"): 1,
        (3, "send_reminder"): 1,
    }
    new = [name.split("/")[1] for name in story.letters() if name not in letters]
    assert sorted(new) == [
        "case-2-collection_notice.pdf",
        "case-3-reminder.pdf",
        "collection-list.pdf",
    ]
    assert story.charges()[len(charges) :] == [(2, "fee", "37.50", story.charges()[-1][3])]
    assert story.run_on("2026-03-16") == []
    before = story.letters()
    assert story.run_on("2026-03-17") == []  # a Tuesday, but case 1 was on the 03-16 list
    assert story.letters() == before
    assert len(story.charges()) == len(charges) + 1
    story.ledger_whole()


def test_after_a_ten_day_gap_the_overdue_steps_are_dated_the_day_of_the_run(
    story: Story,
) -> None:
    """Issue 4 (done when): the steps a run catches up are dated the day of the run, and the
    deadlines count from that day, so the debtor gets the full 14 days."""
    staggered(story)
    assert story.run_on("2026-03-16") == [
        ("2026-03-16", 1, "put_on_list", None, "0.00"),
        ("2026-03-16", 2, "send_notice", "2026-03-30", "37.50"),
        ("2026-03-16", 3, "send_reminder", "2026-03-30", "0.00"),
    ]
    reminder = story.text("2026-03-16/case-3-reminder.pdf")
    assert "Dato 16.03.2026" in reminder and "Betalingsfrist 30.03.2026" in reminder
    story.ledger_whole()
