"""The queues that span every company: settlements waiting for their documents and the
companies with a failed document due for the periodic retry. Read only by the global jobs,
in an unscoped unit of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from fordring.adapters.db.repositories.deliveries import retry_due
from fordring.adapters.db.tables import dispatch, settlement


class SqlGlobalQueues:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def unwritten_settlements(self) -> list[tuple[int, int, int]]:
        """(settlement id, company id, number) of settlements whose documents are missing."""
        rows = self.connection.execute(
            select(settlement.c.id, settlement.c.company_id, settlement.c.number)
            .where(settlement.c.pdf == "")
            .order_by(settlement.c.id)
        )
        return [(r.id, r.company_id, r.number) for r in rows]

    def companies_with_retries_due(self, most: int, last_tried_before: datetime) -> list[int]:
        """The companies (ids, ascending) with a failed document the periodic retry takes
        (`retry_due`): only they get a retry job."""
        rows = self.connection.execute(
            select(dispatch.c.company_id)
            .where(retry_due(most, last_tried_before))
            .distinct()
            .order_by(dispatch.c.company_id)
        )
        return [r.company_id for r in rows]
