"""Registering a payment by hand (issue 4 item 10; the bank files of issue 5 build on it).

The payment is matched by KID (an invoice's or a case's) or invoice number, split by the
law's allocation rules (before collection: principal first, then fees; interest is not
claimed before collection yet), booked, and noted in the case history. The daily run then
closes a case that is fully paid.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fordring.domain import kid as kids
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import InvalidInput
from fordring.domain.law.allocation import Allocation, Component, Owed, allocate
from fordring.domain.payments import OpenItem, payment_voucher, spread
from fordring.services.companies import company_id, resolve_company
from fordring.services.ports import UnitOfWorkFactory

IN_COLLECTION = (CaseState.IN_COLLECTION.value, CaseState.LEGAL.value)


@dataclass(frozen=True, slots=True)
class NewPayment:
    amount: Decimal
    day: date
    kid: str | None = None
    invoice_number: int | None = None


@dataclass(frozen=True, slots=True)
class RegisteredPayment:
    voucher_number: int
    case_number: int | None
    allocation: Allocation
    paid: tuple[tuple[str, Decimal], ...]  # ("invoice 12" / "fee 3", amount)


def register_payment(
    cmd: NewPayment, company_orgnr: str | None, uow_factory: UnitOfWorkFactory
) -> RegisteredPayment:
    if cmd.amount <= 0:
        raise InvalidInput.one("amount", f"must be positive, not {cmd.amount}")
    if (cmd.kid is None) == (cmd.invoice_number is None):
        raise InvalidInput.one("kid", "give either a KID or an invoice number")
    kid = kids.validate(cmd.kid) if cmd.kid is not None else None
    with uow_factory() as uow:
        cid = company_id(resolve_company(uow, company_orgnr))
        target = uow.payments.target(cid, kid=kid, invoice_number=cmd.invoice_number)
        if target is None:
            field, value = ("kid", kid) if kid else ("invoice", cmd.invoice_number)
            raise InvalidInput.one(field, f"no invoice or case with {field} {value}")
        owed = Owed(
            costs=sum((c.open_amount for c in target.charges), Decimal(0)),
            principal=sum((i.open_amount for i in target.invoices), Decimal(0)),
        )
        allocation = allocate(cmd.amount, owed, in_collection=target.case_state in IN_COLLECTION)
        parts = spread(allocation.to(Component.PRINCIPAL), target.invoices)
        parts += spread(allocation.to(Component.COSTS), target.charges)
        text = f"Innbetaling sak {target.case_number}" if target.case_number else "Innbetaling"
        draft = payment_voucher(
            cmd.day, target.customer_id, cmd.amount, parts, allocation.overpayment, text
        )
        voucher = replace(
            draft, number=uow.series.take(cid, "voucher"), id=uow.ledger.reserve_ids(1)
        )
        uow.ledger.add_many(cid, [voucher])
        uow.invoices.add_to_open_amounts(voucher.open_item_changes())
        uow.payments.add_to_charge_open_amounts(voucher.charge_changes())
        if target.case_id is not None:
            uow.collection.wake_cases([target.case_id])
            uow.collection.add_event_rows(
                [
                    (
                        target.case_id,
                        "payment",
                        f"{cmd.amount} paid: {_describe(parts)}"
                        + (
                            f"; overpaid {allocation.overpayment}" if allocation.overpayment else ""
                        ),
                    )
                ],
                cmd.day,
                "payment",
            )
        uow.commit()
    assert voucher.number is not None
    return RegisteredPayment(
        voucher.number,
        target.case_number,
        allocation,
        tuple((_label(item), part) for item, part in parts),
    )


def _label(item: OpenItem) -> str:
    return f"invoice id {item.invoice_id}" if item.invoice_id else f"fee {item.charge_id}"


def _describe(parts: list[tuple[OpenItem, Decimal]]) -> str:
    return ", ".join(f"{part} to {_label(item)}" for item, part in parts) or "nothing open"
