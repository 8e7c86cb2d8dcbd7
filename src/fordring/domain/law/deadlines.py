"""Deadlines of the collection steps (DOMAIN.md § 2): the 14-day letter deadline moved to
the next banking day, the earliest fee day, and the 6-month limits."""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from fordring.domain.calendar import closed_reason, holiday_week, next_banking_day
from fordring.domain.errors import InvalidInput

LETTER_DEADLINE_DAYS = 14  # inkassoloven § 9 (notice) and § 10 (demand): at least 14 days
FEE_EARLIEST_DAYS = 14  # inkassoforskriften § 1-2: a fee only if sent >= 14 days after due
LEGAL_STEPS_MONTHS = 6  # inkassoloven § 11: legal steps within 6 months of the demand
PAUSE_MONTHS = 6  # product rule (agreement setting): a paused case closes after 6 months
NOTICE_USABLE_MONTHS = 6  # practice: a notice older than 6 months is not used for hand-over
MAX_DEADLINE_DAYS = 366


@dataclass(frozen=True, slots=True)
class Deadline:
    sent: date
    days: int
    unadjusted: date  # sent + days
    deadline: date  # the day the debtor must pay by
    moved: bool
    reason: str


def letter_deadline(
    sent: date,
    days: int = LETTER_DEADLINE_DAYS,
    *,
    move: bool = True,
    holiday_weeks: bool = False,
) -> Deadline:
    """`days` after sending; when that is no banking day and `move` is on (the default,
    kinder to the debtor), the next banking day. With `holiday_weeks` a deadline in the
    Christmas or Easter week is lengthened to the first banking day after that week."""
    if not 1 <= days <= MAX_DEADLINE_DAYS:
        raise InvalidInput.one("days", f"must be 1 to {MAX_DEADLINE_DAYS}, not {days}")
    unadjusted = sent + timedelta(days=days)
    reason = f"{days} days from sending on {sent} gives {unadjusted}"
    closed = closed_reason(unadjusted)
    deadline = unadjusted
    if closed is not None and move:
        deadline = next_banking_day(unadjusted)
        reason += f" ({closed}, no banking day); moved to the next banking day {deadline}"
    elif closed is not None:
        reason += f" ({closed}, no banking day); not moved, as the setting is off"
    week = holiday_week(deadline) if holiday_weeks else None
    if week is not None:
        reason += (
            f"; {deadline} falls in the {week[0]}: lengthened to the first banking day after "
            f"it, {week[1]} (agreement holiday_deadlines; god inkassoskikk, inkassoloven § 8)"
        )
        deadline = week[1]
    if days < LETTER_DEADLINE_DAYS:
        reason += (
            f"; shorter than the {LETTER_DEADLINE_DAYS} days a notice or payment demand "
            "needs (inkassoloven §§ 9-10)"
        )
    return Deadline(sent, days, unadjusted, deadline, deadline != unadjusted, reason)


def earliest_fee_date(due: date) -> date:
    """The first sending day a reminder or notice may carry a fee (forskriften § 1-2)."""
    return due + timedelta(days=FEE_EARLIEST_DAYS)


def add_months(day: date, months: int) -> date:
    """Same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def legal_steps_latest(demand_sent: date) -> date:
    """The last day legal steps may start on the strength of this payment demand."""
    return add_months(demand_sent, LEGAL_STEPS_MONTHS)


def new_demand_needed(demand_sent: date, on: date) -> bool:
    """Legal steps not started by `on`, 6 months after the demand: send a new demand."""
    return on > legal_steps_latest(demand_sent)


def paused_case_closes_on(paused_on: date) -> date:
    """A paused case closes by itself on this day unless resumed (product rule)."""
    return add_months(paused_on, PAUSE_MONTHS)


def notice_too_old(notice_sent: date, on: date) -> bool:
    """A notice older than 6 months should not be used for hand-over (practice)."""
    return on > add_months(notice_sent, NOTICE_USABLE_MONTHS)
