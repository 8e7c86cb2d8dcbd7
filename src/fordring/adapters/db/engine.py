"""Opening a database by URL: SQLite file (default) or PostgreSQL, and migrating it."""

from __future__ import annotations

import functools
import select
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from psycopg import pq
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError

from fordring.adapters.db import bulk, refusals, run_lock, statistics, waiting
from fordring.domain.errors import InvalidInput

DEFAULT_DATABASE_URL = "sqlite:///fordring.db"
MIGRATIONS = Path(__file__).parent / "migrations"


class NotInitialised(RuntimeError):
    """The database has no fordring schema, or an older one: run `fordring init`."""


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` and use the psycopg 3 driver for them."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput.one("db", f"{url!r} is not a database URL") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InvalidInput.one(
            "db", f"{parsed.drivername} is not supported: use sqlite or postgresql"
        )
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(database: str | None, dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    waiting.open_file(dbapi_connection, database)  # waits, saying so, while the file is held
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA cache_size = -200000")
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.close()
    # SQLite's lower() and LIKE fold ASCII only ('Ø' stays): casefold() folds as Python does
    dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)


def _casefold(text: str | None) -> str | None:
    return None if text is None else text.casefold()


def _sqlite_begin(connection: Any) -> None:
    # pysqlite's own transaction handling is off (see below); take the write lock up front
    # so two writers queue instead of failing half way, waiting their turn with a word
    # of whom they wait for (adapters/db/waiting.py).
    waiting.begin_immediate(connection)


@dataclass(frozen=True)
class Database:
    url: str
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _config(self, connection: Any) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        return config

    def head_revision(self) -> str:
        script = ScriptDirectory.from_config(self._config(None))
        head = script.get_current_head()
        assert head is not None
        return head

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database's file (None for PostgreSQL or an in-memory database)."""
        url = make_url(self.url)
        name = url.database
        if url.get_backend_name() != "sqlite" or not name or name == ":memory:":
            return None
        return None if name.startswith("file:") else Path(name)

    def _refuse_missing_folder(self) -> None:
        """A mistyped path is refused before SQLite makes a file anywhere."""
        path = self.sqlite_file
        if path is not None and not path.parent.is_dir():
            raise InvalidInput.one(
                "db", f"the folder {path.parent} does not exist (database file {path})"
            )

    def migrate(self) -> str:
        """Create or upgrade the schema to the newest revision; safe to repeat."""
        self._refuse_missing_folder()
        with self.engine.begin() as connection:
            command.upgrade(self._config(connection), "head")
            if connection.dialect.name == "postgresql":
                driver = connection.connection.driver_connection  # no bind parameters: % is SQL's
                assert driver is not None
                driver.execute(_TAKE_THE_ROLES)
        return self.head_revision()

    def require_current_schema(self) -> None:
        """NotInitialised unless the schema is there and current; a SQLite file that does
        not exist is not made (an empty file would be left behind by a typo)."""
        self._refuse_missing_folder()
        path = self.sqlite_file
        if path is not None and not path.exists():
            raise NotInitialised(
                f"{self.url}: there is no database file {path}; `fordring init` creates it"
            )
        current = self.current_revision()
        if current is None:
            raise NotInitialised(f"{self.url}: no fordring schema here; run `fordring init`")
        if current != self.head_revision():
            raise NotInitialised(f"{self.url}: schema {current} is old; run `fordring init`")


# Every scoped transaction takes one of these roles (`SET LOCAL ROLE`, decision 0005): the
# user that ran `init` is made a member if it is not (a user allowed to create the roles
# may grant them; one that may not is told how, and `init` still succeeds).
_TAKE_THE_ROLES = """
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['fordring_tenant', 'fordring_global'] LOOP
        IF NOT pg_has_role(current_user, r, 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I', r, current_user);
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE WARNING 'fordring: % may not take the role %: as a superuser, GRANT % TO %',
                    current_user, r, r, current_user;
            END;
        END IF;
    END LOOP;
END $$
"""


# A pooled connection idle longer than this is pinged when taken, however quiet its
# socket: a connection that died silently (a NAT or firewall that dropped it while idle,
# a failover: no FIN reaches us) has a quiet socket too, and its first statement would
# fail. Under load a connection is back in use within milliseconds, so the ping is rare.
IDLE_PING_AFTER = 5.0
_CHECKED_IN = "fordring_checked_in"  # record.info: time.monotonic() at its last checkin


def _checked_in(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_CHECKED_IN] = time.monotonic()


def _needs_no_ping(dbapi_connection: Any, record: Any) -> bool:
    """True: the connection may be handed out without asking the server. Only when it was
    returned to the pool less than `IDLE_PING_AFTER` seconds ago (a new connection was
    never returned: it has just been opened) AND its socket has nothing to read: an idle
    connection's socket has nothing to read unless the server said something, which, idle,
    is mostly that it ended the session (a restart, a killed backend)."""
    since = record.info.get(_CHECKED_IN)
    if since is not None and time.monotonic() - since >= IDLE_PING_AFTER:
        return False
    pgconn = dbapi_connection.pgconn
    if pgconn.status != pq.ConnStatus.OK:
        return False
    watch = select.poll()
    watch.register(pgconn.socket, select.POLLIN)
    return not watch.poll(0)


def _still_connected(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """A pooled PostgreSQL connection is handed out only if it is still connected: asked
    without a round trip when it was idle only briefly and its socket is quiet
    (`_needs_no_ping`), otherwise asked the server (a `;`, as SQLAlchemy's
    `pool_pre_ping` asks every time, a round trip per request); if that fails,
    `DisconnectionError` makes the pool open a new connection instead."""
    try:
        if _needs_no_ping(dbapi_connection, record):
            return
        dbapi_connection.autocommit = True  # no transaction is open on a pooled connection
        try:
            dbapi_connection.execute(";")
        finally:
            dbapi_connection.autocommit = False
    except psycopg.Error as error:
        raise DisconnectionError(f"the pooled connection is gone: {error}") from error


_OPEN: dict[str, Database] = {}

# Each process's connections to a PostgreSQL database: up to 15, each opened when first
# needed and then kept (no overflow: SQLAlchemy's default, 5 kept and 10 more, closed an
# overflow connection on its return while 5 were idle, so under 6 or more requests at a
# time PostgreSQL started a new backend for every other request). A web process runs no
# more request threads than this (entrypoints/api/app.py).
POOL_SIZE, POOL_OVERFLOW = 15, 0
CONNECTIONS = POOL_SIZE + POOL_OVERFLOW


def open_database(url: str) -> Database:
    """One engine per URL per process."""
    normal = normalise_url(url)
    if normal not in _OPEN:
        _OPEN[normal] = Database(make_url(normal).render_as_string(), _create_engine(normal))
    return _OPEN[normal]


def forget_database(url: str) -> None:
    """Close and forget the engine for `url` (before its file is replaced)."""
    database = _OPEN.pop(normalise_url(url), None)
    if database is not None:
        database.engine.dispose()


def _create_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        # No wait of the driver's own (timeout 0): waiting is waiting.py's, said and bounded.
        engine = create_engine(url, connect_args={"isolation_level": None, "timeout": 0})
        event.listen(engine, "connect", functools.partial(_sqlite_pragmas, make_url(url).database))
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        event.listen(engine, "checkin", _checked_in)
        event.listen(engine, "checkout", _still_connected)
    run_lock.install(engine)
    statistics.install(engine)
    refusals.install(engine)
    bulk.install(engine)
    return engine
