"""A row that names another company's row, or a row that is not there, is refused by the
database's foreign keys (the composite ones of migration 0013: (company_id, x_id) →
parent (company_id, id)). The driver's error becomes a `Conflict` naming the table, for
every statement (SQLAlchemy's `handle_error`) and for the bulk COPY path alike, so the
command line shows one line, never a traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

from fordring.domain.errors import Conflict

FOREIGN_KEY_VIOLATION = "23503"  # PostgreSQL's SQLSTATE


def foreign_key_refusal(error: BaseException) -> Conflict | None:
    """The Conflict for a foreign key the database refused; None for any other error."""
    if getattr(error, "sqlstate", None) == FOREIGN_KEY_VIOLATION:
        diag = getattr(error, "diag", None)
        table = getattr(diag, "table_name", None) or "row"
        return Conflict(
            f"{table}: names a row that is not this company's, or is not there "
            f"({getattr(diag, 'constraint_name', None) or 'foreign key'}); nothing was written"
        )
    if isinstance(error, sqlite3.IntegrityError) and "FOREIGN KEY" in str(error):
        return Conflict(
            "row: names a row that is not this company's, or is not there; nothing was written"
        )
    return None


def _on_error(context: ExceptionContext) -> BaseException | None:
    return foreign_key_refusal(context.original_exception)


def install(engine: Engine) -> None:
    event.listen(engine, "handle_error", _on_error)


@contextmanager
def refused_as_conflict() -> Iterator[None]:
    """Around a statement SQLAlchemy does not run (PostgreSQL's COPY)."""
    try:
        yield
    except Exception as error:
        refusal = foreign_key_refusal(error)
        if refusal is None:
            raise
        raise refusal from None
