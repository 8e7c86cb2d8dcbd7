"""What a business day wrote, read back (services/day_report.py): the report of a day the
workers did, assembled from the rows instead of from the run that wrote them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class RunEventRow:
    """A history event the run wrote that day: its case's number, kind and fields."""

    case_number: int
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class IssuedRow:
    invoice_number: int
    agreement_number: int
    period_text: str


@dataclass(frozen=True, slots=True)
class SettledRow:
    number: int
    payments: int
    received: Decimal
    kept: Decimal
    pdf: str  # '' until the statement is written
    csv: str


@dataclass(frozen=True, slots=True)
class ListRow:
    cases: tuple[int, ...]
    handover_on: date | None
    location: str | None  # its outbox copy once delivered


@dataclass(frozen=True, slots=True)
class QueuedRow:
    """A document the day queued and where it stands (`state`, `channel`)."""

    state: str
    channel: str
    print_batch: int | None
    post_day: date | None


class DayReads(Protocol):
    def has_run(self, day: date) -> bool: ...
    def last_run(self) -> date | None:
        """The last day the company has run (None: none yet)."""
        ...

    def run_events(self, day: date, actor: str) -> list[RunEventRow]:
        """The events `actor` wrote dated `day`, in the order written."""
        ...

    def issued_on(self, day: date) -> list[IssuedRow]:
        """The recurring invoices issued dated `day`, by invoice number."""
        ...

    def settlement_on(self, day: date) -> SettledRow | None: ...
    def list_on(self, day: date) -> ListRow | None: ...
    def queued_on(self, day: date) -> list[QueuedRow]:
        """The documents queued on `day` (the collection list's too), by id."""
        ...
