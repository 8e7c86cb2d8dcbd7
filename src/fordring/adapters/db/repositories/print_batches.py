"""Which print batch each paper document is in (issue 14): the days that have batches, the
documents sent on paper that are in none yet, and joining them into the next batch of
their day. Mixed into SqlDeliveries."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import Connection, func, select, update

from fordring.adapters.db.chunks import rows_where_in
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import dispatch
from fordring.services.ports import OnPaper


class SqlPrintBatches:
    connection: Connection
    company_id: int

    def batched_days(self, days: Collection[date]) -> set[date]:
        query = (
            select(dispatch.c.post_day)
            .where((dispatch.c.company_id == self.company_id) & dispatch.c.print_batch.is_not(None))
            .distinct()
        )
        return {
            r.post_day for r in rows_where_in(self.connection, query, dispatch.c.post_day, days)
        }

    def unbatched_day(self) -> date | None:
        day: date | None = self.connection.execute(
            select(func.min(dispatch.c.post_day)).where(
                (dispatch.c.company_id == self.company_id)
                & dispatch.c.post_day.is_not(None)
                & dispatch.c.print_batch.is_(None)
            )
        ).scalar_one()
        return day

    def unbatched(self, day: date) -> list[OnPaper]:
        rows = self.connection.execute(
            select(dispatch.c.id, dispatch.c.post_day, dispatch.c.paper_name)
            .where(
                (dispatch.c.company_id == self.company_id)
                & (dispatch.c.post_day == day)
                & dispatch.c.print_batch.is_(None)
            )
            .order_by(dispatch.c.id)
            # Not SKIP LOCKED: a second deliverer waits, then finds them batched.
            .with_for_update()
        ).all()
        return [OnPaper(r.id, r.post_day, r.paper_name or "") for r in rows]

    def last_print_batch(self, day: date) -> int:
        last: int | None = self.connection.execute(
            select(func.max(dispatch.c.print_batch)).where(
                (dispatch.c.company_id == self.company_id) & (dispatch.c.post_day == day)
            )
        ).scalar_one()
        return last or 0

    def into_print_batch(self, dispatch_ids: Sequence[int], number: int) -> None:
        ids = sorted(set(dispatch_ids))
        for start in range(0, len(ids), 500):
            self.connection.execute(
                update(dispatch)
                .where(
                    dispatch.c.id.in_(ids[start : start + 500])
                    & own(dispatch.c.company_id, self.company_id)
                    & dispatch.c.post_day.is_not(None)
                )
                .values(print_batch=number)
            )
