"""Late interest on the claims of a case, computed when needed (never stored day by day).

Interest runs on each krone of principal from the due date until the day it was paid
(forsinkelsesrenteloven §§ 2-3, DOMAIN.md § 6): a claim's interest is the sum over its
reductions (payments and credit notes, each with its day) plus the still open principal up
to the day asked. Each piece is rounded to øre by the law's calculator.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from fordring.domain.law.interest import late_interest_total
from fordring.domain.law.tables import RateBook


class InterestBearing(Protocol):
    @property
    def due_date(self) -> date: ...
    @property
    def principal(self) -> Decimal: ...  # what is open today
    @property
    def reductions(self) -> tuple[tuple[date, Decimal], ...]: ...  # (day, amount) paid or credited


def claim_interest(claim: InterestBearing, until: date, book: RateBook) -> Decimal:
    """Interest accrued on `claim` up to `until`: on each reduction up to its day (or
    `until` when earlier), on the open principal up to `until`."""
    total = late_interest_total(claim.principal, claim.due_date, until, book)
    for day, amount in claim.reductions:
        if amount > 0:
            total += late_interest_total(amount, claim.due_date, min(day, until), book)
    return total


def case_interest(claims: Iterable[InterestBearing], until: date, book: RateBook) -> Decimal:
    return sum((claim_interest(c, until, book) for c in claims), Decimal(0))


def interest_from(due: date) -> date:
    """The first day that carries interest: the day after the due date."""
    return due + timedelta(days=1)


def interest_per_day(principal: Decimal, day: date, book: RateBook) -> Decimal:
    """What one more day adds to the interest on `principal` at the rate in force on
    `day` (1/365 or 1/366 of the yearly rate), rounded half up to øre: what a letter gives
    so the debtor can pay the exact amount on a later day."""
    return late_interest_total(principal, day - timedelta(days=1), day, book)
