"""A day run again changes nothing, and a transition the state table does not allow is
refused with exit code 2 and a message, with every row and every letter left as it was."""

from __future__ import annotations

import pytest

from tests.builders import cli_company, cli_consumer
from tests.scenarios.story import Story, consumer_case

pytestmark = pytest.mark.e2e


def test_running_a_day_again_adds_no_letter_fee_posting_or_step(story: Story) -> None:
    """For each day something happens (reminder, notice with fee, listing, the Tuesday
    list, the Thursday hand-over), running that day again, directly, with --to, as a dry
    run, or an earlier day, reports it already run and changes no row and no file."""
    consumer_case(story)
    story.ok("collection", "agreement", "set", "automatic_handover=yes")
    expected = {
        "2026-03-09": "send_reminder",
        "2026-03-24": "send_notice",
        "2026-04-08": "put_on_list",
        "2026-04-14": None,  # the collection list only
        "2026-04-16": "hand_over",
    }
    start = "2026-03-05"
    for day, step in expected.items():
        done = story.days(day, start=start)
        assert [(s.day, s.step) for s in done if s.day == day] == ([(day, step)] if step else [])
        before = story.snapshot()
        for args in (
            ["run"],
            ["run", "--to", day],
            ["run", "--dry-run"],
            ["run", "--to", start],
        ):
            again = story.ok(*args, date=day)
            assert (again["already_run_to"], again["steps"]) == (day, []), args
        assert story.snapshot() == before, day
        start = day
    assert len(story.rows("run_log")) == 43  # 03-05 to 04-16, each day once
    notice_fees = [c for c in story.charges() if c[3] == "2026-03-24"]
    assert notice_fees == [(1, "fee", "37.50", "2026-03-24")]
    assert sum(1 for r in story.rows("case_event") if r["kind"] == "send_notice") == 1
    story.ledger_whole()


@pytest.fixture
def four_cases(story: Story) -> Story:
    """Kari's invoices 1-4 (unconsolidated) in cases 1-4 from 03-05, automatic hand-over:
    case 1 in collection on 04-16, case 2 paid and closed on 03-06, case 3 paused and case
    4 objected on 03-06; the run has done every day up to 04-17."""
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok("collection", "agreement", "set", "consolidated=no", "automatic_handover=yes")
    for _ in range(4):
        story.ok(
            "invoice", "create", "--customer", "10000", "--line", "Time;1;400;25", date="2026-02-16"
        )
    story.ok("collection", "send", "1", "2", "3", "4", date="2026-03-05")
    story.days("2026-03-05", start="2026-03-05")
    story.ok("payments", "register", "--amount", "500", "--invoice", "2", date="2026-03-06")
    story.ok("collection", "pause", "3", date="2026-03-06")
    story.ok("collection", "object", "4", "--reason", "Feil beløp", date="2026-03-06")
    steps = story.days("2026-04-17")
    assert [(s.day, s.case, s.step) for s in steps if s.case != 1] == [
        ("2026-03-06", 2, "close_settled"),
    ]
    assert ("2026-04-16", 1, "hand_over") in [(s.day, s.case, s.step) for s in steps]
    assert [c["state"] for c in story.ok("collection", "cases")] == [
        "in_collection",
        "closed",
        "paused",
        "objected",
    ]
    return story


REFUSED = [
    (["resume", "2"], "a case that is closed cannot resume"),
    (["pause", "1"], "a case that is in_collection cannot pause"),
    (["resume", "1"], "a case that is in_collection cannot resume"),
    (["close", "2"], "a case that is closed cannot close"),
    (["object", "2"], "a case that is closed cannot object"),
    (["pause", "3"], "a case that is paused cannot pause"),
    (["object", "4"], "a case that is objected cannot object"),
    (["pause", "4"], "a case that is objected cannot pause"),
    (["approve", "3"], "a case that is paused cannot hand over"),
    (["approve", "1"], "a case that is in_collection cannot hand over"),
    (["pause", "99"], "case: no case number 99"),
]


def test_invalid_transitions_are_refused_and_change_nothing(four_cases: Story) -> None:
    """Resuming a closed case, pausing a case in collection and the other moves the table
    does not have: each exits 2 naming the state and the action, and no row, letter or
    file changes; the cases then go on as before."""
    for args, message in REFUSED:
        four_cases.refused("collection", *args, date="2026-04-18", says=message)
    assert [c["state"] for c in four_cases.ok("collection", "cases")] == [
        "in_collection",
        "closed",
        "paused",
        "objected",
    ]
    assert four_cases.ok("collection", "resume", "3", date="2026-04-18")["state"] == "registered"
    assert four_cases.ok("collection", "resume", "4", date="2026-04-18")["state"] == "registered"
    four_cases.ledger_whole()
