"""Looking up many values with `IN (...)`, in chunks both databases take comfortably."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ARRAY,
    Connection,
    Dialect,
    Row,
    String,
    TypeDecorator,
    any_,
    bindparam,
    func,
    select,
)
from sqlalchemy.types import TypeEngine

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


def rows_where_any(
    connection: Connection, query: Any, column: Any, values: Iterable[Any]
) -> list[Row[Any]]:
    """The rows of `query` whose `column` is one of `values`, in one statement whatever
    their number: one array parameter on PostgreSQL, one JSON list on SQLite. Bulk paths
    use it: a statement with thousands of bound values costs more to build, send and
    plan than to run."""
    wanted = sorted(set(values))
    if not wanted:
        return []
    if connection.dialect.name == "postgresql":
        # Text without its length: a cast to VARCHAR(25)[] would cut a longer value short.
        kind = String() if isinstance(column.type, String) else column.type
        given = bindparam("wanted", array_text(wanted), type_=_ArrayText(kind))
        return list(connection.execute(query.where(column == any_(given))))
    listed = func.json_each(bindparam("wanted", json.dumps(wanted))).table_valued("value")
    return list(connection.execute(query.where(column.in_(select(listed.c.value)))))


class AnyOf:
    """`rows_where_any` for a query built once, with bind parameters of its own bound at
    each call: the statement with the values' parameter is built once per dialect too,
    so SQLAlchemy's compiled cache finds it without building it again each call."""

    def __init__(self, query: Any, column: Any) -> None:
        kind = String() if isinstance(column.type, String) else column.type
        wanted = bindparam("wanted", type_=_ArrayText(kind))
        self.postgresql = query.where(column == any_(wanted))
        listed = func.json_each(bindparam("wanted", type_=String())).table_valued("value")
        self.sqlite = query.where(column.in_(select(listed.c.value)))

    def rows(
        self, connection: Connection, values: Iterable[Any], given: dict[str, Any]
    ) -> list[Row[Any]]:
        """The rows whose column is one of `values`; `given`: the query's own parameters."""
        wanted = sorted(set(values))
        if not wanted:
            return []
        if connection.dialect.name == "postgresql":
            bound = {**given, "wanted": array_text(wanted)}
            return list(connection.execute(self.postgresql, bound))
        return list(connection.execute(self.sqlite, {**given, "wanted": json.dumps(wanted)}))


class _ArrayText(TypeDecorator[Any]):
    """An array parameter given as its text (`array_text`), cast to `kind[]` in the
    statement: psycopg passes a str untyped, so the cast makes it a constant array the
    planner sees whole (a CAST from TEXT would hide its size from the planner)."""

    impl = ARRAY(String())
    cache_ok = True

    def __init__(self, kind: TypeEngine[Any]) -> None:
        super().__init__()
        self.impl = ARRAY(kind)

    def bind_processor(self, dialect: Dialect) -> None:
        return None  # the text as it is, not item by item


def array_text(values: Iterable[Any]) -> str:
    """`values` (numbers, strings, days, moments with their zone; None is NULL) as a
    PostgreSQL array literal, to be cast to the array's type in the statement: psycopg
    builds an array parameter value by value in Python, about 1.5 µs each (30 ms for a
    batch's 20,000 KIDs), this 0.3 µs."""
    return "{" + ",".join(_element(v) for v in values) + "}"


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return _quoted(str(value))  # a text, a day, a moment (its spaces and signs quoted)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
