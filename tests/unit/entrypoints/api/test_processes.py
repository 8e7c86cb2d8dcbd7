"""The sockets of `fordring serve --workers`' processes: one each, on one address."""

from __future__ import annotations

import os
import socket

import pytest

from fordring.entrypoints.api.processes import listening_sockets


def test_each_process_gets_a_socket_of_its_own_on_the_one_port_the_system_chose() -> None:
    sockets = listening_sockets("127.0.0.1", 0, 3)
    try:
        assert len({id(s) for s in sockets}) == 3
        assert {s.getsockname() for s in sockets} == {sockets[0].getsockname()}
        assert sockets[0].getsockname()[1] != 0
        for sock in sockets:
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            assert sock.get_inheritable()  # handed to the process that serves on it
            sock.listen()
        with socket.create_connection(sockets[0].getsockname(), timeout=5):
            pass  # the kernel gave it to one of the three
    finally:
        for sock in sockets:
            sock.close()


def test_a_port_another_socket_holds_is_refused_and_nothing_is_left_open() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        before = os.listdir("/proc/self/fd")
        with pytest.raises(OSError, match="in use"):
            listening_sockets("127.0.0.1", taken.getsockname()[1], 2)
        assert os.listdir("/proc/self/fd") == before
