"""What a payment can be matched to: an invoice or a case by KID or number, their open
items; and moving charges' open amounts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, bindparam, select, update

from fordring.adapters.db.tables import case_invoice, charge, collection_case, invoice
from fordring.adapters.db.types import MoneyType
from fordring.domain.payments import OpenItem
from fordring.services.ports import PaymentTarget


class SqlPayments:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def target(
        self, company_id: int, *, kid: str | None, invoice_number: int | None
    ) -> PaymentTarget | None:
        case_id: int | None = None
        invoice_id: int | None = None
        if kid is not None:
            case_id = self.connection.execute(
                select(collection_case.c.id).where(
                    (collection_case.c.company_id == company_id) & (collection_case.c.kid == kid)
                )
            ).scalar()
            if case_id is None:
                invoice_id = self.connection.execute(
                    select(invoice.c.id).where(
                        (invoice.c.company_id == company_id)
                        & (invoice.c.kid == kid)
                        & (invoice.c.kind == "invoice")
                    )
                ).scalar()
        else:
            invoice_id = self.connection.execute(
                select(invoice.c.id).where(
                    (invoice.c.company_id == company_id)
                    & (invoice.c.number == invoice_number)
                    & (invoice.c.kind == "invoice")
                )
            ).scalar()
        if invoice_id is not None and case_id is None:
            case_id = self.connection.execute(
                select(case_invoice.c.case_id).where(case_invoice.c.invoice_id == invoice_id)
            ).scalar()
        if case_id is None and invoice_id is None:
            return None
        return self._target(case_id, invoice_id)

    def _target(self, case_id: int | None, invoice_id: int | None) -> PaymentTarget:
        if case_id is not None:
            case = self.connection.execute(
                select(collection_case).where(collection_case.c.id == case_id)
            ).one()
            invoices = self.connection.execute(
                select(
                    invoice.c.id, invoice.c.open_amount, invoice.c.due_date, invoice.c.customer_id
                )
                .join(case_invoice, case_invoice.c.invoice_id == invoice.c.id)
                .where(case_invoice.c.case_id == case_id)
            ).all()
            charges = self.connection.execute(
                select(charge.c.id, charge.c.open_amount, charge.c.charged_on).where(
                    (charge.c.case_id == case_id) & (charge.c.open_amount != 0)
                )
            ).all()
            customer_id = case.customer_id
            state = case.state
            number = case.number
        else:
            invoices = self.connection.execute(
                select(
                    invoice.c.id, invoice.c.open_amount, invoice.c.due_date, invoice.c.customer_id
                ).where(invoice.c.id == invoice_id)
            ).all()
            charges = []
            customer_id = invoices[0].customer_id
            state, number = None, None
        return PaymentTarget(
            customer_id=customer_id,
            case_id=case_id,
            case_number=number,
            case_state=state,
            invoices=tuple(
                OpenItem(r.id, None, r.open_amount, (r.due_date, r.id))
                for r in invoices
                if r.open_amount > 0
            ),
            charges=tuple(
                OpenItem(None, r.id, r.open_amount, (r.charged_on, r.id)) for r in charges
            ),
        )

    def add_to_charge_open_amounts(self, changes: dict[int, Decimal]) -> None:
        if not changes:
            return
        self.connection.execute(
            update(charge)
            .where(charge.c.id == bindparam("item"))
            .values(open_amount=charge.c.open_amount + bindparam("change", type_=MoneyType())),
            [{"item": item, "change": change} for item, change in changes.items()],
        )
