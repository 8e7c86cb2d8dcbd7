"""A pooled PostgreSQL connection is handed out again without a ping while it is still
connected, and replaced by a new one when the server ended its session while it was idle
(a restart, a killed backend): the request that takes it does not fail."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from tests.conftest import BACKEND, _admin

from fordring.adapters.db import engine as engine_module
from fordring.adapters.db.engine import open_database

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="the pool is PostgreSQL's")

_PID = text("SELECT pg_backend_pid()")


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
    admin = _admin()
    try:
        with admin.connect() as other:
            assert other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    finally:
        admin.dispose()
    time.sleep(0.2)  # the backend's goodbye reaches the socket
    with engine.connect() as connection:
        new = connection.execute(_PID).scalar()
    assert new != pid
