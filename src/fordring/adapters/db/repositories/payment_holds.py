"""Bank files' look-alikes in storage (issue 14): the payments of some days to compare a
file's payments with, and the held payments; mixed into SqlPayments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update

from fordring.adapters.db.bulk import Encoders, write_rows
from fordring.adapters.db.locks import locked
from fordring.adapters.db.scoping import own, owned_ids
from fordring.adapters.db.tables import bank_file, held_payment, payment
from fordring.domain.errors import Conflict, NotFound
from fordring.domain.look_alikes import Seen
from fordring.services.ports.payment_holds import HeldPayment, HeldStatus

HELD_COLUMNS = (
    *("company_id", "number", "bank_file_id", "place", "channel", "received_on", "amount"),
    *("kid", "text", "payer_name", "payer_account", "archive_ref", "transaction_type"),
    *("credit_note", "like_payment", "reason", "status"),
)


class SqlPaymentHolds:
    connection: Connection
    company_id: int
    encode: Encoders

    def seen_between(self, first: date, last: date) -> list[Seen]:
        company_id = self.company_id
        rows = self.connection.execute(
            select(
                payment.c.number,
                payment.c.received_on,
                payment.c.amount,
                payment.c.kid,
                payment.c.payer_account,
                payment.c.archive_ref,
            ).where(
                (payment.c.company_id == company_id)
                & (payment.c.received_on >= first)
                & (payment.c.received_on <= last)
            )
        )
        return [Seen(int(r[0]), r[1], Decimal(r[2]), r[3], r[4], r[5]) for r in rows]

    def hold(self, rows: Sequence[HeldPayment]) -> None:
        # In bulk (COPY on PostgreSQL): a whole file sent again holds every payment of it.
        company_id = self.company_id
        files = {r.bank_file_id for r in rows}
        if others := files - owned_ids(self.connection, bank_file, files, company_id):
            raise NotFound("bank file", min(others))
        money, day, flag = self.encode.money, self.encode.day, self.encode.flag
        write_rows(
            self.connection,
            "held_payment",
            HELD_COLUMNS,
            [
                (
                    company_id,
                    r.number,
                    r.bank_file_id,
                    r.place,
                    r.channel,
                    day(r.received_on),
                    money(r.amount),
                    r.kid,
                    r.text,
                    r.payer_name,
                    r.payer_account,
                    r.archive_ref,
                    r.transaction_type,
                    flag(r.credit_note),
                    r.like_payment,
                    r.reason,
                    r.status,
                )
                for r in rows
            ],
        )

    def held(self, number: int, *, lock: bool = False) -> HeldPayment | None:
        company_id = self.company_id
        query = select(held_payment).where(
            (held_payment.c.company_id == company_id) & (held_payment.c.number == number)
        )
        row = self.connection.execute(locked(query, held_payment) if lock else query).first()
        return _held(row) if row is not None else None

    def held_listing(self, *, waiting_only: bool, limit: int) -> list[HeldPayment]:
        company_id = self.company_id
        where = held_payment.c.company_id == company_id
        if waiting_only:
            where &= held_payment.c.status == HeldStatus.HELD.value
        query = select(held_payment).where(where).order_by(held_payment.c.number).limit(limit)
        return [_held(r) for r in self.connection.execute(query)]

    def decide_held(self, row: HeldPayment) -> None:
        done = self.connection.execute(
            update(held_payment)
            .where(
                (held_payment.c.id == row.id)
                & own(held_payment.c.company_id, self.company_id)
                & (held_payment.c.status == HeldStatus.HELD.value)
            )
            .values(status=row.status, decided_on=row.decided_on, payment_number=row.payment_number)
        )
        if done.rowcount != 1:
            raise Conflict(f"held payment {row.number} was decided by someone else; nothing done")


def _held(row: Any) -> HeldPayment:
    return HeldPayment(
        id=row.id,
        number=int(row.number),
        bank_file_id=row.bank_file_id,
        place=row.place,
        channel=row.channel,
        received_on=row.received_on,
        amount=Decimal(row.amount),
        kid=row.kid,
        text=row.text,
        payer_name=row.payer_name,
        payer_account=row.payer_account,
        archive_ref=row.archive_ref,
        transaction_type=row.transaction_type,
        credit_note=bool(row.credit_note),
        like_payment=int(row.like_payment),
        reason=row.reason,
        status=row.status,
        decided_on=row.decided_on,
        payment_number=None if row.payment_number is None else int(row.payment_number),
    )
