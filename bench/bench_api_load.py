"""Benchmark (not a test): issue 17's load figures. A real `fordring serve` on loopback
over 1,000,000 collection cases in PostgreSQL (10 companies of 100,000 cases, the data set
of bench_workers_day.py, kept as a template database), and the load generator on the same
machine:

1. case lookup by number (`GET /cases/{n}`, a random one of the key's company's 100,000)
   at the highest rate `--connections` keep-alive connections reach, each sending its
   next request when the last is answered (closed loop);
2. the same lookups at a fixed `--rate` (500/s) for `--seconds`, sent on a schedule
   whether or not earlier ones were answered (open loop: a request's latency counts from
   when it was due, so a stall is not hidden by requests not sent);
3. invoice create (`POST /invoices`, an `Idempotency-Key` each) at the highest rate.

Targets (issue 17): lookups ≥ 1,500/s, p99 ≤ 10 ms at 500/s, invoice create ≥ 300/s.

The load generator is a lean asyncio HTTP/1.1 client on raw sockets (no HTTP library: it
builds each request from bytes and reads the answer's status and Content-Length), in this
process; its CPU is reported with the server's (every process of `fordring serve`) and
PostgreSQL's (the backends serving the database), read from /proc, and the statements a
request costs (pg_stat_statements, this database's; "unknown" when the server has not
loaded it: count them in-process with bench_api_create.py). A C generator would spend less:
`apt-get install wrk` and `wrk -c 16 -t 1 -d 10s -H 'Authorization: Bearer …' URL` gives
the closed-loop rate (it has no open-loop mode); it is not needed here.

    python bench/bench_api_load.py [--workers 2] [--connections 16] [--lookups 20000]
        [--rate 500] [--seconds 10] [--creates 3000] [--create-companies 1] [--rebuild]
        [--template NAME] [--serve-arg ...]

`--template NAME` copies an existing data set built with older migrations (as
bench_portal.py's: a branch that adds a migration need not build 1,000,000 cases again)
and migrates the copy to this branch's.

A phase given 0 (`--lookups 0`, `--seconds 0`, `--creates 0`) is left out.

FORDRING_BENCH_DATABASE names the databases (default fordring_bench: fordring_bench_api
and the template fordring_bench_wday_t_…). Loopback only; every phase is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from bench_workers_day import template
from fordring import bootstrap
from fordring.adapters.db.engine import forget_database
from fordring.domain.api_access import Role
from fordring.services.api_keys import NewApiKey, create_api_key
from fordring.services.scope import COMMAND_LINE, Scope
from worker_processes import (
    POSTGRES,
    CpuMeter,
    Database,
    admin,
    backends,
    copy_of,
    cpu_seconds,
    database_name,
    descendants,
    fordring,
    listening_on,
)

CASES, COMPANIES, CHANGES = 1_000_000, 10, 10_000
SECRET = "bench-api-key-secret-0123456789"
LINE = {"text": "Konsulenttime", "quantity": "7.5", "unit_price": "1200", "vat": "25"}
Request = Callable[[int], bytes]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _keys(url: str, companies: int = 1) -> list[str]:
    """An API user's key of each of the first `companies` companies."""
    factory = bootstrap.uow_factory(url)
    db = Database(url)
    found = db.connection.exec_driver_sql("SELECT id FROM company ORDER BY id")
    ids = [int(row[0]) for row in found]
    db.close()
    made = []
    for company in ids[:companies]:
        scope = Scope(company, COMMAND_LINE, bootstrap.today())
        key = create_api_key(NewApiKey("bench", Role.API_USER), scope, factory, SECRET.encode())
        made.append(key.token)
    return made


def _request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """Send one request, read its whole answer; its status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


class Results:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.began = time.perf_counter()
        self.when: list[float] = []  # when each request was sent or due, from the start

    def add(self, took: float, status: int, sent: float) -> None:
        self.latencies.append(took)
        self.when.append(sent - self.began)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def summary(self, elapsed: float) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        n = len(ordered)

        def at(q: float) -> float:
            return round(ordered[min(n - 1, int(n * q))] * 1000, 2)

        return {
            "requests": n,
            "seconds": round(elapsed, 2),
            "per_second": round(n / elapsed),
            "p50_ms": at(0.5),
            "p99_ms": at(0.99),
            "max_ms": round(ordered[-1] * 1000, 2),
            "over_10_ms": sum(1 for took in ordered if took > 0.010),
            # the slowest: when (s from the start) and how long (ms): a stall or the start?
            "slowest": [
                (round(self.when[i], 2), round(self.latencies[i] * 1000, 1))
                for i in sorted(range(n), key=self.latencies.__getitem__)[-8:]
            ],
            "statuses": self.statuses,
        }


async def closed_loop(port: int, connections: int, count: int, make: Request) -> dict[str, Any]:
    """`count` requests over `connections` connections, each sent when the last is answered."""
    results = Results()
    counter = iter(range(count))

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while (n := next(counter, None)) is not None:
            request = make(n)
            start = time.perf_counter()
            status = await _exchange(reader, writer, request)
            results.add(time.perf_counter() - start, status, start)
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return results.summary(time.perf_counter() - began)


async def open_loop(
    port: int, connections: int, rate: float, seconds: float, make: Request
) -> dict[str, Any]:
    """Requests due every 1/`rate` s for `seconds`, over up to `connections` connections; a
    request's latency counts from when it was due, whether or not a connection was free."""
    results = Results()
    count = int(rate * seconds)
    counter = iter(range(count))
    began = time.perf_counter() + 0.05
    results.began = began

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while (n := next(counter, None)) is not None:
            due = began + n / rate
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            status = await _exchange(reader, writer, make(n))
            results.add(time.perf_counter() - due, status, due)
        writer.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return results.summary(time.perf_counter() - began)


class Meter:
    """CPU seconds of the server (its processes), PostgreSQL's backends and this process."""

    def __init__(self, server: int, db: Database) -> None:
        self.server, self.db = server, db

    def _pids(self) -> tuple[list[int], list[int]]:
        return [self.server, *descendants(self.server)], backends(self.db)

    def start(self) -> None:
        self.app, self.pg = CpuMeter(), CpuMeter()
        served, pg = self._pids()
        self.app.start(served)
        self.pg.start(pg)
        self.own = cpu_seconds(os.getpid())
        self.counting = _statements_counted(self.db)

    def read(self, requests: int) -> dict[str, Any]:
        served, pg = self._pids()
        self.app.read(served)
        self.pg.read(pg)
        statements: float | str = "unknown (pg_stat_statements is not loaded)"
        if self.counting:
            calls = self.db.scalar(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND query NOT LIKE '%pg_stat_statements%'"
            )
            statements = round(int(calls) / max(requests, 1), 1)
        return {
            "cpu_server_s": round(self.app.total, 2),
            "cpu_postgres_s": round(self.pg.total, 2),
            "cpu_generator_s": round(cpu_seconds(os.getpid()) - self.own, 2),
            "cpu_ms_per_request": round(
                (self.app.total + self.pg.total) * 1000 / max(requests, 1), 2
            ),
            "statements_per_request": statements,
        }


def _statements_counted(db: Database) -> bool:
    """Reset this database's pg_stat_statements (other benchmarks share the server) and
    say whether it counts; False, changing nothing, when the server has not loaded it
    (`shared_preload_libraries`: loading it needs a restart, not done from here)."""
    loaded = db.scalar("SELECT current_setting('shared_preload_libraries')")
    if "pg_stat_statements" not in str(loaded):
        db.connection.rollback()  # not left idle in a transaction through the phase
        return False
    db.connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
    db.connection.execute(
        text(
            "SELECT pg_stat_statements_reset(0, "
            "(SELECT oid FROM pg_database WHERE datname = current_database()), 0)"
        )
    )
    db.connection.commit()
    return True


def _wait_until_up(port: int, server: subprocess.Popen[bytes], workers: int) -> None:
    """Until every process of `serve` listens on its socket: the kernel gives a new
    connection only to one that does, so a phase begun while one still starts would
    have all its connections on the others."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("fordring serve stopped")
        if listening_on(port) >= workers:
            return
        time.sleep(0.2)
    raise SystemExit("fordring serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2, help="fordring serve --workers")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--creates", type=int, default=3_000)
    parser.add_argument(
        "--create-companies",
        type=int,
        default=1,
        help="creates go to this many companies in turn (1: all to one, whose invoice "
        "numbers every create then waits for)",
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--template",
        help="copy this data set (built with older migrations) and migrate the copy, "
        "instead of building one for this branch's migrations",
    )
    parser.add_argument("--serve-arg", action="append", default=[], help="more for serve")
    args = parser.parse_args()
    # killed by SIGTERM, end through `finally` as on Ctrl-C: the server's processes too
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    source = args.template or template(CASES, COMPANIES, CHANGES, args.rebuild)
    name = database_name("api")
    url = copy_of(source, name)
    if args.template:
        bootstrap.migrate(url)
    forget_database(url)
    # the copy's gigabytes written out now, not by the checkpointer during the phases
    # (their stalls of 200-300 ms were in every phase's slowest requests, session 15)
    admin("CHECKPOINT")
    os.sync()
    tokens = _keys(url, max(1, args.create_companies))
    token = tokens[0]
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORDRING_")}
    env["FORDRING_API_KEY_SECRET"] = SECRET
    serve = [*fordring(), "--db", url, "serve", "--port", str(port)]
    if args.workers != 1:
        serve += ["--workers", str(args.workers)]
    server = subprocess.Popen([*serve, *args.serve_arg], env=env, start_new_session=True)
    headers = {"Authorization": f"Bearer {token}"}
    per_company = CASES // COMPANIES
    rng = random.Random(17)
    figures: dict[str, Any] = {"load_average": os.getloadavg()}

    def lookup(n: int) -> bytes:
        return _request("GET", f"/api/v1/cases/{rng.randint(1, per_company)}", headers)

    body = json.dumps({"customer": 10000, "lines": [LINE]}).encode()

    def create(n: int) -> bytes:
        key = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        sent = {**key, "Idempotency-Key": f"bench-{n}"}
        return _request("POST", "/api/v1/invoices", sent, body)

    db = Database(POSTGRES + name)
    try:
        _wait_until_up(port, server, args.workers)
        meter = Meter(server.pid, db)
        asyncio.run(closed_loop(port, args.connections, 2_000, lookup))  # warm
        phases: list[tuple[str, Callable[[], Coroutine[Any, Any, dict[str, Any]]]]] = [
            ("lookup_max", lambda: closed_loop(port, args.connections, args.lookups, lookup)),
            ("lookup_at_rate", lambda: open_loop(port, 64, args.rate, args.seconds, lookup)),
            ("create_max", lambda: closed_loop(port, args.connections, args.creates, create)),
        ]
        counts = {"lookup_max": args.lookups, "lookup_at_rate": args.seconds * args.rate}
        counts["create_max"] = args.creates
        for phase, run in phases:
            if not counts[phase]:
                continue  # `--lookups 0`, `--seconds 0`, `--creates 0`: not this one
            before = db.scalar("SELECT coalesce(max(id), 0) FROM invoice")
            meter.start()
            found = asyncio.run(run())
            found.update(meter.read(found["requests"]))
            if phase == "create_max":
                found["invoices"] = _numbered(db, before)
            figures[phase] = found
            print(phase, json.dumps(found), flush=True)
    finally:
        db.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    figures["load_average_after"] = os.getloadavg()
    print(json.dumps(figures))


def _numbered(db: Database, after_id: int) -> dict[str, Any]:
    """The invoices made after `after_id`: how many, and whether each company's numbers
    follow each other with no gap or double (creates answered together, docs/api.md)."""
    made, gapless = db.row(
        "SELECT coalesce(sum(n), 0), coalesce(bool_and(n = distinct_n AND n = span), true)"
        " FROM (SELECT count(*) AS n, count(DISTINCT number) AS distinct_n,"
        " max(number) - min(number) + 1 AS span FROM invoice WHERE id > :after"
        " GROUP BY company_id) AS per_company",
        after=after_id,
    )
    return {"made": int(made), "numbers_without_gaps": bool(gapless)}


if __name__ == "__main__":
    main()
