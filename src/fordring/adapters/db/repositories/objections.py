"""The debtor's objections of the scope's company (tables_objection.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import case_objection, collection_case
from fordring.domain.errors import NotFound
from fordring.services.ports.objections import ObjectionRecord, StoredAttachment

_LARGEST_ID = 2**31 - 1  # the id column is an INTEGER


def objection_record(row: Any) -> ObjectionRecord:
    """An objection's row (all its columns) as the service reads it."""
    stored = None
    if row.attachment_key is not None:
        stored = StoredAttachment(
            row.attachment_key,
            row.attachment_name,
            row.attachment_type,
            row.attachment_size,
            row.attachment_sha256,
        )
    return ObjectionRecord(
        row.id, row.case_id, row.day, row.actor, row.reason, row.text, row.addition, stored
    )


class SqlObjections:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def add(self, record: ObjectionRecord) -> int:
        owner = self.connection.execute(
            select(collection_case.c.id).where(
                (collection_case.c.id == record.case_id)
                & own(collection_case.c.company_id, self.company_id)
            )
        ).first()
        if owner is None:
            raise NotFound("case", record.case_id)
        stored = record.attachment
        values: dict[str, Any] = {
            "company_id": self.company_id,
            "case_id": record.case_id,
            "day": record.day,
            "actor": record.actor[:100],
            "reason": record.reason,
            "text": record.text,
            "addition": record.addition,
        }
        if stored is not None:
            values |= {
                "attachment_key": stored.key,
                "attachment_name": stored.name,
                "attachment_type": stored.media_type,
                "attachment_size": stored.size,
                "attachment_sha256": stored.sha256,
            }
        new_id = self.connection.execute(
            insert(case_objection).values(values).returning(case_objection.c.id)
        ).scalar_one()
        return int(new_id)

    def of_case(self, case_id: int) -> list[ObjectionRecord]:
        rows = self.connection.execute(
            select(case_objection)
            .where(
                own(case_objection.c.company_id, self.company_id)
                & (case_objection.c.case_id == case_id)
            )
            .order_by(case_objection.c.id)
        )
        return [objection_record(row) for row in rows]

    def get(self, case_id: int, objection_id: int) -> ObjectionRecord | None:
        if not 0 < objection_id <= _LARGEST_ID:  # PostgreSQL refuses a larger INTEGER bind
            return None
        row = self.connection.execute(
            select(case_objection).where(
                (case_objection.c.id == objection_id)
                & own(case_objection.c.company_id, self.company_id)
                & (case_objection.c.case_id == case_id)
            )
        ).first()
        return None if row is None else objection_record(row)
