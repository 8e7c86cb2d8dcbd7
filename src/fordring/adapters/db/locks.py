"""Row locks for reads that decide a write (`SELECT … FOR NO KEY UPDATE`: what the UPDATE
that follows takes anyway, so rows that merely refer to the locked one are not held up; in
id order, so two lockers never deadlock); SQLite's single writer already serialises."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, select

from fordring.adapters.db.scoping import own

CHUNK = 5000


def lock_rows(
    connection: Connection, table: Table, ids: Iterable[int], company_id: int | None = None
) -> None:
    """Lock `table`'s rows with these ids until the transaction ends (with `company_id`:
    only those of that company)."""
    if connection.dialect.name != "postgresql":
        return
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        where: Any = table.c.id.in_(chunk)
        if company_id is not None:
            where &= own(table.c.company_id, company_id)
        connection.execute(
            select(table.c.id).where(where).order_by(table.c.id).with_for_update(key_share=True)
        ).all()


def locked(query: Any, table: Table) -> Any:
    """`query` taking a row lock on `table`'s rows (not the outer-joined ones)."""
    return query.with_for_update(of=table, key_share=True)
