"""Limitation of claims (foreldelse): the 3-year period of foreldelsesloven §§ 2-3, counted
by § 29, from the due date or from the day the creditor says it was interrupted (§§ 14-17)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from fordring.domain.law.deadlines import add_months

LIMITATION_YEARS = 3  # foreldelsesloven § 2: "Den alminnelige foreldelsesfrist er 3 år"
SOURCE = "foreldelsesloven §§ 2, 3 nr. 1 and 29 nr. 1"


def limitation_last_day(start: date) -> date:
    """The last day the claim is not time-barred: the day with the same number 3 years after
    `start` (the due date, or the day the limitation was interrupted), or the last day of
    that month when it has no such day (§ 29 nr. 1: 2024-02-29 gives 2027-02-28). The
    extension of § 29 nr. 2 (a last day on a Saturday or holiday moves to the next working
    day) lets the creditor interrupt the limitation in time; it is not used to collect
    longer (the reading kinder to the debtor, docs/law.md)."""
    return add_months(start, 12 * LIMITATION_YEARS)


@lru_cache(maxsize=8192)  # the daily run asks for every woken case; due dates repeat
def time_barred_from(start: date) -> date:
    """The first day the claim is time-barred (foreldet)."""
    return limitation_last_day(start) + timedelta(days=1)


def is_time_barred(start: date, on: date) -> bool:
    return on >= time_barred_from(start)
