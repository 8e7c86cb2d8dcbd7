"""The change log: who changed a company's details or merged a customer, when, and what
(each field before and after, as JSON). Rows are only added."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, insert, select

from fordring.adapters import clock
from fordring.adapters.db.tables import change_log
from fordring.services.ports.companies import Change


def record_change(connection: Connection, company_id: int, change: Change) -> None:
    connection.execute(
        insert(change_log).values(
            company_id=company_id,
            subject=change.subject,
            subject_key=change.key,
            changes=json.dumps(
                {k: list(v) for k, v in change.fields.items()}, ensure_ascii=False, sort_keys=True
            ),
            business_date=change.business_date,
            actor=change.actor,
            changed_at=clock.now_in_oslo(),
        )
    )


def changes_of(
    connection: Connection, company_id: int, subject: str | None, key: str | None
) -> list[Change]:
    where = change_log.c.company_id == company_id
    if subject is not None:
        where &= change_log.c.subject == subject
    if key is not None:
        where &= change_log.c.subject_key == key
    rows = connection.execute(select(change_log).where(where).order_by(change_log.c.id))
    return [_change(row) for row in rows]


def _change(row: Any) -> Change:
    fields = {k: (str(v[0]), str(v[1])) for k, v in json.loads(row.changes).items()}
    return Change(
        row.subject, row.subject_key, fields, row.business_date, row.actor, row.changed_at
    )
