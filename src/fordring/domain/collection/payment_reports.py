"""A debtor's "I have paid" (issue 19 point 3): what a report must hold and how long it
holds the case's steps (banking days after the report day). A report is not a payment:
nothing is booked from it. (Messages: domain/collection/debtor_messages.py.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from fordring.domain.calendar import add_banking_days
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import REASON_LENGTH, check_amount, text_problems

NOTE_LENGTH = REASON_LENGTH  # the debtor's note on a report


class ReportStatus(StrEnum):
    HOLDING = "holding"  # the case's steps wait until `hold_until`
    RECORDED = "recorded"  # kept, holding nothing (steps stopped already, or hold off)
    SEEN = "seen"  # the bank file showed a payment to the case after the report
    LAPSED = "lapsed"  # the hold ran out without a payment: a person should look
    CLOSED = "closed"  # the case closed while the report was open: nothing to wait for


# What a person must do in a case (the case list's `needs` filter, Oversikt's counts):
# answer the debtor's message, look at a report whose hold ran out without a payment.
NEEDS_ANSWER = "answer"
NEEDS_LOOK_AT_REPORT = "lapsed_report"
NEEDS = (NEEDS_ANSWER, NEEDS_LOOK_AT_REPORT)


# Steps already stopped in these states: a report there holds nothing more.
STOPPED = (CaseState.PAUSED, CaseState.OBJECTED)


@dataclass(frozen=True, slots=True)
class PaymentReport:
    """A debtor's report that a payment was made, as stored."""

    paid_on: date
    amount: Decimal
    note: str
    reported_on: date
    status: ReportStatus
    hold_until: date | None  # the first day the steps go on again (None: held nothing)
    ended_on: date | None = None  # seen in the bank or lapsed on this day

    @property
    def open(self) -> bool:
        """Still waiting for the bank, holding or lapsed."""
        return self.status in (ReportStatus.HOLDING, ReportStatus.LAPSED)


def check_report(
    paid_on: date, amount: Decimal, note: str, today: date, first_invoice_on: date
) -> tuple[Decimal, str]:
    """The amount and note as stored, or InvalidInput with every problem: the amount more
    than 0 (in øre), paid not after today nor before the case's first invoice."""
    problems: list[Problem] = []
    try:
        check_amount(amount, "amount")
    except InvalidInput as invalid:
        problems += invalid.problems
    else:
        if amount <= 0:
            problems.append(Problem("amount", "must be more than 0", code="not_positive"))
        elif amount != amount.quantize(Decimal("0.01")):
            problems.append(Problem("amount", "at most two decimals", code="too_many_decimals"))
    if paid_on > today:
        problems.append(Problem("paid_on", f"{paid_on} is after today ({today})", code="future"))
    elif paid_on < first_invoice_on:
        reason = f"{paid_on} is before the claim's first invoice ({first_invoice_on})"
        problems.append(Problem("paid_on", reason, code="too_early"))
    problems += text_problems(note, "note", NOTE_LENGTH)
    if problems:
        raise InvalidInput(problems)
    return amount.quantize(Decimal("0.01")), note.strip()


def hold_until(
    state: CaseState, reported_on: date, days: int, earlier: Sequence[PaymentReport] = ()
) -> date | None:
    """The first day the case's steps go on again after a report on `reported_on`:
    `days` banking days later (None: the report holds nothing, as the agreement holds
    nothing, the case's steps are stopped already, or an `earlier` report of the case is
    still open: holding, or lapsed with no payment seen since. One hold until the bank
    shows a payment: new reports cannot stretch it for ever)."""
    if days <= 0 or state in STOPPED or state is CaseState.CLOSED:
        return None
    if any(r.open for r in earlier):
        return None
    return add_banking_days(reported_on, days + 1)


def reports_held_until(reports: Sequence[PaymentReport], today: date) -> date | None:
    """The day the case's steps are held until for its reports (None: not held `today`)."""
    days = [
        r.hold_until
        for r in reports
        if r.status is ReportStatus.HOLDING and r.hold_until is not None and r.hold_until > today
    ]
    return max(days, default=None)
