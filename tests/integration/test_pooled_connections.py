"""A pooled PostgreSQL connection is handed out again without a ping while it is still
connected and was idle briefly, pinged when it was idle long or its socket has something
to read (and kept if it answers), and replaced by a new one when the server ended its
session while it was idle (a restart, a killed backend): the request that takes it does
not fail. And it comes back to the pool as it left: after a case lookup (its transaction
begun by `_begin_reading`, its reads in a pipeline), a 404, a driver read that failed."""

from __future__ import annotations

import select
import time
from contextlib import ExitStack
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from psycopg import pq
from sqlalchemy import Engine, create_engine, literal_column, text
from sqlalchemy.pool import NullPool
from tests import builders
from tests.api_server import SECRET, make_keys
from tests.conftest import BACKEND, Run, _admin

from fordring import bootstrap
from fordring.adapters.db import engine as engine_module
from fordring.adapters.db.driver_reads import DriverRead, read_together
from fordring.adapters.db.engine import open_database
from fordring.adapters.db.unit_of_work import SqlCompanyWithin, SqlUnitOfWorkFactory
from fordring.domain.api_access import Role
from fordring.entrypoints.api.app import create_app
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="the pool is PostgreSQL's")

_PID = text("SELECT pg_backend_pid()")


def _readable(driver: Any, seconds: float = 5.0) -> None:
    """Wait until the server has said something on `driver`'s socket (at most `seconds`)."""
    watch = select.poll()
    watch.register(driver.pgconn.socket, select.POLLIN)
    deadline = time.monotonic() + seconds
    while not watch.poll(10):
        assert time.monotonic() < deadline, "nothing arrived on the pooled connection's socket"


def _last_query(pid: int) -> str:
    admin = _admin()
    try:
        with admin.connect() as other:
            asked = text("SELECT query FROM pg_stat_activity WHERE pid = :p")
            return str(other.execute(asked, {"p": pid}).scalar())
    finally:
        admin.dispose()


def test_an_idle_connection_is_handed_out_again_without_a_round_trip(database_url: str) -> None:
    engine = open_database(database_url).engine
    with engine.connect() as connection:
        pid = connection.execute(_PID).scalar_one()
    last = _last_query(pid)  # the rollback the pool ends with
    assert last == "ROLLBACK"
    with engine.connect() as connection:  # out of the pool: no `;` asked on the way
        assert _last_query(pid) == last
        assert connection.execute(_PID).scalar() == pid


def test_a_connection_idle_longer_than_the_limit_is_pinged(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(database_url).engine
    with engine.connect() as connection:
        pid = connection.execute(_PID).scalar_one()
    monkeypatch.setattr(engine_module, "IDLE_PING_AFTER", 0.0)  # any idle is long now
    with engine.connect() as connection:  # its socket is quiet, yet the server is asked
        assert _last_query(pid) == ";"
        assert connection.execute(_PID).scalar() == pid


def test_a_connection_whose_backend_was_killed_is_replaced(database_url: str) -> None:
    engine = open_database(database_url).engine
    with engine.connect() as connection:
        pid = connection.execute(_PID).scalar_one()
        driver = connection.connection.driver_connection
    admin = _admin()
    try:
        with admin.connect() as other:
            assert other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    finally:
        admin.dispose()
    _readable(driver)  # the backend's goodbye reached the socket
    with engine.connect() as connection:
        new = connection.execute(_PID).scalar()
    assert new != pid


def test_a_connection_whose_socket_is_readable_but_alive_is_kept(database_url: str) -> None:
    """A notification waiting on an idle connection's socket is no goodbye: the ping
    answers, and the same connection is handed out, as it was."""
    engine = open_database(database_url).engine
    with engine.connect() as connection:
        pid = connection.execute(_PID).scalar_one()
        connection.execute(text("LISTEN fordring_test"))
        connection.commit()
        driver = connection.connection.driver_connection
        assert isinstance(driver, psycopg.Connection)
    another = create_engine(database_url, poolclass=NullPool)  # not the pool's connection
    try:
        with another.begin() as other:
            other.execute(text("NOTIFY fordring_test"))
    finally:
        another.dispose()
    _readable(driver)
    with engine.connect() as connection:
        taken = connection.connection.driver_connection
        assert isinstance(taken, psycopg.Connection) and taken is driver
        assert _last_query(pid) == ";"  # asked, as the socket had something to read
        assert driver.pgconn.transaction_status == pq.TransactionStatus.IDLE
        assert driver.autocommit is False
        assert connection.execute(_PID).scalar() == pid


_AS_LEFT = text(
    "SELECT current_user = session_user, current_setting('app.company_id', true), "
    "current_setting('transaction_read_only')"
)


def _pool_is_clean(engine: Engine) -> None:
    """Every connection idle in the pool is as a new one: no transaction open, not
    autocommit, the login role, no company, not read-only."""
    idle = engine.pool.checkedin()  # type: ignore[attr-defined]
    assert idle >= 1
    with ExitStack() as stack:
        for _ in range(idle):
            connection = stack.enter_context(engine.connect())
            driver = connection.connection.driver_connection
            assert isinstance(driver, psycopg.Connection)
            assert driver.pgconn.transaction_status == pq.TransactionStatus.IDLE
            assert driver.autocommit is False
            login, company, read_only = connection.execute(_AS_LEFT).one()
            assert login and company in ("", None) and read_only == "off"


@pytest.fixture
def api(database_url: str, run: Run, uow_factory: UnitOfWorkFactory) -> tuple[TestClient, str]:
    """The API in this process over case 1 of company A, and an API user's key."""
    builders.cli_case_of_one_invoice(run)
    key = make_keys(uow_factory, builders.ORGNR)[Role.API_USER]
    settings = bootstrap.Settings(database_url=database_url, api_key_secret=SECRET)
    return TestClient(create_app(bootstrap.Application(settings))), key


def test_a_connection_comes_back_clean_after_case_lookups(
    database_url: str, api: tuple[TestClient, str]
) -> None:
    client, key = api
    auth = {"Authorization": f"Bearer {key}"}
    engine = open_database(database_url).engine
    assert client.get("/api/v1/cases/1", headers=auth).status_code == 200  # verifies the key
    found = client.get("/api/v1/cases/1", headers=auth)  # the key cached: _begin_reading
    assert found.status_code == 200 and found.json()["case"]["number"] == 1
    _pool_is_clean(engine)
    assert client.get("/api/v1/cases/999", headers=auth).status_code == 404
    _pool_is_clean(engine)


def test_a_connection_comes_back_clean_after_a_failed_driver_read(
    database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    builders.company(uow_factory)
    company_id = builders.scope(uow_factory).company_id
    failing = DriverRead(sa.select(literal_column("1/0").label("x")))
    assert isinstance(uow_factory, SqlUnitOfWorkFactory)
    with uow_factory.unscoped() as outer, outer.within(company_id, reading=True) as uow:
        assert isinstance(uow, SqlCompanyWithin)
        with pytest.raises(psycopg.errors.DivisionByZero):
            read_together(uow.connection, [failing], {})
    _pool_is_clean(open_database(database_url).engine)
