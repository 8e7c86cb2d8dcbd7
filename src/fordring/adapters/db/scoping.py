"""Confining a statement to the scope's company when it names rows by id.

`own(column, company_id)` is `column = company_id` written as `column + 0 = ?`: SQLite
then cannot use the company index for it and keeps looking rows up by id (docs/
performance.md: with a plain `company_id = ?` beside `id IN (...)` it walked the company
index, 14 s instead of 0.3 s). The condition is still checked on every row it reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, select

from fordring.adapters.db.chunks import CHUNK


def own(column: Any, company_id: int) -> ColumnElement[bool]:
    """The row's company is the scope's (checked per row, never chosen as the index)."""
    result: ColumnElement[bool] = (column + 0) == company_id
    return result


def owned_ids(
    connection: Connection, table: Table, ids: Iterable[int], company_id: int
) -> set[int]:
    """Those of `ids` that are rows of `table` belonging to the company (by primary key)."""
    wanted = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found.update(
            connection.execute(
                select(table.c.id).where(
                    table.c.id.in_(chunk) & own(table.c.company_id, company_id)
                )
            ).scalars()
        )
    return found
