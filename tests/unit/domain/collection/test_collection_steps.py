"""The steps over simulated calendars: each letter on its day, each once, none skipped."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from fordring.domain.collection.agreement import Agreement, ReminderFlow
from fordring.domain.collection.case import CaseStatus, CloseReason, apply_event
from fordring.domain.collection.case_facts import Action, CaseFacts, Claim, StepKind
from fordring.domain.collection.list_days import collection_list_day, handover_day
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps import after, next_action
from fordring.domain.law.builtin_rates import rate_book

BOOK = rate_book()
REMINDER_FIRST = Agreement()
NOTICE_ONLY = Agreement(reminder_flow=ReminderFlow.NOTICE_ONLY)


def case(*dues: date, state: CaseState = CaseState.REGISTERED) -> CaseFacts:
    claims = tuple(Claim(i, due, Decimal(1000)) for i, due in enumerate(dues, start=1))
    return CaseFacts(1, CaseStatus(state), claims)


def run_days(
    facts: CaseFacts, days: list[date], agreement: Agreement = REMINDER_FIRST
) -> tuple[CaseFacts, list[tuple[date, Action]]]:
    done: list[tuple[date, Action]] = []
    for day in days:
        action = next_action(facts, day, agreement, BOOK)
        if action is not None:
            facts = after(facts, action, day)
            done.append((day, action))
            assert next_action(facts, day, agreement, BOOK) is None, "a day run twice does nothing"
    return facts, done


def every_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_fee_free_reminder_then_notice_with_fee_then_the_list() -> None:
    facts, done = run_days(case(date(2026, 3, 2)), every_day(date(2026, 3, 2), date(2026, 5, 1)))
    assert [(day, a.step) for day, a in done] == [
        (date(2026, 3, 9), StepKind.SEND_REMINDER),  # due + 7
        (date(2026, 3, 24), StepKind.SEND_NOTICE),  # the day after the reminder's deadline
        (date(2026, 4, 8), StepKind.PUT_ON_LIST),  # the day after the notice's deadline
    ]
    reminder, notice = done[0][1], done[1][1]
    assert (
        reminder.fee_total == 0
        and reminder.deadline
        and reminder.deadline.deadline == date(2026, 3, 23)
    )
    assert notice.fee_total == Decimal("37.50")  # 1/20 × inkassosats 750 (2026)
    assert notice.deadline and notice.deadline.deadline == date(2026, 4, 7)
    assert facts.status.state is CaseState.LISTED and facts.charges_open == Decimal("37.50")


def test_notice_only_deadline_over_easter_moves_to_the_next_banking_day() -> None:
    _, done = run_days(
        case(date(2026, 3, 5)), every_day(date(2026, 3, 5), date(2026, 4, 30)), NOTICE_ONLY
    )
    (day, notice), (listed_on, listing) = done
    assert day == date(2026, 3, 19)  # due + 14: the fee is allowed
    assert notice.fee_total == Decimal("37.50")
    assert notice.deadline and notice.deadline.unadjusted == date(2026, 4, 2)  # Maundy Thursday
    assert notice.deadline.deadline == date(2026, 4, 7)  # after Easter Monday
    assert listed_on == date(2026, 4, 8) and listing.step is StepKind.PUT_ON_LIST


def test_a_ten_day_gap_then_one_run_does_each_overdue_step_once_dated_that_day() -> None:
    days = [date(2026, 3, 2), *every_day(date(2026, 3, 13), date(2026, 4, 20))]  # gap 3-12 March
    _, done = run_days(case(date(2026, 3, 2)), days)
    assert [(day, a.step) for day, a in done] == [
        (date(2026, 3, 13), StepKind.SEND_REMINDER),  # overdue since 9 March, sent on the run day
        # its deadline counts from 13 March: 03-27; Saturday 03-28 is no banking day, so the
        # notice goes on Monday (issue 12)
        (date(2026, 3, 30), StepKind.SEND_NOTICE),
        (date(2026, 4, 14), StepKind.PUT_ON_LIST),
    ]


def test_a_consolidated_notice_charges_one_fee_shared_by_its_invoices() -> None:
    """Issue 12: one fee per letter (inkassoforskriften § 1-2), not one per invoice; each
    invoice allowed a fee carries a share, so its own § 1-3 history counts the fee."""
    facts = case(date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 5))
    later, done = run_days(facts, every_day(date(2026, 3, 2), date(2026, 3, 31)), NOTICE_ONLY)
    notice = done[0][1]
    assert done[0][0] == date(2026, 3, 19)  # 14 days after the last due date
    assert [(i, d.amount) for i, d in notice.fees if d.allowed] == [
        (1, Decimal("12.50")),
        (2, Decimal("12.50")),
        (3, Decimal("12.50")),
    ]
    assert notice.fee_total == Decimal("37.50")
    assert all(c.letters[-1].fee_charged for c in later.claims)


def test_an_objection_stops_every_step_until_resumed() -> None:
    objected = case(date(2026, 3, 2), state=CaseState.OBJECTED)
    objected = replace(objected, status=CaseStatus(CaseState.OBJECTED, CaseState.REGISTERED))
    _, done = run_days(objected, every_day(date(2026, 3, 2), date(2026, 6, 1)))
    assert done == []


def test_a_paused_case_closes_by_itself_after_six_months() -> None:
    paused = replace(
        case(date(2026, 3, 2)),
        status=apply_event(CaseStatus(CaseState.REMINDED), CaseEvent.PAUSE, date(2026, 3, 31)),
    )
    _, done = run_days(paused, every_day(date(2026, 9, 28), date(2026, 10, 2)))
    assert [(day, a.step) for day, a in done] == [(date(2026, 9, 30), StepKind.CLOSE_EXPIRED_PAUSE)]
    assert done[0][1].status.closed_reason is CloseReason.PAUSE_EXPIRED


@pytest.mark.parametrize(
    ("credited", "reason"), [(False, CloseReason.PAID), (True, CloseReason.CREDITED)]
)
def test_a_claim_settled_before_any_fee_closes_at_no_cost(
    credited: bool, reason: CloseReason
) -> None:
    settled = replace(
        case(date(2026, 3, 2)), credited=credited, claims=(Claim(1, date(2026, 3, 2), Decimal(0)),)
    )
    action = next_action(settled, date(2026, 3, 5), Agreement(), BOOK)
    assert action is not None and action.step is StepKind.CLOSE_SETTLED
    assert action.status.closed_reason is reason and action.fee_total == 0


def test_open_fees_keep_a_case_open_when_the_principal_is_paid() -> None:
    facts = replace(
        case(date(2026, 3, 2), state=CaseState.NOTIFIED),
        claims=(Claim(1, date(2026, 3, 2), Decimal(0)),),
        charges_open=Decimal("37.50"),
    )
    action = next_action(facts, date(2026, 3, 20), Agreement(), BOOK)
    assert action is None  # the fees are still owed: no closing (an interest note comes later)


@pytest.mark.parametrize(
    ("deadline", "list_day", "thursday"),
    [
        (date(2026, 4, 7), date(2026, 4, 14), date(2026, 4, 16)),  # deadline on a Tuesday
        (date(2026, 4, 6), date(2026, 4, 7), date(2026, 4, 9)),  # Monday: the next day
        (date(2026, 4, 10), date(2026, 4, 14), date(2026, 4, 16)),  # Friday
    ],
)
def test_the_list_goes_the_first_tuesday_after_the_deadline_and_hand_over_on_thursday(
    deadline: date, list_day: date, thursday: date
) -> None:
    assert collection_list_day(deadline) == list_day
    assert handover_day(list_day) == thursday


def test_automatic_hand_over_waits_for_the_thursday_after_the_list() -> None:
    listed = replace(case(date(2026, 3, 2), state=CaseState.LISTED), list_sent_on=date(2026, 4, 14))
    automatic = Agreement(automatic_handover=True)
    assert next_action(listed, date(2026, 4, 15), automatic, BOOK) is None
    action = next_action(listed, date(2026, 4, 16), automatic, BOOK)
    assert action is not None and action.status.state is CaseState.IN_COLLECTION
    assert next_action(listed, date(2026, 4, 20), Agreement(), BOOK) is None  # approval mode
