"""Read models of invoices: one invoice and the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
