"""The customer ledger reports (SPEC L3): open items and aging as of the business date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.reskontro import AgingRow, SettlementStatus, bucket_for, settlement_status
from fordring.services.ports import InvoiceSummary, UnitOfWorkFactory
from fordring.services.scope import Scope


@dataclass(frozen=True, slots=True)
class OpenItemLine:
    invoice: InvoiceSummary
    days_past_due: int
    bucket: str
    status: SettlementStatus


def open_items(scope: Scope, as_of: date, uow_factory: UnitOfWorkFactory) -> list[OpenItemLine]:
    """Every invoice with something open, oldest due date first."""
    with uow_factory(scope) as uow:
        found = uow.invoices.list(open_only=True)
    found.sort(key=lambda s: (s.due_date, s.number))
    return [
        OpenItemLine(
            s,
            (as_of - s.due_date).days,
            bucket_for(s.due_date, as_of).name,
            settlement_status(s.total_nok, s.open_amount),
        )
        for s in found
    ]


def open_total(lines: list[OpenItemLine]) -> Decimal:
    return sum((line.invoice.open_amount for line in lines), Decimal(0))


def aging(
    scope: Scope, as_of: date, by_customer: bool, uow_factory: UnitOfWorkFactory
) -> list[AgingRow]:
    """Open amounts per aging bucket, per customer (and a total row last) or in total."""
    with uow_factory(scope) as uow:
        rows = uow.reskontro.aging(as_of, by_customer=by_customer)
        if by_customer:
            rows += uow.reskontro.aging(as_of, by_customer=False)
        return rows
