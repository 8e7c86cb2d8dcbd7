"""Waiting for the database, and saying so: who is told (`listen`; the command line prints
it), and SQLite's queue for its one writer.

On SQLite every transaction begins with `BEGIN IMMEDIATE` (engine.py). One that cannot
have the writer lock within `QUIET` seconds says whom it waits for (the daily run of a
company, named in the database's `-run` file while a day of the run holds the lock, or
another command) and the longest it will wait, and waits for up to `LIMIT` seconds; then
it gives up having written nothing, a `Conflict` (exit 1). Opening the database waits the
same way (`open_file`): a program holding the file alone (a backup, a checkpoint of a
long run's journal) would otherwise fail a fresh connection's first statement. A statement
inside a transaction that still finds the database locked after SQLite's own busy timeout
(`BUSY_MS`) is a `Conflict` too (`locked_conflict`), never a raw OperationalError.

Those waiting queue on the database's `-queue` file, and
every transaction passes it before it asks for the writer lock, so a run of many days
lets the commands that wait in between its days instead of taking day after day; and a
day that found someone waiting lets them finish before it begins (`let_waiting_in`).
"""

from __future__ import annotations

import fcntl
import functools
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.engine.interfaces import DBAPIConnection

from fordring.domain.errors import Conflict

QUIET = 1.0  # seconds a transaction waits for the writer before it says whom it waits for
LIMIT = 600.0  # seconds it waits at most; a day of the run takes seconds, not minutes
POLL = 0.02  # seconds between looks at the queue
GRACE = 0.1  # seconds a day of the run pauses to let a waiting command take its next step
YIELD = 5.0  # seconds a day of the run lets waiting commands go first, at most
BUSY_MS = 10_000  # SQLite's own busy timeout for statements inside a transaction

_WAITED = "fordring_waited"  # connection.info: this transaction waited for its turn (SQLite)
_listeners: list[Callable[[str], None]] = []


def listen(callback: Callable[[str], None]) -> Callable[[], None]:
    """Tell `callback` each time a transaction starts to wait (a line of text); returns
    the function that stops telling it."""
    _listeners.append(callback)
    return lambda: _listeners.remove(callback)


def announce(message: str) -> None:
    for callback in list(_listeners):
        callback(message)


def sidecar(connection: Connection, suffix: str) -> Path | None:
    """The SQLite database file's companion `<file>-<suffix>` (as SQLite's own `-wal`);
    None for PostgreSQL or a database in memory."""
    if connection.dialect.name != "sqlite":
        return None
    return _sidecar(connection.engine.url.database, suffix)


@functools.cache
def _sidecar(database: str | None, suffix: str) -> Path | None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(f"{database}-{suffix}")


class _Wait:
    """One transaction's wait for the writer: says whom it waits for once it has waited
    `QUIET` seconds, and gives up after `LIMIT`."""

    def __init__(self, run_mark: Path | None) -> None:
        self.run_mark = run_mark
        self.started = time.monotonic()
        self.holder: str | None = None
        self.times = 0

    def __call__(self) -> None:
        self.times += 1
        waited = time.monotonic() - self.started
        if waited > LIMIT:
            raise Conflict(
                f"gave up after waiting {LIMIT:.0f} s for {self.holder or 'the database'};"
                " nothing was written: try again when it is done"
            )
        if self.holder is None and waited >= QUIET:
            self.holder = _holder(self.run_mark)
            announce(f"waiting for {self.holder}… (at most {_duration(LIMIT)})")


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"


def is_locked(error: BaseException) -> bool:
    """SQLite's "database is locked" (busy, or locked by the same process's other
    connection), with or without SQLAlchemy's wrapper."""
    orig = getattr(error, "orig", error)
    code = getattr(orig, "sqlite_errorcode", None)
    return (
        isinstance(orig, sqlite3.OperationalError)
        and code is not None
        and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    )


def locked_conflict() -> Conflict:
    return Conflict(
        f"the database stayed locked by another program for more than {BUSY_MS // 1000} s;"
        " nothing was written: try again when it is done"
    )


def open_file(raw: sqlite3.Connection, database: str | None) -> None:
    """A new connection's first look at the database file (switching it to WAL), waiting
    as `begin_immediate` does while another program holds the file alone."""
    _until_unlocked(
        raw, "PRAGMA journal_mode = WAL", _Wait(_sidecar(database, "run") if database else None)
    )


def _until_unlocked(raw: sqlite3.Connection | DBAPIConnection, statement: str, wait: _Wait) -> None:
    """Run `statement`, waiting (`wait`) as long as another connection holds the lock: the
    first try without SQLite's busy timeout, so it tells at once whether anyone is before
    us; then a short timeout between waits; the usual timeout again after."""
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                raw.execute(statement)
                return
            except sqlite3.OperationalError as error:
                if not is_locked(error):
                    raise
            wait()
            raw.execute(f"PRAGMA busy_timeout = {int(QUIET * 1000)}")
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_MS}")


def begin_immediate(connection: Connection) -> None:
    """Begin the transaction with SQLite's writer lock, waiting in the queue for it."""
    raw = connection.connection.dbapi_connection
    assert raw is not None
    wait = _Wait(sidecar(connection, "run"))
    with _queue(sidecar(connection, "queue"), wait):
        _until_unlocked(raw, "BEGIN IMMEDIATE", wait)
    connection.info[_WAITED] = wait.times > 0


def let_waiting_in(connection: Connection) -> None:
    """SQLite, first in a day of the run: if the day had to wait for its turn, the commands
    that waited go through all their transactions before the day does (a command has a
    few, and would otherwise wait a day for each). The day's empty transaction ends and
    begins again once nobody was before it after a pause of `GRACE` (for `YIELD` at most)."""
    raw = connection.connection.dbapi_connection
    assert raw is not None
    until = time.monotonic() + YIELD
    while connection.info.pop(_WAITED, False) and time.monotonic() < until:
        raw.execute("COMMIT")  # nothing is written yet; SQLAlchemy's transaction goes on
        time.sleep(GRACE)
        begin_immediate(connection)


@contextmanager
def _queue(path: Path | None, waited: Callable[[], None]) -> Iterator[None]:
    """Hold the queue file's lock while waiting for the writer lock: one waits at a time,
    and a run about to begin its next day waits behind a command already waiting."""
    try:
        turn = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644) if path else None
    except OSError:  # a folder we may not write to: no queue, the writer lock still holds
        turn = None
    if turn is None:
        yield
        return
    try:
        while True:
            try:
                fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited()
                time.sleep(POLL)
        yield
    finally:
        os.close(turn)  # unlocks it


def mark_run(connection: Connection, name: str) -> None:
    """Name the company whose run holds the writer lock in the `-run` file, locked until
    the transaction ends (`end_run_mark`; a crash unlocks it, so a mark never outlives
    its run). Only one day of one run writes at a time: the file is never contended."""
    path = sidecar(connection, "run")
    if path is None:
        return
    try:
        mark = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError:
        return
    try:
        fcntl.flock(mark, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.ftruncate(mark, 0)
        os.pwrite(mark, name.encode(), 0)
    except OSError:
        os.close(mark)
        return
    connection.info[_MARK] = mark


def end_run_mark(connection: Connection) -> None:
    mark = connection.info.pop(_MARK, None)
    if mark is not None:
        os.close(mark)  # unlocks it


_MARK = "fordring_run_mark"  # connection.info: the open, locked `-run` file


def _holder(run_mark: Path | None) -> str:
    """Whom a transaction waits for: the daily run named in the `-run` file while that
    file is locked, else another command."""
    name = None
    try:
        mark = os.open(run_mark, os.O_RDONLY | os.O_NOFOLLOW) if run_mark else None
    except OSError:
        mark = None
    if mark is not None:
        try:
            fcntl.flock(mark, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            name = os.pread(mark, 500, 0).decode(errors="replace") or "a company"
        finally:
            os.close(mark)
    if name is not None:
        return f"the daily run of {name}"
    return "another fordring command writing to the database"
