"""`fordring serve`'s processes (docs/api.md "Running it")."""

from __future__ import annotations

import contextlib
import os
import signal
import socket

from tests import builders
from tests.api_server import api_server, make_keys
from tests.processes import connections_on, descendants, listening_on, wait_for

from fordring.domain.api_access import Role
from fordring.services.ports import UnitOfWorkFactory


def test_serve_spreads_connections_over_its_processes_and_replaces_one_that_dies(
    uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    """`serve --workers 2`: each process listens on a socket of its own and the kernel
    spreads connections among them, so 16 opened at once are answered by both; a process
    killed is replaced on its socket, so every connection the kernel gives that socket
    meanwhile is answered, none left hanging."""
    builders.company(uow_factory)
    token = make_keys(uow_factory, builders.ORGNR)[Role.READ_ONLY]
    with api_server(database_url, workers=2) as api:
        address = ("127.0.0.1", int(api.base.split(":")[2].split("/")[0]))
        workers = descendants(api.pid)  # uvicorn's supervisor's processes
        # both listening (one answering is what `api_server` waited for): the kernel gives
        # a connection only to a socket that listens, so one still starting would get none
        assert wait_for(lambda: listening_on(address[1]) == 2, 60)
        request = (
            f"GET /api/v1/company HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {token}\r\n\r\n"
        ).encode()
        with contextlib.ExitStack() as closing:
            # all 16 opened before any asks (a pool's burst), then each asks once
            opened = [
                closing.enter_context(socket.create_connection(address, timeout=30))
                for _ in range(16)
            ]
            assert {_status(connection, request) for connection in opened} == {200}
            held = connections_on(address[1], workers)
            # 16 and the one `api_server` asked whether the server was up on
            assert sum(held.values()) == 17 and len([n for n in held.values() if n]) == 2, held
        killed = next(pid for pid, n in held.items() if n)
        os.kill(killed, signal.SIGKILL)
        assert wait_for(lambda: len(descendants(api.pid) - {killed}) >= len(workers), 30)
        for _ in range(16):  # new connections: about half fall on the killed one's socket
            with socket.create_connection(address, timeout=30) as connection:
                assert _status(connection, request) == 200


def _status(connection: socket.socket, request: bytes) -> int:
    """The status of the answer to `request` sent on `connection` (its first line)."""
    connection.sendall(request)
    received = b""
    while b"\r\n" not in received:
        chunk = connection.recv(4096)
        assert chunk, "the server closed the connection without an answer"
        received += chunk
    return int(received.split(b" ", 2)[1])
