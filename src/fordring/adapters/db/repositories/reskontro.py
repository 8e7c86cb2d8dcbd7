"""Customer-ledger queries: aging of open items, set-based in the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, select, type_coerce

from fordring.adapters.db.tables import customer, invoice
from fordring.adapters.db.types import MoneyType
from fordring.domain.reskontro import AGING_BUCKETS, AgingRow


class SqlReskontro:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def aging(self, company_id: int, as_of: date, *, by_customer: bool) -> list[AgingRow]:
        """One row per customer (or one total row): open amounts per aging bucket."""
        columns: list[Any] = []
        for bucket in AGING_BUCKETS:
            earliest, latest = bucket.due_dates(as_of)
            conditions = []
            if earliest is not None:
                conditions.append(invoice.c.due_date >= earliest)
            if latest is not None:
                conditions.append(invoice.c.due_date <= latest)
            amount = case((and_(*conditions), invoice.c.open_amount), else_=literal(0))
            columns.append(type_coerce(func.sum(amount), MoneyType()).label(f"b{len(columns)}"))
        count = func.count().label("items")
        where = (invoice.c.company_id == company_id) & (invoice.c.open_amount != 0)
        if by_customer:
            per_customer = (
                select(invoice.c.customer_id, count, *columns)
                .where(where)
                .group_by(invoice.c.customer_id)
                .subquery()
            )
            query = (
                select(customer.c.number, customer.c.name, per_customer)
                .join(customer, customer.c.id == per_customer.c.customer_id)
                .order_by(customer.c.number)
            )
        else:
            query = select(count, *columns).where(where)
        rows: list[AgingRow] = []
        for row in self.connection.execute(query):
            if row.items == 0:
                continue
            buckets = {
                bucket.name: getattr(row, f"b{i}") or Decimal(0)
                for i, bucket in enumerate(AGING_BUCKETS)
            }
            label = f"{row.number} {row.name}" if by_customer else "Total"
            rows.append(AgingRow(label, buckets, row.items))
        return rows
