"""Recurring invoice agreements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from fordring.domain.language import Language
from fordring.domain.recurring import Period, RecurringAgreement


class RecurringRepository(Protocol):
    def add(
        self,
        number: int,
        customer_id: int,
        agreement: RecurringAgreement,
        first: Period | None,
    ) -> int:
        """Store an agreement with its lines and first period; returns its id."""
        ...

    def agreements(self, number: int | None = None, *, lock: bool = False) -> list[StoredAgreement]:
        """Every agreement of the company (or the one numbered), by number; `lock` holds
        them until commit."""
        ...

    def due(self, day: date) -> list[StoredAgreement]:
        """The agreements with a period to issue on or before `day`, locked until commit."""
        ...

    def issued(self, agreement_id: int) -> list[IssuedPeriodRecord]: ...
    def add_issues(self, issues: Sequence[RecurringIssue]) -> None: ...
    def set_next(self, changes: Sequence[tuple[int, Period | None]]) -> None:
        """(agreement id, its next period to issue or None when it has ended)."""
        ...

    def stop(self, agreement_id: int, on: date, next_period: Period | None) -> None: ...
    def periods_of(self, invoice_ids: Iterable[int]) -> dict[int, tuple[date, date, str]]:
        """invoice id → (period start, period end, period text) of recurring invoices."""
        ...


@dataclass(frozen=True, slots=True)
class StoredAgreement:
    """A recurring invoice agreement as stored, with its customer and the first period
    not yet issued (None once it has ended) and the day that period is to be issued."""

    id: int
    number: int
    customer_id: int
    customer_number: int
    customer_name: str
    language: Language  # the customer's: the period text is written in it
    reminder_exempt: bool  # the customer's purrefritak, carried onto each invoice
    agreement: RecurringAgreement
    next_period: date | None
    next_issue_on: date | None


@dataclass(frozen=True, slots=True)
class RecurringIssue:
    """One period of an agreement issued as one invoice, to store."""

    agreement_id: int
    period_start: date
    period_end: date
    text: str  # "Husleie mars 2026"
    invoice_id: int


@dataclass(frozen=True, slots=True)
class IssuedPeriodRecord:
    """A period issued, with its invoice."""

    period_start: date
    period_end: date
    period_text: str
    invoice_id: int
    invoice_number: int
    issue_date: date
    due_date: date
    total: Decimal
