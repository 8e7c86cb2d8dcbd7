"""Bulk writes: executemany on SQLite, COPY on PostgreSQL, with values encoded per dialect.

The bulk path bypasses SQLAlchemy's per-row type processing, so the encoders here must
store exactly what the column types in types.py would (money as øre in SQLite).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection, Engine, event

from fordring.adapters.db import refusals, run_lock

_HUNDRED = Decimal(100)
ROLE_KEY = "fordring_role"  # connection.info: the role a unit of work set (PostgreSQL)
# Rows written to a table in one transaction from which PostgreSQL is asked to re-read
# its statistics (adapters/db/statistics.py).
ANALYZE_FROM = 10_000
WRITTEN = "fordring_rows_written"  # connection.info: {table: rows} since the last ANALYZE
# connection.info: the small inserts `together` holds back, in order: (table, names, width, rows)
PENDING = "fordring_pending_inserts"
# Never held back by `together`: the check that postings go only into new vouchers
# (triggers.py, at the end of each statement) would find the voucher of a posting written
# in the same statement. Its insert sends what is held first, then goes on its own.
ALONE = frozenset({"voucher"})


def rows_written(connection: Connection, table: str, rows: int) -> None:
    """`rows` more rows of `table` were written in this transaction (PostgreSQL counts
    them for its statistics rule, adapters/db/statistics.py)."""
    if connection.dialect.name != "postgresql" or rows <= 0:
        return
    counts: dict[str, int] = connection.info.setdefault(WRITTEN, {})
    counts[table] = counts.get(table, 0) + rows


class Encoders:
    """Turns domain values into what a dialect's driver stores for our column types."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"
        self.money: Callable[[Decimal], Any] = _ore if self.sqlite else _same
        self.decimal: Callable[[Decimal], Any] = _text if self.sqlite else _same
        self.day: Callable[[date], Any] = date.isoformat if self.sqlite else _same
        self.flag: Callable[[bool], Any] = int if self.sqlite else _same


def _ore(amount: Decimal) -> int:
    ore = amount * _HUNDRED
    integral = int(ore)
    if integral != ore:  # a fraction of an øre is never truncated silently
        raise ValueError(f"{amount} is not in whole øre")
    return integral


def _text(number: Decimal) -> str:
    """An exact decimal as ExactDecimal stores it in SQLite: text, zero unsigned."""
    return str(number if number else number.copy_abs())


def _same(value: Any) -> Any:
    return value


@contextmanager
def as_owner(connection: Connection) -> Iterator[None]:
    """Run a statement as the user that owns the tables, not the scope's role: PostgreSQL
    refuses COPY FROM (and ANALYZE) under row-level security (docs/decisions/0005). The
    rows written still carry the scope's company_id, set by the scoped repository."""
    role = connection.info.get(ROLE_KEY)
    if connection.dialect.name != "postgresql" or role is None:
        yield
        return
    if connection.exec_driver_sql("SELECT current_user").scalar() != role:
        yield  # after a commit the transaction's role is gone: nothing to step out of
        return
    connection.exec_driver_sql("SET LOCAL ROLE NONE")
    yield
    connection.exec_driver_sql(f"SET LOCAL ROLE {role}")


# At most this many rows go in one multi-row INSERT on PostgreSQL rather than a COPY: a
# COPY steps out of the scope's role and back (3 more round trips), which is most of
# what a small batch costs (one invoice's lines and postings over the API).
FEW_ROWS = 64


def write_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` into `table` in one statement (SQLite, and PostgreSQL for up to
    FEW_ROWS rows: a multi-row INSERT as the scope's role) or one COPY (PostgreSQL); how
    many. `rows` may be a generator: PostgreSQL then stores the first rows while the
    later ones are still being built (the server works on the other core)."""
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        given = iter(rows)
        head = list(islice(given, FEW_ROWS + 1))
        if not head:
            return 0
        if len(head) <= FEW_ROWS:
            pending = connection.info.get(PENDING)
            if pending is not None and table not in ALONE:  # sent when `together` ends
                pending.append((table, names, len(columns), head))
            else:
                send_pending(connection)  # what is held goes first, in order
                _insert(connection, table, names, len(columns), head)
            rows_written(connection, table, len(head))
            return len(head)
        send_pending(connection)  # what was held back goes first, in order
        run_lock.before_write(connection)  # COPY passes no statement by SQLAlchemy
        driver = connection.connection.driver_connection
        assert driver is not None
        count = 0
        with (
            refusals.refused_as_conflict(),
            as_owner(connection),
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            write = copy.write_row
            for row in chain(head, given):
                write(row)
                count += 1
        rows_written(connection, table, count)
        return count
    listed = list(rows)
    if listed:
        marks = ", ".join("?" * len(columns))
        connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", listed)
    return len(listed)


def _insert(
    connection: Connection, table: str, names: str, width: int, rows: Sequence[Sequence[Any]]
) -> None:
    """One INSERT of `rows` (PostgreSQL), through SQLAlchemy: the run lock and the refusal
    of another company's row are its statement's, as for every other write."""
    connection.exec_driver_sql(_values(table, names, width, len(rows)), _flat(rows))


def _values(table: str, names: str, width: int, count: int) -> str:
    marks = "(" + ", ".join(["%s"] * width) + ")"
    return f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * count)}"


def _flat(rows: Sequence[Sequence[Any]]) -> tuple[Any, ...]:
    return tuple(value for row in rows for value in row)


@contextmanager
def together(connection: Connection) -> Iterator[None]:
    """The small inserts of `write_rows` inside (PostgreSQL, at most FEW_ROWS rows each)
    are sent as ONE statement when the block ends, each a writable CTE of it: one round
    trip for an invoice's row, lines, KID and postings rather than four, while the
    company's number series is held (its voucher goes alone: ALONE). PostgreSQL checks
    foreign keys at the statement's end, so a row may name one written in a sibling CTE.
    Any other statement run inside sends what is held first (`install`), so the order of
    effects is kept. If the block fails, what is held is dropped (it was never sent).
    SQLite: no effect."""
    if connection.dialect.name != "postgresql":
        yield  # SQLite
        return
    # Taken now: after a failure the connection may be invalidated, and reading its info
    # then would raise in the cleanup, hiding the error that ended the block.
    info = connection.info
    if PENDING in info:
        yield  # inside another `together` (that one sends them)
        return
    info[PENDING] = []
    try:
        yield
        send_pending(connection)
    finally:
        info.pop(PENDING, None)


def send_pending(connection: Connection) -> None:
    """Send the inserts `together` held back, as one statement (none held, or SQLite:
    nothing). Every statement SQLAlchemy runs does this first (`install`); a path that
    bypasses SQLAlchemy's events (the driver's own cursor, a psycopg pipeline) must call
    it before its first statement, or it would not see what the block wrote."""
    held = _take_pending(connection)
    if held is not None:
        connection.exec_driver_sql(*held)


def _take_pending(connection: Connection) -> tuple[str, tuple[Any, ...]] | None:
    """The one statement of what `together` holds, and its values; held no longer."""
    pending: list[tuple[str, str, int, list[Sequence[Any]]]] | None = connection.info.get(PENDING)
    if not pending:
        return None
    held = list(pending)
    pending.clear()  # before it runs: its own execution must not send them again
    *first, (table, names, width, rows) = held
    parts = [f"w{n} AS ({_values(*h[:3], len(h[3]))})" for n, h in enumerate(first)]
    last = _values(table, names, width, len(rows))
    sql = f"WITH {', '.join(parts)} {last}" if parts else last
    return sql, tuple(value for h in held for value in _flat(h[3]))


def install(engine: Engine) -> None:
    """Any other statement run inside `together` sends what is held first (PostgreSQL);
    held rows are tied to the transaction: a commit while rows are held is refused (they
    would be lost), a rollback drops them (they were never sent)."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "before_cursor_execute", _before_cursor_execute)
        event.listen(engine, "commit", _refuse_commit_while_held)
        event.listen(engine, "rollback", _drop_held)


def _refuse_commit_while_held(connection: Connection) -> None:
    pending = connection.info.get(PENDING)
    if not pending:
        return
    pending.clear()
    # SQLAlchemy marks the transaction ended even when this listener refuses its commit,
    # and would hand the connection back still in it: end it here, keeping nothing.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.rollback()
    raise RuntimeError("commit inside `together` while rows are held: they would be lost")


def _drop_held(connection: Connection) -> None:
    if connection.invalidated:  # its info goes with the connection
        return
    pending = connection.info.get(PENDING)
    if pending:
        pending.clear()


def _before_cursor_execute(connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
    pending = connection.info.get(PENDING)
    if not pending:
        return
    if statement.lstrip()[:8].upper() == "ROLLBACK":  # ROLLBACK TO SAVEPOINT: never sent
        pending.clear()  # (what was held before the SAVEPOINT went with that statement)
        return
    held = _take_pending(connection)
    assert held is not None
    # On the statement's cursor, as the run lock's own statement (run_lock._share): the
    # shared run lock first if this statement is a read that has not taken it.
    run_lock.before_write(connection)
    with refusals.refused_as_conflict():
        cursor.execute(*held)
