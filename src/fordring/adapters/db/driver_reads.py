"""Reads on a hot path sent to PostgreSQL through psycopg itself, several in one round
trip (psycopg's pipeline mode), with their SQL compiled once per process.

SQLAlchemy costs about 0.1-0.15 ms of CPU a statement on top of psycopg's own work (its
execution context, the result's metadata, the row processors, the events), and each
statement is a round trip of its own. A case lookup (`GET /api/v1/cases/{n}`) reads three
statements whose SQL never changes: `DriverRead` compiles such a select once for
PostgreSQL (the same SQL SQLAlchemy would send, bind casts and all), and `read_together`
sends them in one pipeline on the transaction's own connection, so they run in its
transaction, as its role, for its company (row-level security as for any statement),
and psycopg prepares them server-side as it does SQLAlchemy's (`prepare_threshold`).

Rows come back as named tuples with the columns' names, money (`MoneyType`) quantized
to øre as SQLAlchemy's result processing does. Only selects whose columns need no other
result processing belong here (integers, text, dates, money: a column of any other
`TypeDecorator` is refused when the read is made, a `TypeError`); SQLite and any other
statement go through SQLAlchemy as always (`read_together` does that itself when the
connection is not PostgreSQL's)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.types import TypeDecorator

from fordring.adapters.db import bulk
from fordring.adapters.db.types import MoneyType

_ORE = Decimal("0.01")


def _money(value: Any) -> Any:
    return None if value is None else Decimal(value).quantize(_ORE)


class DriverRead:
    """One select, compiled for PostgreSQL once (at its first use, by the engine's dialect);
    run with `read_together`."""

    sql: str | None = None
    fixed: dict[str, Any]  # the constants the select binds (a charge's kind, …)
    required: frozenset[str]  # the binds without a value: the caller's params must name them

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self.statement = statement
        columns = list(statement.selected_columns)
        for c in columns:
            if isinstance(c.type, TypeDecorator) and not isinstance(c.type, MoneyType):
                raise TypeError(
                    f"column {c.name}: {type(c.type).__name__} needs result processing"
                    " a driver read does not do (only money's); read it through SQLAlchemy"
                )
        self.row: Any = namedtuple("Row", [c.name for c in columns])  # type: ignore[misc]
        converters = [(i, _money) for i, c in enumerate(columns) if isinstance(c.type, MoneyType)]
        self.converters: Sequence[tuple[int, Callable[[Any], Any]]] = converters

    def compiled(self, dialect: Dialect) -> str:
        if self.sql is None:
            compiled = self.statement.compile(dialect=dialect)
            self.required = frozenset(n for n, b in compiled.binds.items() if b.required)
            self.fixed = {n: v for n, v in compiled.params.items() if n not in self.required}
            self.sql = str(compiled)
        return self.sql

    def bound(self, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The SQL and its parameters; a required bind missing from `params` is an error
        (psycopg would send NULL for it: a case never found), as SQLAlchemy's."""
        sql = self.compiled(dialect)
        missing = self.required.difference(params)
        if missing:
            names = ", ".join(repr(n) for n in sorted(missing))
            raise InvalidRequestError(f"A value is required for bind parameter {names}")
        return sql, {**self.fixed, **params}

    def rows(self, fetched: list[tuple[Any, ...]]) -> list[Any]:
        made = self.row._make
        if not self.converters:
            return [made(r) for r in fetched]
        out = []
        for r in fetched:
            values = list(r)
            for i, convert in self.converters:
                values[i] = convert(values[i])
            out.append(made(values))
        return out


def read_together(
    connection: Connection, reads: Sequence[DriverRead], params: Mapping[str, Any]
) -> list[list[Any]]:
    """Each read's rows, all sent in one round trip on PostgreSQL (in the connection's
    transaction, which must have begun: the reads never start one of their own)."""
    if connection.dialect.name != "postgresql":
        return [list(connection.execute(r.statement, dict(params)).all()) for r in reads]
    # rows held back by bulk.together go first: the pipeline passes by SQLAlchemy's events,
    # which would otherwise send them before any statement
    bulk.send_pending(connection)
    driver = connection.connection.driver_connection
    assert driver is not None
    statements = [read.bound(connection.dialect, params) for read in reads]  # none missing
    cursors = []
    with driver.pipeline():
        for sql, bound in statements:
            cursor = driver.cursor()
            cursor.execute(sql, bound)
            cursors.append(cursor)
    try:
        return [read.rows(cursor.fetchall()) for read, cursor in zip(reads, cursors, strict=True)]
    finally:
        for cursor in cursors:
            cursor.close()
