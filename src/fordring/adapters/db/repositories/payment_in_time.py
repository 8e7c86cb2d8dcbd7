"""What a payment in time must know (inkassoloven § 9 (2)): the money that reached a case
by a day, every charge of the case, and the writes that put a handed-over case back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, func, select, type_coerce, update

from fordring.adapters.db.chunks import rows_where_in
from fordring.adapters.db.repositories.payment_rows import payment_row
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import (
    case_invoice,
    charge,
    collection_case,
    invoice,
    payment,
    posting,
)
from fordring.adapters.db.types import MoneyType
from fordring.domain.collection.case_facts import NOW
from fordring.domain.collection.states import CaseState
from fordring.domain.ledger import RECEIVABLES
from fordring.domain.payments import PaymentStatus
from fordring.services.ports import CaseCharge, MoneyInTime, PaymentRow

PAID = (PaymentStatus.MATCHED.value, PaymentStatus.CREDIT.value)


class SqlPaymentInTime:
    """Mixed into SqlPayments."""

    connection: Connection
    company_id: int

    def money_in_time(self, case_id: int, by: date) -> MoneyInTime:
        principal = self.connection.execute(
            select(type_coerce(func.coalesce(func.sum(invoice.c.total_nok), 0), MoneyType()))
            .join(case_invoice, case_invoice.c.invoice_id == invoice.c.id)
            .where((case_invoice.c.case_id == case_id) & own(invoice.c.company_id, self.company_id))
        ).scalar_one()
        received = self.connection.execute(
            select(
                type_coerce(
                    func.coalesce(func.sum(payment.c.amount - payment.c.refunded), 0), MoneyType()
                )
            ).where(
                (payment.c.case_id == case_id)
                & payment.c.status.in_(PAID)
                & (payment.c.amount > 0)
                & (payment.c.received_on <= by)
                & own(payment.c.company_id, self.company_id)
            )
        ).scalar_one()
        # Credit notes post to the invoice they credit, in the credit note's own voucher.
        credit_note = invoice.alias("credit_note")
        credited = self.connection.execute(
            select(type_coerce(func.coalesce(-func.sum(posting.c.amount), 0), MoneyType()))
            .join(credit_note, credit_note.c.voucher_id == posting.c.voucher_id)
            .join(case_invoice, case_invoice.c.invoice_id == posting.c.invoice_id)
            .where(
                (case_invoice.c.case_id == case_id)
                & (credit_note.c.credits_invoice_id == posting.c.invoice_id)
                & (posting.c.account == RECEIVABLES)
                & (credit_note.c.issue_date <= by)
                & own(credit_note.c.company_id, self.company_id)
            )
        ).scalar_one()
        return MoneyInTime(Decimal(principal), Decimal(received), Decimal(credited))

    def case_charges(self, case_id: int) -> list[CaseCharge]:
        rows = self.connection.execute(
            select(
                charge.c.id,
                charge.c.invoice_id,
                charge.c.kind,
                charge.c.amount,
                charge.c.open_amount,
                charge.c.charged_on,
            )
            .where((charge.c.case_id == case_id) & own(charge.c.company_id, self.company_id))
            .order_by(charge.c.charged_on, charge.c.id)
        ).all()
        return [
            CaseCharge(r.id, r.invoice_id, r.kind, r.amount, r.open_amount, r.charged_on)
            for r in rows
        ]

    def later_salaer_days(self, case_ids: Sequence[int]) -> dict[int, date]:
        """Per case, the first day salær was charged after the first salær (heavy salær)."""
        rows = rows_where_in(
            self.connection,
            select(charge.c.case_id, charge.c.charged_on).where(
                (charge.c.kind == "salaer") & own(charge.c.company_id, self.company_id)
            ),
            charge.c.case_id,
            case_ids,
        )
        days: dict[int, list[date]] = {}
        for r in rows:
            day = r.charged_on
            days.setdefault(r.case_id, []).append(
                day if isinstance(day, date) else date.fromisoformat(day)
            )
        found = {}
        for case_id, charged in days.items():
            later = [d for d in charged if d > min(charged)]
            if later:
                found[case_id] = min(later)
        return found

    def case_payments(self, case_id: int) -> list[PaymentRow]:
        rows = self.connection.execute(
            select(payment)
            .where(
                (payment.c.case_id == case_id)
                & payment.c.status.in_(PAID)
                & (payment.c.amount > 0)
                & own(payment.c.company_id, self.company_id)
            )
            .order_by(payment.c.received_on, payment.c.id)
        ).all()
        return [payment_row(r) for r in rows]

    def cancel_charges(self, charge_ids: Sequence[int]) -> None:
        if charge_ids:
            self.connection.execute(
                update(charge)
                .where(
                    charge.c.id.in_(list(charge_ids)) & own(charge.c.company_id, self.company_id)
                )
                .values(amount=0)
            )

    def back_before_handover(self, case_ids: Sequence[int]) -> None:
        """The cases stand as after their collection notice: not listed, not approved."""
        if case_ids:
            self.connection.execute(
                update(collection_case)
                .where(
                    collection_case.c.id.in_(list(case_ids))
                    & own(collection_case.c.company_id, self.company_id)
                )
                .values(
                    state=CaseState.NOTIFIED.value,
                    resume_state=None,
                    closed_reason=None,
                    list_sent_on=None,
                    approved_on=None,
                    wake_on=NOW,
                )
            )
