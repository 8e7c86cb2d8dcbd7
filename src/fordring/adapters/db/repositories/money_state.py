"""What the posting service reads to derive state from postings and to prove it: the
payment, charges and settlement a voucher belongs to, settlement totals read from the
ledger, and the checks that payments and settlements agree with the postings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, literal, select, type_coerce, union_all, update

from fordring.adapters.db.locks import lock_rows
from fordring.adapters.db.repositories.payment_rows import payment_row
from fordring.adapters.db.scoping import owned_ids
from fordring.adapters.db.tables import (
    case_invoice,
    charge,
    collection_case,
    invoice,
    payment,
    posting,
    settlement,
    voucher,
)
from fordring.adapters.db.types import MoneyType
from fordring.domain.errors import NotFound
from fordring.domain.payments import PaymentStatus
from fordring.services.ports import PaymentRow
from fordring.services.posting_ports import SettlementTotals, VoucherCharge

CLIENT = "client"


def _money(expression: Any) -> Any:
    return type_coerce(func.coalesce(func.sum(expression), literal(0)), MoneyType())


class SqlMoneyState:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    # --- what a voucher belongs to -------------------------------------------------------
    def payment_of_voucher(self, voucher_id: int) -> PaymentRow | None:
        company_id = self.company_id
        row = self.connection.execute(
            select(payment)
            .where(
                (payment.c.company_id == company_id)
                & (
                    (payment.c.voucher_id == voucher_id)
                    | (payment.c.allocation_voucher_id == voucher_id)
                )
            )
            .order_by(payment.c.id)
            .limit(1)
        ).first()
        return payment_row(row) if row is not None else None

    def reversed_by(self, voucher_id: int) -> int | None:
        """The number of the voucher that reversed `voucher_id`, if one did. The read
        decides a reversal: `voucher_id` stays locked until the transaction ends, so a
        second reversal at the same moment waits and finds the first."""
        company_id = self.company_id
        lock_rows(self.connection, voucher, [voucher_id], company_id)
        found = self.connection.execute(
            select(voucher.c.number).where(
                (voucher.c.company_id == company_id) & (voucher.c.reverses_id == voucher_id)
            )
        ).first()
        return int(found[0]) if found is not None else None

    def charges_of_voucher(self, voucher_id: int) -> list[VoucherCharge]:
        company_id = self.company_id
        rows = self.connection.execute(
            select(charge)
            .where((charge.c.company_id == company_id) & (charge.c.voucher_id == voucher_id))
            .order_by(charge.c.id)
        )
        return [
            VoucherCharge(r.id, r.case_id, r.kind, r.amount, r.open_amount, r.voucher_id)
            for r in rows
        ]

    def cases_of(self, invoice_ids: list[int], charge_ids: list[int]) -> list[int]:
        """The cases the invoices and charges belong to."""
        company_id = self.company_id
        found: set[int] = set()
        if invoice_ids:
            found |= {
                r[0]
                for r in self.connection.execute(
                    select(case_invoice.c.case_id)
                    .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
                    .where(
                        (invoice.c.company_id == company_id)
                        & case_invoice.c.invoice_id.in_(invoice_ids)
                    )
                )
            }
        if charge_ids:
            found |= {
                r[0]
                for r in self.connection.execute(
                    select(charge.c.case_id).where(
                        (charge.c.company_id == company_id) & charge.c.id.in_(charge_ids)
                    )
                )
            }
        return sorted(found)

    def settlement_of_voucher(self, voucher_id: int) -> int | None:
        company_id = self.company_id
        found = self.connection.execute(
            select(settlement.c.number).where(
                (settlement.c.company_id == company_id) & (settlement.c.voucher_id == voucher_id)
            )
        ).first()
        return int(found[0]) if found is not None else None

    # --- settlement, read from the ledger ------------------------------------------------
    def _unsettled(self, before: date) -> Any:
        company_id = self.company_id
        return (
            (payment.c.company_id == company_id)
            & (payment.c.channel == CLIENT)
            & payment.c.settlement_id.is_(None)
            & (payment.c.matched_on < before)
        )

    def unsettled_totals(self, before: date, account: str) -> SettlementTotals:
        """The client-account payments matched before `before` and not settled: how many,
        what reached `account` for them (the ledger: their vouchers' postings there) and
        the salær they paid (kept by the collector)."""
        where = self._unsettled(before)
        count, kept = self.connection.execute(
            select(func.count(), _money(payment.c.salaer)).where(where)
        ).one()
        return SettlementTotals(int(count), self._received(where, account), Decimal(kept))

    def _received(self, where: Any, account: str) -> Decimal:
        vouchers = union_all(
            select(payment.c.voucher_id.label("v")).where(where),
            select(payment.c.allocation_voucher_id.label("v")).where(
                where & payment.c.allocation_voucher_id.is_not(None)
            ),
        ).subquery()
        total = self.connection.execute(
            select(_money(posting.c.amount))
            .select_from(vouchers)
            .join(posting, posting.c.voucher_id == vouchers.c.v)
            .where(posting.c.account == account)
        ).scalar_one()
        return Decimal(total)

    def mark_settled(self, before: date, settlement_id: int) -> int:
        """Settle every unsettled client-account payment matched before `before`, in one
        statement; how many."""
        company_id = self.company_id
        if not owned_ids(self.connection, settlement, [settlement_id], company_id):
            raise NotFound("settlement", settlement_id)
        done = self.connection.execute(
            update(payment).where(self._unsettled(before)).values(settlement_id=settlement_id)
        )
        return int(done.rowcount)

    # --- proofs for `ledger check` -------------------------------------------------------
    def reversed_twice(self) -> list[int]:
        """Vouchers more than one voucher reversed (only a database from before migration
        0012 can hold one): their numbers."""
        company_id = self.company_id
        twice = (
            select(voucher.c.reverses_id)
            .where((voucher.c.company_id == company_id) & voucher.c.reverses_id.is_not(None))
            .group_by(voucher.c.reverses_id)
            .having(func.count() > 1)
        )
        rows = self.connection.execute(
            select(voucher.c.number)
            .where((voucher.c.company_id == company_id) & voucher.c.id.in_(twice))
            .order_by(voucher.c.number)
        )
        return [int(r[0]) for r in rows]

    def shared_kids(self) -> list[str]:
        """KIDs that name more than one open item: two invoices, or an invoice and a case
        that does not hold it (a merged case's invoices are held by the case it was merged
        into, which its KID pays); only a database from before migration 0012 holds one."""
        company_id = self.company_id
        holder = func.coalesce(collection_case.c.merged_into, collection_case.c.id)
        own_invoice = (
            select(case_invoice.c.case_id)
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where((case_invoice.c.case_id == holder) & (invoice.c.kid == collection_case.c.kid))
        )
        items = union_all(
            select(invoice.c.kid).where(
                (invoice.c.company_id == company_id) & (invoice.c.kind == "invoice")
            ),
            select(collection_case.c.kid).where(
                (collection_case.c.company_id == company_id) & ~own_invoice.exists()
            ),
        ).subquery()
        rows = self.connection.execute(
            select(items.c.kid).group_by(items.c.kid).having(func.count() > 1).order_by(items.c.kid)
        )
        return [str(r[0]) for r in rows]

    def reversed_but_standing(self) -> list[int]:
        """Payments that still stand (not reversed) although their voucher or their
        allocation was reversed (an allocation reversed by `ledger reverse` is cleared
        from its payment): their numbers."""
        company_id = self.company_id
        reversing = voucher.alias("reversing")
        rows = self.connection.execute(
            select(payment.c.number)
            .join(
                reversing,
                (reversing.c.company_id == company_id)
                & (
                    (reversing.c.reverses_id == payment.c.voucher_id)
                    | (reversing.c.reverses_id == payment.c.allocation_voucher_id)
                ),
            )
            # Taken back whole (by the bank or `ledger reverse`): its vouchers are reversed.
            .where(
                (payment.c.company_id == company_id)
                & (payment.c.status != PaymentStatus.REVERSED.value)
            )
            .order_by(payment.c.number)
        )
        return sorted({int(r[0]) for r in rows})

    def held_for_settlement(self, account: str) -> Decimal:
        """What the unsettled client-account payments' vouchers put on `account`."""
        company_id = self.company_id
        where = (
            (payment.c.company_id == company_id)
            & (payment.c.channel == CLIENT)
            & payment.c.settlement_id.is_(None)
            # A refund from the queue is booked apart from the payment: the two net out.
            & (payment.c.status != PaymentStatus.REFUNDED.value)
        )
        return self._received(where, account)

    def settlement_mismatches(self, account: str) -> list[tuple[int, Decimal, Decimal]]:
        """Settlements whose recorded receipts differ from what their payments' vouchers
        put on `account`, or from what the settlement voucher took off it: (number,
        recorded, posted)."""
        company_id = self.company_id
        found = []
        records = self.connection.execute(
            select(
                settlement.c.id, settlement.c.number, settlement.c.received, settlement.c.voucher_id
            )
            .where(settlement.c.company_id == company_id)
            .order_by(settlement.c.number)
        ).all()
        for r in records:
            posted = self._received(
                (payment.c.company_id == company_id) & (payment.c.settlement_id == r.id), account
            )
            taken = Decimal(0)
            if r.voucher_id is not None:
                taken = -Decimal(
                    self.connection.execute(
                        select(_money(posting.c.amount)).where(
                            (posting.c.voucher_id == r.voucher_id) & (posting.c.account == account)
                        )
                    ).scalar_one()
                )
            if not (r.received == posted == taken):
                found.append((int(r.number), r.received, posted))
        return found

    def unmatched_total(self) -> Decimal:
        """What the payments waiting in the queue amount to."""
        company_id = self.company_id
        return Decimal(
            self.connection.execute(
                select(_money(payment.c.amount)).where(
                    (payment.c.company_id == company_id)
                    & (payment.c.status == PaymentStatus.UNMATCHED.value)
                )
            ).scalar_one()
        )

    def account_balance(self, account: str) -> Decimal:
        company_id = self.company_id
        return Decimal(
            self.connection.execute(
                select(_money(posting.c.amount))
                .join(voucher, voucher.c.id == posting.c.voucher_id)
                .where((voucher.c.company_id == company_id) & (posting.c.account == account))
            ).scalar_one()
        )
