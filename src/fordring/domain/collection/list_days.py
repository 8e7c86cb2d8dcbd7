"""The days of the collection list and the automatic hand-over (SPEC C9): Tuesdays and
the Thursday after, each moved to the next banking day when it is none (issue 12)."""

from __future__ import annotations

from datetime import date, timedelta

from fordring.domain.calendar import next_banking_day

TUESDAY, THURSDAY = 1, 3


def collection_list_day(notice_deadline: date) -> date:
    """The first Tuesday after the notice's deadline: the day the list goes to the creditor
    (a Tuesday that is no banking day: the next banking day)."""
    day = notice_deadline + timedelta(days=1)
    return next_banking_day(day + timedelta(days=(TUESDAY - day.weekday()) % 7))


def is_list_day(day: date) -> bool:
    """The collection list goes on Tuesdays, or on the next banking day after a Tuesday
    that is none (issue 12: only on days the post goes)."""
    tuesday = day - timedelta(days=(day.weekday() - TUESDAY) % 7)
    return next_banking_day(tuesday) == day


def handover_day(list_day: date) -> date:
    """The Thursday after the list: automatic hand-over unless the creditor stops the case
    (a Thursday that is no banking day, e.g. Maundy Thursday: the next banking day)."""
    day = list_day + timedelta(days=1)
    return next_banking_day(day + timedelta(days=(THURSDAY - day.weekday()) % 7))
