"""SQLite held by another program (issue 14, point 5): a command that opens the database
while another program holds the file alone (a backup, the checkpoint that ends a long run)
waits, says for how long at most, and goes on; past the limit it gives up clearly having
written nothing; a statement still locked after SQLite's busy timeout is a Conflict. Never
a raw "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from tests import builders
from tests.conftest import Run
from tests.races import BACKEND
from tests.snapshot import snapshot

from fordring.adapters.db import waiting
from fordring.adapters.db.engine import forget_database
from fordring.adapters.db.unit_of_work import _as_conflict
from fordring.domain.errors import Conflict
from fordring.services.ports import UnitOfWorkFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's file locks"),
]


@contextmanager
def held_alone(database_url: str, seconds: float) -> Iterator[None]:
    """Another program holds the database file alone (exclusive locking mode) for
    `seconds`, or until the block ends."""
    path = database_url.removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE company SET name = name")
    other.execute("COMMIT")  # the exclusive lock stays until the mode is left
    released = threading.Event()

    def release() -> None:
        released.wait(seconds)
        other.execute("PRAGMA locking_mode = NORMAL")
        other.execute("SELECT count(*) FROM company").fetchall()  # gives the lock up
        other.close()

    releaser = threading.Thread(target=release, daemon=True)
    releaser.start()
    try:
        yield
    finally:
        released.set()
        releaser.join(10)


@pytest.fixture
def fresh(database_url: str, uow_factory: UnitOfWorkFactory) -> str:
    """A company, and no connection of this process open: the next command opens the
    file anew, as a command in a new process does."""
    builders.company(uow_factory)
    forget_database(database_url)
    return database_url


def test_a_command_opening_a_database_held_alone_waits_says_so_and_goes_on(
    run: Run, fresh: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(waiting, "QUIET", 0.2)
    with held_alone(fresh, 1.5):
        done = run("customer", "add", "--name", "Kari Nordmann", "--consumer")
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines() == [
        "waiting for another fordring command writing to the database… (at most 10 min)"
    ]


def test_a_command_that_cannot_open_a_database_held_too_long_gives_up_clearly(
    run: Run, fresh: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(waiting, "QUIET", 0.2)
    monkeypatch.setattr(waiting, "LIMIT", 1.0)
    before = snapshot(fresh)
    forget_database(fresh)
    with held_alone(fresh, 8.0):
        done = run("customer", "add", "--name", "Kari Nordmann", "--consumer", json=False)
    assert done.exit_code == 1
    assert done.stderr.splitlines() == [
        "waiting for another fordring command writing to the database… (at most 1 s)",
        "error: gave up after waiting 1 s for another fordring command writing to the "
        "database; nothing was written: try again when it is done",
    ]
    assert snapshot(fresh) == before


def test_a_statement_still_locked_after_the_busy_timeout_is_a_conflict(fresh: str) -> None:
    path = fresh.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    late = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError) as locked:
            late.execute("BEGIN IMMEDIATE")
    finally:
        holder.rollback()
        holder.close()
        late.close()
    conflict = _as_conflict(locked.value)
    assert isinstance(conflict, Conflict)
    assert str(conflict) == (
        "the database stayed locked by another program for more than 10 s; nothing was "
        "written: try again when it is done"
    )
