"""Vouchers and postings: bulk writing (postings first, the voucher last), reading, sums."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, and_, case, func, insert, literal, select, type_coerce

from fordring.adapters.db.bulk import Encoders, as_owner, write_rows
from fordring.adapters.db.repositories.companies import reserve_ids
from fordring.adapters.db.tables import charge, invoice, posting, voucher, voucher_type
from fordring.adapters.db.types import MoneyType
from fordring.domain.ledger import RECEIVABLES, CollectionMapping, Posting, Voucher, VoucherType
from fordring.services.ports import TrialBalanceLine

VOUCHER_COLUMNS = ("id", "company_id", "number", "type_code", "date", "text", "reverses_id")
POSTING_COLUMNS = (
    "voucher_id",
    "line_no",
    "account",
    "amount",
    "customer_id",
    "invoice_id",
    "text",
    "charge_id",
)


class SqlLedger:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id
        self.encode = Encoders(connection.dialect.name)

    def reserve_ids(self, count: int) -> int:
        return reserve_ids(self.connection, "voucher", count)

    def add_numbered(self, vouchers: Sequence[Voucher], first_id: int, first_number: int) -> None:
        self._write(
            [(first_id + n, first_number + n, v) for n, v in enumerate(vouchers)],
        )

    def add_many(self, vouchers: Sequence[Voucher]) -> None:
        for v in vouchers:
            if v.id is None or v.number is None:
                raise ValueError("a voucher is stored with its id and number")
        self._write([(v.id, v.number, v) for v in vouchers])  # type: ignore[misc]

    def _write(self, numbered: Sequence[tuple[int, int, Voucher]]) -> None:
        # Generators: the rows are encoded while PostgreSQL stores the ones before them.
        write_rows(self.connection, "posting", POSTING_COLUMNS, self._posting_rows(numbered))
        write_rows(self.connection, "voucher", VOUCHER_COLUMNS, self._voucher_rows(numbered))

    def _posting_rows(
        self, numbered: Sequence[tuple[int, int, Voucher]]
    ) -> Iterator[tuple[Any, ...]]:
        money = self.encode.money
        for voucher_id, _, v in numbered:
            for line_no, p in enumerate(v.postings, start=1):
                yield (
                    voucher_id,
                    line_no,
                    p.account,
                    money(p.amount),
                    p.customer_id,
                    p.invoice_id,
                    p.text,
                    p.charge_id,
                )

    def _voucher_rows(
        self, numbered: Sequence[tuple[int, int, Voucher]]
    ) -> Iterator[tuple[Any, ...]]:
        company_id, day = self.company_id, self.encode.day
        for voucher_id, number, v in numbered:
            yield (voucher_id, company_id, number, v.type_code, day(v.date), v.text, v.reverses_id)

    def add_voucher_types(self, types: Sequence[VoucherType]) -> None:
        company_id = self.company_id
        self.connection.execute(
            insert(voucher_type),
            [
                {
                    "company_id": company_id,
                    "code": t.code,
                    "name": t.name,
                    "collection": t.collection.value,
                }
                for t in types
            ],
        )

    def voucher_types(self) -> list[VoucherType]:
        company_id = self.company_id
        rows = self.connection.execute(
            select(voucher_type)
            .where(voucher_type.c.company_id == company_id)
            .order_by(voucher_type.c.code)
        )
        return [VoucherType(r.code, r.name, CollectionMapping(r.collection)) for r in rows]

    def get(self, number: int) -> Voucher | None:
        company_id = self.company_id
        found = self._load(and_(voucher.c.company_id == company_id, voucher.c.number == number))
        return found[0] if found else None

    def by_id(self, voucher_id: int) -> Voucher | None:
        company_id = self.company_id
        found = self._load(and_(voucher.c.company_id == company_id, voucher.c.id == voucher_id))
        return found[0] if found else None

    def balance_of(self, account: str, invoice_id: int) -> Decimal:
        company_id = self.company_id
        total = self.connection.execute(
            select(type_coerce(func.coalesce(func.sum(posting.c.amount), 0), MoneyType()))
            .join(voucher, voucher.c.id == posting.c.voucher_id)
            .where(
                (posting.c.invoice_id == invoice_id)
                & (posting.c.account == account)
                & (voucher.c.company_id == company_id)
            )
        ).scalar_one()
        return Decimal(total)

    def vouchers(self, since: date | None, limit: int) -> list[Voucher]:
        company_id = self.company_id
        condition = voucher.c.company_id == company_id
        if since is not None:
            condition = and_(condition, voucher.c.date >= since)
        return self._load(condition, limit)

    def _load(self, condition: Any, limit: int | None = None) -> list[Voucher]:
        heads = select(voucher.c.id).where(condition).order_by(voucher.c.number)
        if limit is not None:
            heads = heads.limit(limit)
        chosen = heads.subquery()
        rows = self.connection.execute(
            select(voucher, posting)
            .join(posting, posting.c.voucher_id == voucher.c.id)
            .where(voucher.c.id.in_(select(chosen.c.id)))
            .order_by(voucher.c.number, posting.c.line_no)
        ).all()
        result: list[Voucher] = []
        for _, group in groupby(rows, key=lambda r: r.id):
            lines = list(group)
            head = lines[0]
            result.append(
                Voucher(
                    type_code=head.type_code,
                    date=head.date,
                    text=head.text,
                    postings=tuple(
                        Posting(
                            r.account, r.amount, r.customer_id, r.invoice_id, r.text_1, r.charge_id
                        )
                        for r in lines
                    ),
                    number=head.number,
                    reverses_id=head.reverses_id,
                    id=head.id,
                )
            )
        return result

    def trial_balance(self, until: date | None) -> list[TrialBalanceLine]:
        company_id = self.company_id
        amount = posting.c.amount
        debit = type_coerce(func.sum(case((amount > 0, amount), else_=literal(0))), MoneyType())
        credit = type_coerce(func.sum(case((amount < 0, -amount), else_=literal(0))), MoneyType())
        condition = voucher.c.company_id == company_id
        if until is not None:
            condition = and_(condition, voucher.c.date <= until)
        rows = self.connection.execute(
            select(posting.c.account, debit.label("debit"), credit.label("credit"))
            .join(voucher, voucher.c.id == posting.c.voucher_id)
            .where(condition)
            .group_by(posting.c.account)
            .order_by(posting.c.account)
        )
        return [TrialBalanceLine(r.account, r.debit, r.credit) for r in rows]

    def open_item_mismatches(self) -> list[tuple[int, Decimal, Decimal]]:
        return self._mismatches(posting.c.invoice_id, invoice, invoice.c.number)

    def charge_mismatches(self) -> list[tuple[int, Decimal, Decimal]]:
        return self._mismatches(posting.c.charge_id, charge, charge.c.id)

    def _mismatches(
        self, reference: Any, items: Any, label: Any
    ) -> list[tuple[int, Decimal, Decimal]]:
        """Open items (invoices or charges) whose open amount differs from the sum of the
        receivable postings that name them: (label, open amount, posted)."""
        company_id = self.company_id
        sums = (
            select(
                reference.label("item"),
                type_coerce(func.sum(posting.c.amount), MoneyType()).label("posted"),
            )
            .join(voucher, voucher.c.id == posting.c.voucher_id)
            .where(
                (voucher.c.company_id == company_id)
                & (posting.c.account == RECEIVABLES)
                & reference.is_not(None)
            )
            .group_by(reference)
            .subquery()
        )
        posted = func.coalesce(sums.c.posted, literal(0))
        rows = self.connection.execute(
            select(label, items.c.open_amount, type_coerce(posted, MoneyType()))
            .outerjoin(sums, sums.c.item == items.c.id)
            .where((items.c.company_id == company_id) & (items.c.open_amount != posted))
            .order_by(label)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def orphan_postings(self) -> int:
        """Postings whose voucher was never written (a crash between the two inserts). A
        posting has no company: the count is global, read as the owner, since row-level
        security would hide other companies' vouchers and make their postings look orphaned
        (docs/decisions/0005-scope.md)."""
        with as_owner(self.connection):
            return int(
                self.connection.execute(
                    select(func.count())
                    .select_from(posting)
                    .outerjoin(voucher, voucher.c.id == posting.c.voucher_id)
                    .where(voucher.c.id.is_(None))
                ).scalar_one()
            )

    # --- the period's ledger, for a SAF-T export ------------------------------------

    def vouchers_in(self, start: date, end: date, after: int, limit: int) -> list[Voucher]:
        """Up to `limit` vouchers dated `start`..`end` numbered after `after`, in order."""
        condition = and_(
            voucher.c.company_id == self.company_id,
            voucher.c.date >= start,
            voucher.c.date <= end,
            voucher.c.number > after,
        )
        return self._load(condition, limit)

    def period_totals(self, start: date, end: date) -> tuple[int, Decimal, Decimal]:
        """The vouchers dated `start`..`end`: how many, their debits and their credits."""
        amount = posting.c.amount
        dated = (
            (voucher.c.company_id == self.company_id)
            & (voucher.c.date >= start)
            & (voucher.c.date <= end)
        )
        count = self.connection.execute(
            select(func.count()).select_from(voucher).where(dated)
        ).scalar_one()
        debit = type_coerce(func.sum(case((amount > 0, amount), else_=literal(0))), MoneyType())
        credit = type_coerce(func.sum(case((amount < 0, -amount), else_=literal(0))), MoneyType())
        row = self.connection.execute(
            select(debit, credit).join(voucher, voucher.c.id == posting.c.voucher_id).where(dated)
        ).one()
        return int(count), Decimal(row[0] or 0), Decimal(row[1] or 0)

    def customer_balances(self, until: date) -> dict[int, Decimal]:
        """Each customer's receivable (1500) balance at the end of `until`, by customer id;
        a posting without a customer counts for its invoice's."""
        who = func.coalesce(posting.c.customer_id, invoice.c.customer_id)
        rows = self.connection.execute(
            select(who, type_coerce(func.sum(posting.c.amount), MoneyType()))
            .join(voucher, voucher.c.id == posting.c.voucher_id)
            .outerjoin(invoice, invoice.c.id == posting.c.invoice_id)
            .where(
                (voucher.c.company_id == self.company_id)
                & (voucher.c.date <= until)
                & (posting.c.account == RECEIVABLES)
            )
            .group_by(who)
        )
        return {r[0]: Decimal(r[1]) for r in rows if r[0] is not None}

    def invoice_references(self, ids: Sequence[int]) -> dict[int, tuple[int, str, date, int]]:
        """Invoices by id: (number, KID, due date, customer id)."""
        found: dict[int, tuple[int, str, date, int]] = {}
        for start in range(0, len(ids), 5_000):
            rows = self.connection.execute(
                select(
                    invoice.c.id,
                    invoice.c.number,
                    invoice.c.kid,
                    invoice.c.due_date,
                    invoice.c.customer_id,
                ).where(
                    (invoice.c.company_id == self.company_id)
                    & invoice.c.id.in_(ids[start : start + 5_000])
                )
            )
            found.update({r.id: (r.number, r.kid, r.due_date, r.customer_id) for r in rows})
        return found
