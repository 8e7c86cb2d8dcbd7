"""Looking up many values with `IN (...)`, in chunks both databases take comfortably."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row

CHUNK = 500


def rows_where_in(
    connection: Connection, query: Any, column: Any, values: Iterable[Any]
) -> list[Row[Any]]:
    """The rows of `query` whose `column` is one of `values`."""
    wanted = sorted(set(values))
    rows: list[Row[Any]] = []
    for start in range(0, len(wanted), CHUNK):
        rows.extend(connection.execute(query.where(column.in_(wanted[start : start + CHUNK]))))
    return rows
