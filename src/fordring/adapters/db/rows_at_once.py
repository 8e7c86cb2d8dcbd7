"""Many rows written by one statement: on PostgreSQL each column's values as one array,
`unnest`ed in the statement; on SQLite SQLAlchemy's executemany (in process, cheap).

A list of rows given to SQLAlchemy is an executemany, which psycopg 3 sends as one
statement per row: PostgreSQL starts a statement (and runs the table's statement
triggers) for each, and psycopg dumps and sends each row apart. A small company's day
wrote about 330 of its 400 statements so; here that is one statement per table.
SQLAlchemy's own multi-row INSERT (`insertmanyvalues`) was tried first: its long
statements are parsed again by psycopg each time (too long for its cache), which cost
the workers about as much CPU as PostgreSQL saved.

The values pass through their columns' types as SQLAlchemy binds them (money refuses a
float), and the arrays are cast to the columns' types without their lengths, so a value
too long for its column is refused as by a row's own statement, never cut short. The
arrays go as text (`chunks.array_text`'s reason: psycopg builds an array parameter value
by value, slowly)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table, TextClause, bindparam, insert, text, update
from sqlalchemy.engine import Dialect

from fordring.adapters.db.bulk import rows_written
from fordring.adapters.db.chunks import array_text
from fordring.adapters.db.scoping import own

Row = Mapping[str, Any]


def insert_rows(connection: Connection, table: Table, rows: Sequence[Row]) -> None:
    """Insert `rows` (each with the same columns) in one statement."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), list(rows))
        return
    names = tuple(rows[0])
    connection.execute(
        _insert(table, names, connection.dialect), _arrays(connection, table, names, rows)
    )
    rows_written(connection, table.name, len(rows))  # not an Insert: statistics.py counts none


def update_rows(connection: Connection, table: Table, rows: Sequence[Row], company_id: int) -> None:
    """Set each row's columns (the same in every row) on the row of `table` with its "id",
    when that row is the company's (`own`); an id given twice takes its last values, as a
    statement per row would leave it."""
    if not rows:
        return
    last = {row["id"]: row for row in rows}  # a dict keeps the first place, the last row
    names = tuple(n for n in rows[0] if n != "id")
    if connection.dialect.name != "postgresql":
        connection.execute(
            update(table)
            .where((table.c.id == bindparam("row_id")) & own(table.c.company_id, company_id))
            .values({n: bindparam(f"new_{n}") for n in names}),
            [{"row_id": i, **{f"new_{n}": row[n] for n in names}} for i, row in last.items()],
        )
        return
    arrays = _arrays(connection, table, ("id", *names), list(last.values()))
    connection.execute(_update(table, names, connection.dialect), {**arrays, "company": company_id})


def _arrays(
    connection: Connection, table: Table, names: Sequence[str], rows: Sequence[Row]
) -> dict[str, str]:
    """The parameters: column i's values as the array literal `c{i}`."""
    dialect = connection.dialect
    arrays = {}
    for i, name in enumerate(names):
        bind = _binder(table, name, dialect)
        values = [row[name] for row in rows]
        if bind is not None:
            values = [bind(v) for v in values]
        arrays[f"c{i}"] = array_text(values)
    return arrays


def _binder(table: Table, name: str, dialect: Dialect) -> Callable[[Any], Any] | None:
    column_type = table.c[name].type
    return column_type.dialect_impl(dialect).bind_processor(dialect)


@lru_cache(maxsize=256)
def _insert(table: Table, names: tuple[str, ...], dialect: Dialect) -> TextClause:
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    return text(
        f"INSERT INTO {quote(table.name)} ({columns}) "
        f"SELECT * FROM unnest({_casts(table, names, dialect)})"
    )


@lru_cache(maxsize=256)
def _update(table: Table, names: tuple[str, ...], dialect: Dialect) -> TextClause:
    """The company's rows by id (the company's condition as `own` writes it here)."""
    quote = dialect.identifier_preparer.quote
    name = quote(table.name)
    sets = ", ".join(f"{quote(n)} = v.c{i + 1}" for i, n in enumerate(names))
    aliases = ", ".join(f"c{i}" for i in range(len(names) + 1))
    return text(
        f"UPDATE {name} SET {sets} "
        f"FROM unnest({_casts(table, ('id', *names), dialect)}) AS v({aliases}) "
        f"WHERE {name}.id = v.c0 AND {name}.company_id = :company"
    )


def _casts(table: Table, names: Sequence[str], dialect: Dialect) -> str:
    """Each array parameter cast to its column's type, without a length (a cast would
    cut a text short where the column refuses it)."""
    return ", ".join(
        f"CAST(:c{i} AS {_unsized(table.c[n].type.compile(dialect=dialect))}[])"
        for i, n in enumerate(names)
    )


def _unsized(type_name: str) -> str:
    return re.sub(r"\(.*\)", "", type_name).strip()
