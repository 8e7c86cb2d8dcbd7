"""Customer-ledger queries: aging of open items (invoices and fee charges), set-based."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, select, type_coerce

from fordring.adapters.db.tables import charge, collection_case, customer, invoice
from fordring.adapters.db.types import MoneyType
from fordring.domain.reskontro import AGING_BUCKETS, AgingRow, empty_buckets


class SqlReskontro:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def aging(self, as_of: date, *, by_customer: bool) -> list[AgingRow]:
        """One row per customer (or one total row): open amounts per aging bucket, of
        invoices and of charges (fees, due the day they are charged). Each is summed on its
        own, so the invoices' partial index on open items is used."""
        company_id = self.company_id
        invoices = self._sums(
            invoice.c.customer_id,
            invoice.c.due_date,
            invoice.c.open_amount,
            (invoice.c.company_id == company_id) & (invoice.c.open_amount != 0),
            None,
            as_of,
            by_customer,
        )
        charges = self._sums(
            collection_case.c.customer_id,
            charge.c.charged_on,
            charge.c.open_amount,
            (charge.c.company_id == company_id) & (charge.c.open_amount != 0),
            collection_case,
            as_of,
            by_customer,
        )
        totals: dict[int, tuple[dict[str, Decimal], int]] = {}
        for key, buckets, count in [*invoices, *charges]:
            sums, items = totals.get(key, (empty_buckets(), 0))
            totals[key] = ({n: sums[n] + buckets[n] for n in sums}, items + count)
        if not by_customer:
            return [AgingRow("Total", sums, items) for sums, items in totals.values() if items]
        customers = {
            row.id: (row.number, f"{row.number} {row.name}")
            for row in self.connection.execute(
                select(customer.c.id, customer.c.number, customer.c.name).where(
                    customer.c.company_id == company_id
                )
            )
        }
        ordered = sorted(totals.items(), key=lambda item: customers[item[0]][0])
        return [AgingRow(customers[key][1], sums, items) for key, (sums, items) in ordered]

    def _sums(
        self,
        customer_id: Any,
        due_date: Any,
        open_amount: Any,
        where: Any,
        join: Any,
        as_of: date,
        by_customer: bool,
    ) -> list[tuple[int, dict[str, Decimal], int]]:
        columns: list[Any] = []
        for bucket in AGING_BUCKETS:
            earliest, latest = bucket.due_dates(as_of)
            conditions = []
            if earliest is not None:
                conditions.append(due_date >= earliest)
            if latest is not None:
                conditions.append(due_date <= latest)
            amount = case((and_(*conditions), open_amount), else_=literal(0))
            columns.append(type_coerce(func.sum(amount), MoneyType()).label(f"b{len(columns)}"))
        key = customer_id if by_customer else literal(0)
        query = select(key.label("key"), func.count().label("items"), *columns).where(where)
        if join is not None:
            query = query.select_from(charge.join(join, join.c.id == charge.c.case_id))
        if by_customer:
            query = query.group_by(customer_id)
        result = []
        for row in self.connection.execute(query):
            if not row.items:
                continue
            buckets = {
                bucket.name: getattr(row, f"b{i}") or Decimal(0)
                for i, bucket in enumerate(AGING_BUCKETS)
            }
            result.append((row.key, buckets, row.items))
        return result
