"""The customer ledger (kundereskontro, SPEC L3): open items, settlement status, aging.

An open item is an invoice; its open amount is the sum of the receivable (1500) postings
that name it. Aging buckets count days past the due date as of a given day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum


class SettlementStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_OPEN = "partially_open"
    SETTLED = "settled"


def settlement_status(amount: Decimal, open_amount: Decimal) -> SettlementStatus:
    """Open when nothing is paid or credited, settled when nothing is left, else partial."""
    if open_amount == 0:
        return SettlementStatus.SETTLED
    if open_amount == amount:
        return SettlementStatus.OPEN
    return SettlementStatus.PARTIALLY_OPEN


@dataclass(frozen=True, slots=True)
class AgingBucket:
    """Items whose days past due lie in [min_days, max_days] (None: unbounded)."""

    name: str
    min_days: int | None
    max_days: int | None

    def due_dates(self, as_of: date) -> tuple[date | None, date | None]:
        """The due-date range (inclusive) that falls in this bucket on `as_of`."""
        earliest = as_of - timedelta(days=self.max_days) if self.max_days is not None else None
        latest = as_of - timedelta(days=self.min_days) if self.min_days is not None else None
        return earliest, latest

    def holds(self, days_past_due: int) -> bool:
        low = self.min_days is None or days_past_due >= self.min_days
        high = self.max_days is None or days_past_due <= self.max_days
        return low and high


AGING_BUCKETS: tuple[AgingBucket, ...] = (
    AgingBucket("not_due", None, -1),
    AgingBucket("0-30", 0, 30),
    AgingBucket("31-60", 31, 60),
    AgingBucket("61-90", 61, 90),
    AgingBucket("90+", 91, None),
)


def days_past_due(due_date: date, as_of: date) -> int:
    return (as_of - due_date).days


def bucket_for(due_date: date, as_of: date) -> AgingBucket:
    days = days_past_due(due_date, as_of)
    return next(b for b in AGING_BUCKETS if b.holds(days))


@dataclass(frozen=True, slots=True)
class AgingRow:
    """One line of an aging report: a customer (or the total) with an amount per bucket."""

    label: str
    buckets: dict[str, Decimal]
    count: int

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), Decimal(0))


def empty_buckets() -> dict[str, Decimal]:
    return {b.name: Decimal(0) for b in AGING_BUCKETS}
