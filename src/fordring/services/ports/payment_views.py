"""Read models of payments and settlements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.services.ports.payments import PaymentRow


@dataclass(frozen=True, slots=True)
class PaymentView:
    """A stored payment with the names a person reads: customer, case, invoices paid."""

    row: PaymentRow
    customer_number: int | None
    customer_name: str
    case_number: int | None
    invoice_numbers: tuple[int, ...]
    settlement_number: int | None


@dataclass(frozen=True, slots=True)
class SettlementRecord:
    id: int
    number: int
    day: date
    payments: int
    received: Decimal
    kept: Decimal
    paid_out: Decimal
    voucher_id: int | None  # None: it netted to nothing
    pdf: str
    csv: str
