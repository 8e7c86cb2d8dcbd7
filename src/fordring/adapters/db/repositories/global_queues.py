"""The queues that span every company: letters waiting for their PDF, settlements
waiting for their documents and the companies with a failed document due for the
periodic retry. Read only by the global jobs, in an unscoped unit of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from fordring.adapters.db.letter_codec import decode_to_print
from fordring.adapters.db.repositories.deliveries import retry_due
from fordring.adapters.db.tables import case_letter, debtor_access, dispatch, settlement
from fordring.services.ports import UnrenderedLetter


class SqlGlobalQueues:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def unrendered_letters(self, limit: int) -> list[UnrenderedLetter]:
        rows = self.connection.execute(
            select(case_letter.c.id, case_letter.c.content, debtor_access.c.pin_to_print)
            .outerjoin(debtor_access, debtor_access.c.letter_id == case_letter.c.id)
            .where(case_letter.c.location == "")
            .order_by(case_letter.c.id)
            .limit(limit)
            # Two renderers at once (PostgreSQL) take different letters; SQLite's writer
            # lock already lets one transaction at a time in.
            .with_for_update(skip_locked=True, of=case_letter)
        ).all()
        return [UnrenderedLetter(r.id, decode_to_print(r.content, r.pin_to_print)) for r in rows]

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
