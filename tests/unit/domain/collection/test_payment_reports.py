"""A debtor's reported payment as the domain sees it: the hold in banking days, the steps
it holds and those it does not, what a report and a message must be."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from fordring.domain.collection.agreement import Agreement, parse_settings
from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.case_facts import CaseFacts, Claim, StepKind
from fordring.domain.collection.debtor_messages import MESSAGE_LENGTH, check_message
from fordring.domain.collection.payment_reports import (
    PaymentReport,
    ReportStatus,
    check_report,
    hold_until,
    reports_held_until,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import STEPS, next_action, wake_on
from fordring.domain.errors import InvalidInput
from fordring.domain.law.builtin_rates import rate_book

BOOK = rate_book()
DUE = date(2026, 3, 2)


def facts(held: date | None = None, paid: Decimal = Decimal(0)) -> CaseFacts:
    claim = Claim(1, DUE, Decimal(1000) - paid)
    return CaseFacts(1, CaseStatus(CaseState.REGISTERED), (claim,), steps_held_until=held)


def test_the_hold_leaves_n_full_banking_days_after_the_report_day() -> None:
    thursday = date(2026, 3, 5)  # held through Thursday 03-12, steps on again Friday 03-13
    assert hold_until(CaseState.REMINDED, thursday, 5) == date(2026, 3, 13)
    # Easter 2026: Maundy Thursday 04-02 to Easter Monday 04-06 are no banking days
    assert hold_until(CaseState.NOTIFIED, date(2026, 4, 1), 2) == date(2026, 4, 9)


@pytest.mark.parametrize("state", [CaseState.PAUSED, CaseState.OBJECTED, CaseState.CLOSED])
def test_a_case_whose_steps_are_stopped_is_held_no_more(state: CaseState) -> None:
    assert hold_until(state, date(2026, 3, 5), 5) is None


def test_a_hold_of_0_days_holds_nothing() -> None:
    assert hold_until(CaseState.REMINDED, date(2026, 3, 5), 0) is None


def test_the_reminder_waits_for_the_holds_end_and_the_case_wakes_that_day() -> None:
    held = facts(date(2026, 3, 12))
    assert next_action(held, date(2026, 3, 11), Agreement(), BOOK) is None
    assert wake_on(held, Agreement(), BOOK) == date(2026, 3, 12)
    action = next_action(held, date(2026, 3, 12), Agreement(), BOOK)
    assert action is not None and action.step is StepKind.SEND_REMINDER


def test_a_hold_does_not_stop_a_paid_case_from_closing() -> None:
    paid = facts(date(2026, 3, 12), paid=Decimal(1000))
    action = next_action(paid, date(2026, 3, 9), Agreement(), BOOK)
    assert action is not None and action.step is StepKind.CLOSE_SETTLED


def test_a_hold_already_over_changes_nothing() -> None:
    before = next_action(facts(), date(2026, 3, 20), Agreement(), BOOK)
    after = next_action(facts(date(2026, 3, 12)), date(2026, 3, 20), Agreement(), BOOK)
    assert before == after


@pytest.mark.parametrize(
    ("paid_on", "amount", "field", "code"),
    [
        (date(2026, 3, 6), Decimal(1), "paid_on", "future"),
        (date(2026, 2, 1), Decimal(1), "paid_on", "too_early"),
        (date(2026, 3, 5), Decimal(0), "amount", "not_positive"),
        (date(2026, 3, 5), Decimal("0.001"), "amount", "too_many_decimals"),
        (date(2026, 3, 5), Decimal("1e20"), "amount", "too_large"),
    ],
)
def test_a_report_refused_names_its_field(
    paid_on: date, amount: Decimal, field: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_report(paid_on, amount, "", date(2026, 3, 5), date(2026, 2, 16))
    assert [(p.field, p.code) for p in refused.value.problems] == [(field, code)]


def test_a_report_on_the_first_invoice_day_or_today_is_taken() -> None:
    issued, today = date(2026, 2, 16), date(2026, 3, 5)
    assert check_report(issued, Decimal(10), " x ", today, issued) == (Decimal("10.00"), "x")
    assert check_report(today, Decimal("9.5"), "", today, issued) == (Decimal("9.50"), "")


def test_only_a_holding_report_holds_and_only_until_its_day() -> None:
    holding = PaymentReport(DUE, Decimal(1), "", DUE, ReportStatus.HOLDING, date(2026, 3, 9))
    seen = replace(holding, status=ReportStatus.SEEN, hold_until=date(2026, 3, 20))
    assert reports_held_until([holding, seen], date(2026, 3, 5)) == date(2026, 3, 9)
    assert reports_held_until([holding, seen], date(2026, 3, 9)) is None


def test_a_message_keeps_its_line_breaks_and_refuses_other_control_characters() -> None:
    assert check_message(" Hei,\r\njeg har betalt.  \n") == "Hei,\njeg har betalt."
    with pytest.raises(InvalidInput):
        check_message("tab\there")
    with pytest.raises(InvalidInput):
        check_message(" \n ")
    with pytest.raises(InvalidInput):
        check_message("x" * (MESSAGE_LENGTH + 1))


def test_the_hold_days_setting_is_bounded() -> None:
    assert parse_settings({"reported_payment_hold_days": "0"}).values == {
        "reported_payment_hold_days": 0
    }
    with pytest.raises(InvalidInput) as refused:
        parse_settings({"reported_payment_hold_days": "21"})
    assert refused.value.problems[0].field == "reported_payment_hold_days"


def test_every_step_that_sends_charges_lists_or_hands_over_is_held_closings_are_not() -> None:
    held = {s.kind for s in STEPS if s.held_by_report}
    assert held == {
        StepKind.SEND_INTEREST_NOTE,
        StepKind.SEND_STAGE_LETTER,
        StepKind.SEND_REMINDER,
        StepKind.SEND_NOTICE,
        StepKind.PUT_ON_LIST,
        StepKind.HAND_OVER,
        StepKind.HEAVY_SALAER,
    }
    # and the hold pushes each of their days to the hold's end
    f = facts(date(2026, 3, 20))
    for step in STEPS:
        day = step.day(f, Agreement(), BOOK)
        if step.held_by_report and day is not None:
            assert day >= date(2026, 3, 20), step.kind
