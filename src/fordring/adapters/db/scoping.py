"""Confining a statement to the scope's company when it names rows by id.

`own(column, company_id)` is `column = company_id`, written `column + 0 = ?` on SQLite:
SQLite then cannot use the company index for it and keeps looking rows up by id (docs/
performance.md: with a plain `company_id = ?` beside `id IN (...)` it walked the company
index, 14 s instead of 0.3 s). PostgreSQL gets the plain condition: there the `+ 0` hid
the column from the planner's estimates and a batch's invoice lookup by id took 20 s
instead of milliseconds. The condition is still checked on every row read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from fordring.adapters.db.chunks import CHUNK


class _Company(ColumnElement[int]):
    """A company column, rendered `column + 0` on SQLite (see the module's docstring)."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)

    def __init__(self, column: Any) -> None:
        self.column = column
        self.type = column.type


@compiles(_Company)
def _plain(element: _Company, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(_Company, "sqlite")
def _not_an_index(element: _Company, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} + 0"


def own(column: Any, company_id: int) -> ColumnElement[bool]:
    """The row's company is the scope's (on SQLite never chosen as the index)."""
    result: ColumnElement[bool] = _Company(column) == company_id
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
