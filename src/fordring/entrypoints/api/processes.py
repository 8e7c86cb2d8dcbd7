"""`fordring serve --workers N`'s processes, each listening on a socket of its own.

uvicorn's own supervisor hands all its processes one listening socket, and whichever
process the kernel wakes first accepts every connection waiting: a client that opens its
keep-alive connections at once (an accounting system's connection pool, the load
benchmark's 16) often has all of them served by one process while the others stay idle
(measured on issue 17's benchmark, session 16: 889-1,574 lookups/s with 3 processes,
depending on how the connections happened to fall). Here each process has a socket of its
own on the same address (SO_REUSEPORT), and the kernel spreads new connections among them
by their addresses, as nginx's `reuseport` does.

The supervisor is uvicorn's (`Multiprocess`: signals, health checks, SIGHUP's restart one
by one); only where a process is started differs: a process that dies or is restarted
gets its predecessor's socket, which this process keeps open meanwhile, so the
connections the kernel queued on it are answered by the successor, not dropped.

On Linux any process of the same user could bind the same port with SO_REUSEPORT and be
given a share of the connections; the port is the installation's, as any port is."""

from __future__ import annotations

import logging
import socket

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("uvicorn.error")  # uvicorn's own supervisor logs there too


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` sockets bound to `host`:`port` (port 0: one the system chooses, the same
    for all), each with SO_REUSEPORT; a process's server listens on its own."""
    (family, kind, proto, _, address), *_ = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(address)
            address = sock.getsockname()  # port 0 chose one: the others take it too
            sock.set_inheritable(True)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class OwnSockets(Multiprocess):
    """uvicorn's supervisor, with process `i` always on `sockets[i]`."""

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets)
        self.processes_num = len(sockets)

    def _started(self, index: int) -> Process:
        process = Process(self.config, [self.sockets[index]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._started(index) for index in range(self.processes_num)]

    def restart_all(self) -> None:
        """SIGHUP: each process in turn replaced by a new one on its socket, the old one
        ended once the new one is ready (as uvicorn's; on failure the old one stays)."""
        for index, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._started(index)
            timeout = self.config.timeout_worker_healthcheck
            if not new.wait_until_ready(timeout, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(
                        "New process [%s] was not ready in time; keeping [%s], restart stopped",
                        new.pid,
                        old.pid,
                    )
                return
            old.terminate()
            old.join()
            self.processes[index] = new

    def keep_subprocess_alive(self) -> None:
        """A process that died or stopped answering is replaced on its socket; one that
        failed before it served (the app, the database) stops the whole (as uvicorn's)."""
        for index, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error("Process [%s] failed to start, stopping", process.pid)
                self.should_exit.set()
                return
            logger.warning("Process [%s] died, replaced on its socket", process.pid)
            self.processes[index] = self._started(index)
