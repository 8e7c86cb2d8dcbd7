"""Issue 12, item 4: the steps send letters only on banking days; steps without a letter
may happen on any day; the list and the hand-over move off days banks are closed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fordring.domain.collection.agreement import Agreement, ReminderFlow
from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.case_facts import CaseFacts, Claim, SentLetter, StepKind
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.list_days import collection_list_day, handover_day, is_list_day
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import next_action, wake_on
from fordring.domain.law.builtin_rates import rate_book

BOOK = rate_book()


def case(due: date) -> CaseFacts:
    return CaseFacts(1, CaseStatus(CaseState.REGISTERED), (Claim(1, due, Decimal(1000)),))


def test_a_reminder_due_on_a_sunday_waits_for_monday_and_wakes_the_case_then() -> None:
    facts = case(date(2026, 3, 22))  # due Sunday; the reminder 7 days later, Palm Sunday
    assert wake_on(facts, Agreement(), BOOK) == date(2026, 3, 30)
    assert next_action(facts, date(2026, 3, 29), Agreement(), BOOK) is None
    action = next_action(facts, date(2026, 3, 30), Agreement(), BOOK)
    assert action is not None and action.step is StepKind.SEND_REMINDER


@pytest.mark.parametrize(
    ("closed", "opens"),
    [
        (date(2026, 12, 24), date(2026, 12, 28)),  # Christmas Eve to Boxing Day, a Sunday
        (date(2026, 4, 2), date(2026, 4, 7)),  # Maundy Thursday to Easter Monday
        (date(2026, 5, 14), date(2026, 5, 15)),  # Ascension Day
        (date(2026, 5, 1), date(2026, 5, 4)),  # 1 May, a Friday
    ],
)
def test_a_notice_due_on_a_holiday_goes_on_the_next_banking_day(closed: date, opens: date) -> None:
    agreement = Agreement(reminder_flow=ReminderFlow.NOTICE_ONLY)
    facts = case(closed - timedelta(days=14))
    day = closed
    while day < opens:
        assert next_action(facts, day, agreement, BOOK) is None, day
        day += timedelta(days=1)
    action = next_action(facts, opens, agreement, BOOK)
    assert action is not None and action.step is StepKind.SEND_NOTICE


def test_an_interest_note_due_at_once_waits_over_a_weekend_but_a_closing_does_not() -> None:
    """Paid on Friday 05-08, six weeks late: after a notice the interest note is due at once,
    but goes on Monday; paid in the reminder stage, the case closes on Saturday."""
    paid = Claim(1, date(2026, 3, 2), Decimal(0), reductions=((date(2026, 5, 8), Decimal(1000)),))
    notice = SentLetter(LetterKind.COLLECTION_NOTICE, date(2026, 3, 24), date(2026, 4, 7))
    notified = CaseFacts(1, CaseStatus(CaseState.NOTIFIED), (paid,), letters=(notice,))
    assert next_action(notified, date(2026, 5, 9), Agreement(), BOOK) is None  # Saturday
    assert next_action(notified, date(2026, 5, 10), Agreement(), BOOK) is None  # Sunday
    note = next_action(notified, date(2026, 5, 11), Agreement(), BOOK)
    assert note is not None and note.step is StepKind.SEND_INTEREST_NOTE
    reminded = CaseFacts(1, CaseStatus(CaseState.REMINDED), (paid,))
    closing = next_action(reminded, date(2026, 5, 9), Agreement(), BOOK)
    assert closing is not None and closing.step is StepKind.CLOSE_SETTLED


@pytest.mark.parametrize(
    ("deadline", "list_day", "thursday"),
    [
        (date(2026, 3, 30), date(2026, 3, 31), date(2026, 4, 7)),  # Maundy Thursday
        (date(2026, 5, 11), date(2026, 5, 12), date(2026, 5, 15)),  # Ascension Day
        (date(2026, 12, 15), date(2026, 12, 22), date(2026, 12, 28)),  # Christmas Eve
        # Christmas Day a Tuesday: the list goes on Thursday 12-27, the hand-over waits for the
        # next Thursday so the creditor keeps its days to stop a case.
        (date(2029, 12, 20), date(2029, 12, 27), date(2030, 1, 3)),
        (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 5)),  # an ordinary week
    ],
)
def test_the_list_tuesday_and_hand_over_thursday_move_to_the_next_banking_day(
    deadline: date, list_day: date, thursday: date
) -> None:
    assert collection_list_day(deadline) == list_day
    assert is_list_day(list_day)
    assert handover_day(list_day) == thursday


def test_list_days_are_the_tuesdays_or_the_first_banking_day_after_one() -> None:
    days = [date(2029, 12, 17) + timedelta(days=n) for n in range(21)]
    assert [d for d in days if is_list_day(d)] == [
        date(2029, 12, 18),
        date(2029, 12, 27),  # 25 and 26 December are holidays
        date(2030, 1, 2),  # 1 January, a Tuesday
    ]
