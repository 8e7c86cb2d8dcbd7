"""Settlements in storage, and the payment views they (and the queue) list: a payment
with its customer, case, invoices paid and settlement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select, update

from fordring.adapters.db.repositories.payment_rows import payment_view_query, views
from fordring.adapters.db.repositories.webhooks import queue_events
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import payment, settlement
from fordring.domain.webhooks import WebhookType, settlement_data
from fordring.services.ports import PaymentView, SettlementRecord


class SqlSettlements:
    connection: Connection
    company_id: int

    def unsettled(self, matched_before: date) -> list[PaymentView]:
        company_id = self.company_id
        return views(
            self.connection,
            payment_view_query()
            .where(
                (payment.c.company_id == company_id)
                & (payment.c.channel == "client")
                & payment.c.settlement_id.is_(None)
                & (payment.c.matched_on < matched_before)
            )
            .order_by(payment.c.number),
        )

    def add_settlement(
        self,
        number: int,
        day: date,
        totals: tuple[int, Decimal, Decimal, Decimal],
        voucher_id: int | None,
    ) -> int:
        company_id = self.company_id
        count, received, kept, paid_out = totals
        queue_events(
            self.connection,
            company_id,
            [
                (
                    WebhookType.SETTLEMENT_MADE,
                    settlement_data(number, day, count, received, kept, paid_out),
                )
            ],
        )
        return int(
            self.connection.execute(
                insert(settlement)
                .values(
                    company_id=company_id,
                    number=number,
                    day=day,
                    payments=count,
                    received=received,
                    kept=kept,
                    paid_out=paid_out,
                    voucher_id=voucher_id,
                )
                .returning(settlement.c.id)
            ).scalar_one()
        )

    def mark_settled(self, payment_ids: Sequence[int], settlement_id: int) -> None:
        wanted = sorted(payment_ids)
        for start in range(0, len(wanted), 5000):
            self.connection.execute(
                update(payment)
                .where(
                    payment.c.id.in_(wanted[start : start + 5000])
                    & own(payment.c.company_id, self.company_id)
                )
                .values(settlement_id=settlement_id)
            )

    def settlements(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[SettlementRecord]:
        company_id = self.company_id
        where = settlement.c.company_id == company_id
        if after is not None:  # keyset: the (company_id, number) key's index
            where &= settlement.c.number > after
        query = select(settlement).where(where).order_by(settlement.c.number)
        rows = self.connection.execute(query if limit is None else query.limit(limit))
        return [_record(r) for r in rows]

    def settlement(self, number: int) -> SettlementRecord | None:
        company_id = self.company_id
        row = self.connection.execute(
            select(settlement).where(
                (settlement.c.company_id == company_id) & (settlement.c.number == number)
            )
        ).first()
        return _record(row) if row is not None else None

    def settlement_on(self, day: date) -> SettlementRecord | None:
        company_id = self.company_id
        row = self.connection.execute(
            select(settlement).where(
                (settlement.c.company_id == company_id) & (settlement.c.day == day)
            )
        ).first()
        return _record(row) if row is not None else None

    def settled_payments(
        self, settlement_id: int, *, after: int | None = None, limit: int | None = None
    ) -> list[PaymentView]:
        where = (payment.c.settlement_id == settlement_id) & (
            payment.c.company_id == self.company_id  # ix_payment_settlement's first column
        )
        if after is not None:
            where &= payment.c.number > after
        query = payment_view_query().where(where).order_by(payment.c.number)
        return views(self.connection, query if limit is None else query.limit(limit))

    def mark_written(self, settlement_id: int, pdf: str, csv: str) -> None:
        self.connection.execute(
            update(settlement)
            .where(
                (settlement.c.id == settlement_id) & own(settlement.c.company_id, self.company_id)
            )
            .values(pdf=pdf, csv=csv)
        )


def _record(r: Any) -> SettlementRecord:
    return SettlementRecord(
        r.id,
        r.number,
        r.day,
        r.payments,
        r.received,
        r.kept,
        r.paid_out,
        r.voucher_id,
        r.pdf,
        r.csv,
    )
