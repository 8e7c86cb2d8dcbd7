"""Looking up many values with `IN (...)`, in chunks both databases take comfortably."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row

CHUNK = 500


def rows_where_in(
    connection: Connection, query: Any, column: Any, values: Iterable[Any], chunk: int = CHUNK
) -> list[Row[Any]]:
    """The rows of `query` whose `column` is one of `values` (`chunk` at a time: bulk
    paths use larger ones, which both databases take)."""
    wanted = sorted(set(values))
    rows: list[Row[Any]] = []
    for start in range(0, len(wanted), chunk):
        rows.extend(connection.execute(query.where(column.in_(wanted[start : start + chunk]))))
    return rows
