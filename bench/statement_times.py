"""Benchmark helper (not a test): each SQL statement's wall time and, for a local
PostgreSQL, the CPU time its server process spent on it.

On a shared machine wall times move with the load; the server's CPU time per statement
moves much less, and with the benchmark process's own CPU time it tells where the work
is. COPY goes past SQLAlchemy, so `write_rows` is wrapped where the repositories call it.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine

from fordring.adapters.db import bulk
from fordring.adapters.db.repositories import invoices, ledger, payments, recurring, webhooks

_TICKS = os.sysconf("SC_CLK_TCK")
_WRITERS = (invoices, ledger, payments, recurring, webhooks)


def _server_cpu(connection: Connection) -> float:
    """CPU seconds of the connection's PostgreSQL process so far (0 if not readable)."""
    if connection.dialect.name != "postgresql":
        return 0.0
    driver = connection.connection.driver_connection
    pid = driver.info.backend_pid if driver is not None else 0
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


class StatementTimes:
    """Totals by statement (its first 100 characters): count, wall seconds, server CPU."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])

    def add(self, key: str, wall: float, cpu: float) -> None:
        total = self.totals[key]
        total[0] += 1
        total[1] += wall
        total[2] += cpu

    def report(self, top: int = 12) -> str:
        wall = sum(t[1] for t in self.totals.values())
        cpu = sum(t[2] for t in self.totals.values())
        lines = [f"  statements: wall {wall:.2f} s, PostgreSQL's CPU {cpu:.2f} s; the largest:"]
        for key, (count, w, c) in sorted(self.totals.items(), key=lambda kv: -kv[1][1])[:top]:
            lines.append(f"  {w:7.2f} {c:6.2f} {int(count):5d}  {key}")
        return "\n".join(lines)


@contextmanager
def statement_times() -> Iterator[StatementTimes]:
    """Record every statement run inside the block."""
    times = StatementTimes()

    def before(conn: Connection, *_: Any) -> None:
        conn.info.setdefault("bench_started", []).append((time.perf_counter(), _server_cpu(conn)))

    def after(conn: Connection, cursor: Any, statement: str, *_: Any) -> None:
        wall, cpu = conn.info["bench_started"].pop()
        key = " ".join(statement.split())[:100]
        times.add(key, time.perf_counter() - wall, _server_cpu(conn) - cpu)

    original = bulk.write_rows

    def timed_write(connection: Connection, table: str, *args: Any) -> int:
        wall, cpu = time.perf_counter(), _server_cpu(connection)
        try:
            return original(connection, table, *args)
        finally:
            times.add(
                f"COPY {table} (bulk.write_rows)",
                time.perf_counter() - wall,
                _server_cpu(connection) - cpu,
            )

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    replaced: list[tuple[Any, Callable[..., int]]] = []
    for module in _WRITERS:
        if getattr(module, "write_rows", None) is original:
            replaced.append((module, original))
            module.write_rows = timed_write  # type: ignore[attr-defined]
    try:
        yield times
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "after_cursor_execute", after)
        for module, function in replaced:
            module.write_rows = function
