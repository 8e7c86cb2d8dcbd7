"""Payments in storage: bank files read, the payment rows themselves, and moving charges'
open amounts; what a payment can be matched to and pay is in payment_targets.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from fordring.adapters.db.bulk import ANALYZE_FROM, Encoders, as_owner, write_rows
from fordring.adapters.db.locks import lock_rows, locked
from fordring.adapters.db.repositories.companies import reserve_ids
from fordring.adapters.db.repositories.payment_holds import SqlPaymentHolds
from fordring.adapters.db.repositories.payment_in_time import SqlPaymentInTime
from fordring.adapters.db.repositories.payment_rows import (
    PAYMENT_COLUMNS,
    payment_row,
    payment_view_query,
    views,
)
from fordring.adapters.db.repositories.payment_targets import SqlPaymentTargets
from fordring.adapters.db.repositories.settlements import SqlSettlements
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import bank_file, charge, collection_case, invoice, payment
from fordring.adapters.db.types import MoneyType
from fordring.domain.errors import Conflict
from fordring.domain.payments import PaymentStatus
from fordring.services.ports import BankFileRecord, PaymentRow, PaymentView


class SqlPayments(SqlSettlements, SqlPaymentInTime, SqlPaymentTargets, SqlPaymentHolds):
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id
        self.encode = Encoders(connection.dialect.name)

    def find_bank_file(self, sha256: str, format: str, file_id: str) -> BankFileRecord | None:
        company_id = self.company_id
        row = self.connection.execute(
            select(bank_file).where(
                (bank_file.c.company_id == company_id)
                & (
                    (bank_file.c.sha256 == sha256)
                    | ((bank_file.c.format == format) & (bank_file.c.file_id == file_id))
                )
            )
        ).first()
        if row is None:
            return None
        return BankFileRecord(
            row.id, row.format, row.file_id, row.filename, row.imported_on, row.transactions
        )

    def add_bank_file(
        self,
        format: str,
        file_id: str,
        sha256: str,
        filename: str,
        day: date,
        transactions: int,
        total: Decimal,
    ) -> int:
        company_id = self.company_id
        try:
            return int(
                self.connection.execute(
                    insert(bank_file)
                    .values(
                        company_id=company_id,
                        format=format,
                        file_id=file_id,
                        sha256=sha256,
                        filename=filename,
                        imported_on=day,
                        transactions=transactions,
                        total=total,
                    )
                    .returning(bank_file.c.id)
                ).scalar_one()
            )
        except IntegrityError:
            # The same file imported at the same moment: the other import waited on the
            # unique key and committed first.
            raise Conflict(
                f"file: {filename!r} ({format} {file_id}) was imported by someone else at "
                "the same moment; nothing was booked"
            ) from None

    def reserve_ids(self, count: int) -> int:
        return reserve_ids(self.connection, "payment", count)

    def add_payments(self, rows: Iterable[PaymentRow]) -> None:
        company_id = self.company_id
        money, day = self.encode.money, self.encode.day
        write_rows(
            self.connection,
            "payment",
            PAYMENT_COLUMNS,
            (
                (
                    r.id,
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
                    r.status,
                    r.matched_by,
                    day(r.matched_on) if r.matched_on is not None else None,
                    r.customer_id,
                    r.case_id,
                    r.voucher_id,
                    r.allocation_voucher_id,
                    money(r.principal),
                    money(r.interest),
                    money(r.fees),
                    money(r.salaer),
                    money(r.credit),
                    money(r.refunded),
                    r.settlement_id,
                    r.reverses_id,
                    r.invoice_numbers,
                )
                for r in rows
            ),
        )

    def prepare_lookups(self, payments: int) -> None:
        if self.connection.dialect.name == "postgresql" and payments >= ANALYZE_FROM:
            # Invoices and customers bulk-loaded shortly before (an import) may have no
            # statistics yet; under row-level security the planner then expects one row
            # and takes nested loops: 100,000 payments' lookups took 400 s instead of 2 s.
            with as_owner(self.connection):
                self.connection.exec_driver_sql(
                    "ANALYZE invoice, customer, collection_case, case_invoice, charge"
                )

    def get(self, number: int, *, lock: bool = False) -> PaymentView | None:
        company_id = self.company_id
        query = payment_view_query().where(
            (payment.c.company_id == company_id) & (payment.c.number == number)
        )
        found = views(self.connection, locked(query, payment) if lock else query)
        return found[0] if found else None

    def lock_targets(self, case_ids: Iterable[int], invoice_ids: Iterable[int]) -> None:
        lock_rows(self.connection, collection_case, case_ids, self.company_id)
        lock_rows(self.connection, invoice, invoice_ids, self.company_id)

    def listing(self, *, status: str | None, limit: int, number_from: int = 0) -> list[PaymentView]:
        company_id = self.company_id
        where = (payment.c.company_id == company_id) & (payment.c.number >= number_from)
        if status is not None:
            where &= payment.c.status == status
        return views(
            self.connection,
            payment_view_query().where(where).order_by(payment.c.number).limit(limit),
        )

    def views(self, payment_ids: Sequence[int]) -> list[PaymentView]:
        company_id = self.company_id
        found: list[PaymentView] = []
        for start in range(0, len(payment_ids), 500):
            chunk = payment_ids[start : start + 500]
            found += views(
                self.connection,
                payment_view_query().where(
                    (payment.c.company_id == company_id) & payment.c.id.in_(chunk)
                ),
            )
        return sorted(found, key=lambda v: v.row.number)

    def update(self, row: PaymentRow, *, was: PaymentRow | None = None) -> None:
        values = {
            name: getattr(row, name)
            for name in PAYMENT_COLUMNS
            if name not in ("id", "company_id", "number")
        }
        where = (payment.c.id == row.id) & own(payment.c.company_id, self.company_id)
        if was is not None:  # guarded: only if nobody changed it since it was read
            where &= (payment.c.status == was.status) & (payment.c.refunded == was.refunded)
        done = self.connection.execute(update(payment).where(where).values(**values))
        if was is not None and done.rowcount != 1:
            raise Conflict(f"payment {row.number} was changed by someone else; nothing was done")

    def reversible(self, kid: str, amount: Decimal) -> PaymentRow | None:
        company_id = self.company_id
        row = self.connection.execute(
            select(payment)
            .where(
                (payment.c.company_id == company_id)
                & (payment.c.kid == kid)
                & (payment.c.amount == amount)
                & payment.c.status.in_([PaymentStatus.MATCHED.value, PaymentStatus.UNMATCHED.value])
                & payment.c.reverses_id.is_(None)
                & payment.c.settlement_id.is_(None)
                & (payment.c.refunded == 0)
            )
            .order_by(payment.c.received_on.desc(), payment.c.id.desc())
            .limit(1)
        ).first()
        return payment_row(row) if row is not None else None

    def add_to_charge_open_amounts(self, changes: dict[int, Decimal]) -> None:
        if not changes:
            return
        self.connection.execute(
            update(charge)
            .where((charge.c.id == bindparam("item")) & own(charge.c.company_id, self.company_id))
            .values(open_amount=charge.c.open_amount + bindparam("change", type_=MoneyType())),
            [{"item": item, "change": change} for item, change in changes.items()],
        )
