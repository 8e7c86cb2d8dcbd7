"""The run lock (docs/decisions/0007): one day of a company's daily run holds it alone; a
person's write holds it shared, from the transaction's first write or row lock to its
end. A run's day and a person's write of one company therefore never hold row locks at
the same moment, so they cannot deadlock: whichever comes second waits for the other's
commit. Several people's writes share it, and other companies are never held up.

PostgreSQL: a transaction-level advisory lock keyed by the company, which no foreign-key
check takes (the row lock on `company` it replaces was taken `FOR KEY SHARE` by every
insert's foreign-key check and deadlocked against them). SQLite: its single writer
(`BEGIN IMMEDIATE`) is the lock already; while a run's day holds it, the run marks the
database (a locked `-run` file naming the company) so that who waits is told for whom
(adapters/db/waiting.py)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Engine, event, select

from fordring.adapters.db.tables import company
from fordring.adapters.db.waiting import announce, end_run_mark, let_waiting_in, mark_run

RUNS = 0x72756E73  # the advisory lock's first key ("runs"); the second is the company id

_STATE = "fordring_run_lock"  # connection.info: company id while the shared lock is due

# Statements that take no row lock and write nothing: no run lock needed before them.
_READ = re.compile(r"\s*(SELECT|SHOW|SET|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN)\b", re.I)
_ROW_LOCK = re.compile(r"\bFOR\s+(UPDATE|NO\s+KEY\s+UPDATE|SHARE|KEY\s+SHARE)\b", re.I)


def expect_writes(connection: Connection, company_id: int | None) -> None:
    """The transaction acts for `company_id` (None: for no company) from now on: its first
    write or row lock takes the company's run lock shared first (PostgreSQL)."""
    if company_id is None:
        connection.info.pop(_STATE, None)
    else:
        connection.info[_STATE] = company_id


def before_write(connection: Connection) -> None:
    """Take the shared run lock now if it is due: for writes that bypass SQLAlchemy's
    statements (COPY)."""
    company_id = connection.info.pop(_STATE, None)
    if company_id is not None and connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:
            _share(cursor, company_id)


def lock_for_run(connection: Connection, company_id: int) -> None:
    """Hold the company's run lock alone until the transaction ends: the first thing a
    day of the run does. Waits (saying so) while people's writes or another run hold it."""
    connection.info.pop(_STATE, None)  # held alone: the shared lock is not asked for
    if connection.dialect.name != "postgresql":
        let_waiting_in(connection)
        mark_run(connection, _name_of(connection, company_id))
        return
    keys = {"k": RUNS, "c": company_id}
    took = connection.exec_driver_sql(
        "SELECT pg_try_advisory_xact_lock(%(k)s, %(c)s)", keys
    ).scalar_one()
    if not took:
        name = _name_of(connection, company_id)
        announce(f"waiting for the other work on {name} to finish (commands or another run)…")
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(k)s, %(c)s)", keys)


def install(engine: Engine) -> None:
    """Take the shared run lock before a transaction's first write or row lock, and
    forget it (and the SQLite run mark) when the transaction ends."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "before_cursor_execute", _before_execute)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)


def _before_execute(
    connection: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    company_id = connection.info.get(_STATE)
    if company_id is None:
        return
    if _READ.match(statement) and not _ROW_LOCK.search(statement):
        return
    del connection.info[_STATE]
    _share(cursor, company_id)


def _share(cursor: Any, company_id: int) -> None:
    """The shared lock, on the DBAPI cursor (inside SQLAlchemy's execution of a statement);
    a person waiting for a day of the run is told so."""
    keys = (RUNS, company_id)
    cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s, %s)", keys)
    row = cursor.fetchone()
    if row is not None and row[0]:
        return
    announce(f"waiting for the daily run of {_name(cursor, company_id)}…")
    cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", keys)


def _name_of(connection: Connection, company_id: int) -> str:
    found = connection.execute(
        select(company.c.name, company.c.orgnr).where(company.c.id == company_id)
    ).one_or_none()
    return f"{found.name} ({found.orgnr})" if found is not None else f"company {company_id}"


def _name(cursor: Any, company_id: int) -> str:
    cursor.execute("SELECT name, orgnr FROM company WHERE id = %s", (company_id,))
    row = cursor.fetchone()
    return f"{row[0]} ({row[1]})" if row is not None else f"company {company_id}"


def ended(connection: Connection) -> None:
    """The transaction is over (its locks gone): nothing is due, and the run's mark is
    taken down. An invalidated connection's (lost) has nothing to take down: asking for
    its info would raise while its transaction is rolled back."""
    if connection.invalidated:
        return
    connection.info.pop(_STATE, None)
    end_run_mark(connection)
