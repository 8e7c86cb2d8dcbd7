"""Read models of invoices: one invoice and the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from fordring.domain.invoices import Invoice


@dataclass(frozen=True, slots=True)
class StoredInvoice:
    """An issued invoice or credit note with its place in the customer ledger."""

    invoice: Invoice
    id: int
    customer_number: int
    customer_name: str
    total_nok: Decimal
    open_amount: Decimal
    credited_number: int | None
    voucher_number: int


@dataclass(frozen=True, slots=True)
class InvoiceSummary:
    id: int
    number: int
    kind: str
    customer_number: int
    customer_name: str
    issue_date: date
    due_date: date
    currency: str
    total: Decimal
    total_nok: Decimal
    open_amount: Decimal
    kid: str


# The portal's invoice list (Fakturaer): its state filters. "open": something is open and
# it is not in collection (the overdue too); "overdue": open past its due date, not in
# collection; "paid": nothing open; "credited": nothing open and a credit note credits it;
# "in_collection": it is in a case not closed. An invoice's own state (InvoiceRow.state) is
# one of them too, "open" there only if not overdue.
INVOICE_STATES = ("open", "overdue", "paid", "in_collection", "credited")


@dataclass(frozen=True, slots=True)
class InvoiceSearch:
    """Which invoices the portal lists, newest (highest number) first: a page of `limit`
    before number `before`. `state`: one of INVOICE_STATES ("open" takes the overdue too);
    `text`: an invoice number, KID, customer number, or the start of a customer's name."""

    state: str | None = None
    customer_number: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    text: str = ""
    before: int | None = None
    limit: int = 50
    # look at no more than this many invoices below `before` (None: all): a filter few
    # invoices pass (overdue when all are in collection) then costs a window, not the
    # company's every invoice; the next window goes on from InvoiceHits.searched_to
    window: int | None = None


@dataclass(frozen=True, slots=True)
class InvoiceHits:
    rows: list[InvoiceRow]
    searched_to: int | None  # the lowest number the window reached; None: searched to the end


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    """A line of the portal's invoice list."""

    number: int
    kind: str
    customer_number: int
    customer_name: str
    issue_date: date
    due_date: date
    total_nok: Decimal
    open_amount: Decimal
    kid: str
    invoice_exempt: bool
    customer_exempt: bool
    case_number: int | None  # the latest case it was sent in, closed or not
    in_collection: bool  # in a case not closed
    credited: bool  # a credit note credits it
    delivery: str | None  # its dispatch's state (waiting, sent, failed), None: never queued

    def state(self, today: date) -> str:
        if self.in_collection:
            return "in_collection"
        if self.open_amount == 0:
            return "credited" if self.credited else "paid"
        return "overdue" if self.due_date < today else "open"


@dataclass(frozen=True, slots=True)
class InvoiceMovement:
    """A posting on an invoice after it was issued: a payment, a credit note, a loss."""

    voucher_number: int
    day: date
    text: str
    amount: Decimal  # on the customer's account: negative reduces what is open


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    channel: str
    at: datetime
    outcome: str
    detail: str


@dataclass(frozen=True, slots=True)
class InvoiceDelivery:
    """The invoice's dispatch: queued when, its state and channel, and every attempt."""

    queued_on: date
    state: str
    channel: str
    delivered_on: date | None
    attempts: tuple[DeliveryAttempt, ...]


@dataclass(frozen=True, slots=True)
class ExemptionNote:
    """The last change of a purrefritak: set or lifted, why, by whom, on which day."""

    exempt: bool
    reason: str
    actor: str
    day: date


class InvoiceBrowser(Protocol):
    """The portal's reads of invoices (the list, an invoice's history) and its purrefritak
    writes."""

    def search(self, search: InvoiceSearch, today: date) -> InvoiceHits: ...
    def row(self, number: int) -> InvoiceRow | None: ...
    def movements(self, invoice_id: int, issued_voucher: int) -> list[InvoiceMovement]:
        """What was booked on the invoice after it was issued (voucher `issued_voucher`)."""
        ...

    def delivery(self, invoice_id: int) -> InvoiceDelivery | None: ...
    def case_state(self, case_number: int) -> str | None: ...
    def set_exempt(self, subject: str, number: int, exempt: bool) -> bool | None:
        """Set the purrefritak of invoice or customer `number` (`subject`); its value
        before, None if there is no such one. Conflict (nothing written) if it changed
        between the read and the write."""
        ...

    def in_open_case(self, number: int) -> bool:
        """Whether invoice `number` is in a collection case not closed."""
        ...

    def note_exemption(self, subject: str, number: int, note: ExemptionNote) -> None:
        """Keep who changed the purrefritak, when and why (the change log)."""
        ...

    def last_exemption(self, subject: str, number: int) -> ExemptionNote | None: ...
