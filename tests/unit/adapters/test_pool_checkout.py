"""The rule by which a pooled PostgreSQL connection is handed out without a ping
(engine._needs_no_ping): only when its socket is quiet AND it was idle briefly. A
connection dropped silently (NAT, firewall, failover: no FIN) has a quiet socket, so a
long idle alone must make the pool ask the server."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from psycopg import pq

from fordring.adapters.db import engine


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, server = socket.socketpair()
    yield ours, server
    ours.close()
    server.close()


def _connection(sock: socket.socket) -> SimpleNamespace:
    return SimpleNamespace(pgconn=SimpleNamespace(status=pq.ConnStatus.OK, socket=sock.fileno()))


def _record(idle_for: float | None) -> SimpleNamespace:
    info = {} if idle_for is None else {engine._CHECKED_IN: time.monotonic() - idle_for}
    return SimpleNamespace(info=info)


def test_a_quiet_connection_idle_briefly_needs_no_ping(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    assert engine._needs_no_ping(_connection(pair[0]), _record(0.1))
    assert engine._needs_no_ping(_connection(pair[0]), _record(None))  # just opened


def test_a_quiet_connection_idle_long_is_pinged(pair: tuple[socket.socket, socket.socket]) -> None:
    assert not engine._needs_no_ping(_connection(pair[0]), _record(engine.IDLE_PING_AFTER + 1))


def test_a_connection_with_something_to_read_is_pinged(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    pair[1].sendall(b"E")  # what a server ending the session sends first
    assert not engine._needs_no_ping(_connection(pair[0]), _record(0.1))


def test_a_connection_not_ok_is_pinged(pair: tuple[socket.socket, socket.socket]) -> None:
    connection = _connection(pair[0])
    connection.pgconn.status = pq.ConnStatus.BAD
    assert not engine._needs_no_ping(connection, _record(0.1))


def test_the_checkin_records_when() -> None:
    record = _record(None)
    before = time.monotonic()
    engine._checked_in(object(), record)
    assert before <= record.info[engine._CHECKED_IN] <= time.monotonic()
