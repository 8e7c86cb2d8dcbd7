"""The read model of the portal's Oversikt and Rapporter (issue 18): figures of one company
summed by indexed aggregate queries, never a scan of every case per request. It writes
nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DaySums:
    """Money on each day of a span that had any: received on the receivables (`recovered`:
    what payments paid of principal, interest, fees and salær, on any invoice, in a case
    or not, and a payment over several cases too; reversed ones and what a payment left
    as a credit or was refunded left out) and paid out in settlements."""

    recovered: dict[date, Decimal]
    settled: dict[date, Decimal]


@dataclass(frozen=True, slots=True)
class Performance:
    """Cases in a period [first, last]: opened (registered), and closed in it and still
    closed, each case once (by its last closing in the period) and by its closed_reason:
    closed paid (CloseReason.PAID, the claim paid in full), closed otherwise (credited by
    a credit note, stopped, written off, time-barred, an objection upheld, a pause run
    out); the amount received on the receivables (`recovered`, as DaySums'), and the
    days from opening to the closing of the cases closed paid (their sum: the mean is
    `days_to_payment`). Those days end on the day the run closed the case (the first run
    after the money came), not the day the money arrived: the payment's own day would
    take each case's last payment, and a payment over several cases has no case."""

    first: date
    last: date
    opened: int
    closed_paid: int
    closed_otherwise: int
    recovered: Decimal
    paid_days: int

    @property
    def days_to_payment(self) -> Decimal | None:
        """The mean days from opening to closed paid, to one decimal (None: none closed
        paid): to the day the run closed the case, not the day the money arrived."""
        if not self.closed_paid:
            return None
        return (Decimal(self.paid_days) / self.closed_paid).quantize(Decimal("0.1"))


class ReportQueries(Protocol):
    def cases_by_state(self, day: date) -> dict[str, tuple[int, int]]:
        """The company's open cases per state (no closed ones: they are every case ever
        closed, a count that grows with the years): how many, and how many of
        them the run of `day` looks at (their wake-up day is on or before it), held cases
        (waiting for a rate) left out."""
        ...

    def held_cases(self) -> int:
        """Open cases held until a rate they need is known (held_reason set)."""
        ...

    def failed_deliveries(self, most: int) -> tuple[int, int]:
        """Documents whose every channel failed: those the periodic retry has queued
        again `most` times already (waiting for a person), and those it will still take."""
        ...

    def unmatched_payments(self) -> tuple[int, Decimal]:
        """Payments in the unmatched queue: how many, and their sum."""
        ...

    def day_sums(self, first: date, last: date) -> DaySums:
        """Received and settled per day from `first` to `last`."""
        ...

    def performance(self, first: date, last: date) -> Performance: ...


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A report as a printable document, worded and formatted in the reader's language:
    the chart is the SVG text the page shows, the table's cells are text."""

    company: str
    title: str
    subtitle: str
    made: str  # when it was made, as the reader reads it
    lang: str
    chart_title: str
    chart: str
    columns: list[str]
    rows: list[list[str]]
    total: list[str] | None


class ReportRenderer(Protocol):
    def __call__(self, document: ReportDocument, day: date) -> bytes:
        """The report as a PDF dated `day`."""
        ...
