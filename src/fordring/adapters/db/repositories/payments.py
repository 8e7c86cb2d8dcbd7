"""Payments in storage: bank files read, what a payment can be matched to and pay, the
payment rows themselves, and moving charges' open amounts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import cast

from sqlalchemy import Connection, bindparam, func, insert, select, type_coerce, update
from sqlalchemy.exc import IntegrityError

from fordring.adapters.db.bulk import Encoders, as_owner, write_rows
from fordring.adapters.db.chunks import rows_where_any, rows_where_in
from fordring.adapters.db.locks import lock_rows, locked
from fordring.adapters.db.repositories.companies import reserve_ids
from fordring.adapters.db.repositories.payment_in_time import SqlPaymentInTime
from fordring.adapters.db.repositories.payment_rows import (
    PAYMENT_COLUMNS,
    payment_row,
    payment_view_query,
    views,
)
from fordring.adapters.db.repositories.settlements import SqlSettlements
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import (
    bank_file,
    case_invoice,
    charge,
    collection_case,
    customer,
    invoice,
    payment,
)
from fordring.adapters.db.types import MoneyType
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import Conflict
from fordring.domain.payments import PaymentStatus
from fordring.services.ports import (
    BankFileRecord,
    CaseItem,
    ChargeItem,
    InvoiceItem,
    PaymentLookup,
    PaymentRow,
    PaymentView,
)

ANALYZE_FROM = 10_000  # payments written at once from which PostgreSQL re-reads statistics


class SqlPayments(SqlSettlements, SqlPaymentInTime):
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id
        self.encode = Encoders(connection.dialect.name)
        self.unanalysed = 0  # payments written since the last `refresh_statistics`

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

    def targets_by_kid(self, kids: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
        company_id = self.company_id
        wanted = list(kids)
        cases = rows_where_any(
            self.connection,
            # A merged case's KID pays the case it was merged into (issue 12).
            select(
                collection_case.c.kid,
                func.coalesce(collection_case.c.merged_into, collection_case.c.id).label("id"),
            ).where(collection_case.c.company_id == company_id),
            collection_case.c.kid,
            wanted,
        )
        invoices = rows_where_any(
            self.connection,
            select(invoice.c.kid, invoice.c.id).where(
                (invoice.c.company_id == company_id) & (invoice.c.kind == "invoice")
            ),
            invoice.c.kid,
            wanted,
        )
        return {r.kid: r.id for r in cases}, {r.kid: r.id for r in invoices}

    def open_invoices_by_number(self, numbers: Iterable[int]) -> dict[int, int]:
        company_id = self.company_id
        rows = rows_where_any(
            self.connection,
            select(invoice.c.number, invoice.c.id).where(
                (invoice.c.company_id == company_id)
                & (invoice.c.kind == "invoice")
                & (
                    (invoice.c.open_amount > 0)
                    # paid, but fees or interest charged on it are open
                    | invoice.c.id.in_(
                        select(charge.c.invoice_id).where(
                            (charge.c.company_id == company_id) & (charge.c.open_amount > 0)
                        )
                    )
                )
            ),
            invoice.c.number,
            numbers,
        )
        return {r.number: r.id for r in rows}

    def lookup(self, case_ids: Iterable[int], invoice_ids: Iterable[int]) -> PaymentLookup:
        wanted_invoices = set(invoice_ids)
        named_cases = set(case_ids)
        case_rows = rows_where_any(
            self.connection,
            select(case_invoice.c.case_id, case_invoice.c.invoice_id),
            case_invoice.c.invoice_id,
            wanted_invoices,
        )
        wanted_cases = named_cases | {r.case_id for r in case_rows}
        members = rows_where_any(
            self.connection,
            select(case_invoice.c.case_id, case_invoice.c.invoice_id),
            case_invoice.c.case_id,
            wanted_cases,
        )
        wanted_invoices |= {r.invoice_id for r in members}
        in_case = {r.invoice_id: r.case_id for r in members}
        invoices = rows_where_any(
            self.connection,
            select(
                invoice.c.id,
                invoice.c.number,
                invoice.c.customer_id,
                customer.c.name,
                invoice.c.open_amount,
                invoice.c.due_date,
            )
            .join(customer, customer.c.id == invoice.c.customer_id)
            .where(own(invoice.c.company_id, self.company_id)),
            invoice.c.id,
            wanted_invoices,
        )
        cases = rows_where_any(
            self.connection,
            select(
                collection_case.c.id,
                collection_case.c.number,
                collection_case.c.customer_id,
                collection_case.c.state,
            ).where(own(collection_case.c.company_id, self.company_id)),
            collection_case.c.id,
            wanted_cases,
        )
        charges = rows_where_any(
            self.connection,
            select(
                charge.c.id,
                charge.c.case_id,
                charge.c.invoice_id,
                charge.c.kind,
                charge.c.amount,
                charge.c.open_amount,
                charge.c.charged_on,
            ).where(own(charge.c.company_id, self.company_id)),
            charge.c.case_id,
            wanted_cases,
        )
        invoices_of: dict[int, list[int]] = {}
        for r in sorted(members, key=lambda r: r.invoice_id):
            invoices_of.setdefault(r.case_id, []).append(r.invoice_id)
        interest: dict[int, Decimal] = {}
        for c in charges:
            if c.kind == "interest":
                interest[c.invoice_id] = interest.get(c.invoice_id, Decimal(0)) + c.amount
        return PaymentLookup(
            invoices={  # unpacked: a row's attributes by name cost twice as much
                id_: InvoiceItem(id_, number, customer_id, name, open_amount, due, in_case.get(id_))
                for id_, number, customer_id, name, open_amount, due in cast(
                    "list[tuple[int, int, int, str, Decimal, date]]", invoices
                )
            },
            cases={
                r.id: CaseItem(
                    r.id, r.number, r.customer_id, r.state, tuple(invoices_of.get(r.id, ()))
                )
                for r in cases
                if r.state != CaseState.CLOSED.value or r.id in named_cases
            },
            charges=tuple(
                ChargeItem(c.id, c.case_id, c.invoice_id, c.kind, c.open_amount, c.charged_on)
                for c in charges
                if c.open_amount != 0
            ),
            interest_charged=interest,
        )

    def reserve_ids(self, count: int) -> int:
        return reserve_ids(self.connection, "payment", count)

    def add_payments(self, rows: Sequence[PaymentRow]) -> None:
        company_id = self.company_id
        money, day = self.encode.money, self.encode.day
        write_rows(
            self.connection,
            "payment",
            PAYMENT_COLUMNS,
            [
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
            ],
        )
        self.unanalysed += len(rows)

    def refresh_statistics(self) -> None:
        if self.connection.dialect.name == "postgresql" and self.unanalysed >= ANALYZE_FROM:
            # Rows copied in this transaction have no planner statistics: without them the
            # settlement's query over these payments takes nested loops (seconds, not ms).
            # Once per import: each ANALYZE reads a sample of the whole table.
            with as_owner(self.connection):  # only the owner may analyze
                self.connection.exec_driver_sql("ANALYZE payment")
        self.unanalysed = 0

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

    def candidates(
        self, amounts: Iterable[Decimal], words: Iterable[str]
    ) -> list[tuple[str, str, Decimal]]:
        """Open invoices owing one of `amounts` or of a customer whose name has one of
        `words`, and open cases owing one of `amounts`: (label, customer name, owed)."""
        company_id = self.company_id
        wanted = sorted(set(amounts))
        open_invoices = (
            select(invoice.c.number, customer.c.name, invoice.c.open_amount)
            .join(customer, customer.c.id == invoice.c.customer_id)
            .where(
                (invoice.c.company_id == company_id)
                & (invoice.c.kind == "invoice")
                & (invoice.c.open_amount > 0)
            )
        )
        found = [
            (f"invoice {r.number}", r.name, r.open_amount)
            for r in rows_where_in(self.connection, open_invoices, invoice.c.open_amount, wanted)
        ]
        for word in sorted(set(words))[:10]:
            found += [
                (f"invoice {r.number}", r.name, r.open_amount)
                for r in self.connection.execute(
                    open_invoices.where(func.lower(customer.c.name).contains(word)).limit(20)
                )
            ]
        owed = (
            select(
                collection_case.c.number,
                customer.c.name,
                type_coerce(func.sum(invoice.c.open_amount), MoneyType()).label("owed"),
            )
            .join(customer, customer.c.id == collection_case.c.customer_id)
            .join(case_invoice, case_invoice.c.case_id == collection_case.c.id)
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where(
                (collection_case.c.company_id == company_id)
                & (collection_case.c.state != CaseState.CLOSED.value)
            )
            .group_by(collection_case.c.number, customer.c.name)
        )
        found += [
            (f"case {r.number}", r.name, r.owed)
            for r in self.connection.execute(owed)
            if r.owed in set(wanted)
        ]
        return list(dict.fromkeys(found))

    def add_to_charge_open_amounts(self, changes: dict[int, Decimal]) -> None:
        if not changes:
            return
        self.connection.execute(
            update(charge)
            .where((charge.c.id == bindparam("item")) & own(charge.c.company_id, self.company_id))
            .values(open_amount=charge.c.open_amount + bindparam("change", type_=MoneyType())),
            [{"item": item, "change": change} for item, change in changes.items()],
        )
