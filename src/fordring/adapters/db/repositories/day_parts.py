"""The parts of a company's day of the run (`day_part`, services/ports/day_parts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, delete, func, insert, select, update

from fordring.adapters.db.tables import collection_case, day_part
from fordring.domain.collection.states import CaseState
from fordring.services.ports.day_parts import Customers, DayPart


class SqlDayParts:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def woken_customers(self, day: date) -> list[tuple[int, int]]:
        company_id = self.company_id
        rows = self.connection.execute(
            select(collection_case.c.customer_id, func.count())
            .where(
                (collection_case.c.company_id == company_id)
                & (collection_case.c.wake_on <= day)
                & (collection_case.c.state != CaseState.CLOSED.value)
            )
            .group_by(collection_case.c.customer_id)
            .order_by(collection_case.c.customer_id)
        ).all()
        return [(int(customer), int(cases)) for customer, cases in rows]

    def plan(self, day: date, chunks: Sequence[Customers]) -> None:
        first = Customers(0, None)
        self.connection.execute(
            insert(day_part),
            [
                {
                    "company_id": self.company_id,
                    "day": day,
                    "part": number,
                    "after_customer": c.after,
                    "up_to_customer": c.up_to,
                    "done": number == 0,
                }
                for number, c in enumerate([first, *chunks])
            ],
        )

    def parts(self, day: date, *, lock: bool = False) -> list[DayPart]:
        company_id = self.company_id
        query = (
            select(day_part)
            .where((day_part.c.company_id == company_id) & (day_part.c.day == day))
            .order_by(day_part.c.part)
        )
        if lock:
            query = query.with_for_update()
        return [
            DayPart(r.part, Customers(r.after_customer, r.up_to_customer), bool(r.done))
            for r in self.connection.execute(query)
        ]

    def mark_done(self, day: date, part: int) -> None:
        company_id = self.company_id
        self.connection.execute(
            update(day_part)
            .where(
                (day_part.c.company_id == company_id)
                & (day_part.c.day == day)
                & (day_part.c.part == part)
            )
            .values(done=True)
        )

    def forget(self, day: date) -> None:
        company_id = self.company_id
        self.connection.execute(
            delete(day_part).where((day_part.c.company_id == company_id) & (day_part.c.day == day))
        )
