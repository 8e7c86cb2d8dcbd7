"""Benchmark (not a test): what one case lookup (`GET /api/v1/cases/{n}`) costs in the
server's own process, without HTTP: the ASGI application called directly, one request at a
time, on a database `bench_api_load.py` made (its copy of the 1,000,000 cases). Reports the
process's CPU per lookup, the statements each sent (SQLAlchemy's `before_cursor_execute`,
counted on this process's engine: pg_stat_statements need not be loaded), the round trips
to PostgreSQL (the TCP segments the backends serving the database sent, from `ss`: on
loopback a round trip's answer is one, whatever it carried),
the CPU of PostgreSQL's backends serving the database
(/proc, this machine) and, with
`--profile FILE`, a cProfile of the lookups (the routes then run in the event loop's
thread, not the thread pool, so that it sees them).

    python bench/bench_api_inprocess.py --db postgresql://…/fordring_bench_api
        [--lookups 2000] [--profile lookup.prof]

It makes an API key of the first company (as bench_api_load.py does) and reads cases 1 to
100,000 of it at random."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).parent))
from bench_api_load import SECRET, _keys
from fordring import bootstrap
from fordring.entrypoints.api.app import create_app
from worker_processes import CpuMeter, Database, backends


async def _get(app: Any, path: str, token: str) -> tuple[int, bytes]:
    """One GET through the ASGI application: its status and body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
        else:
            sent["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return sent["status"], sent["body"]


def _answers(pids: list[int]) -> int:
    """The TCP segments with data the processes (PostgreSQL's backends) sent so far, from
    `ss`: on loopback a backend answers a round trip with one, whatever it carried. `ss`
    shows another user's processes' sockets to root only (0 otherwise)."""
    try:
        shown = subprocess.run(["ss", "-tinpH"], capture_output=True, text=True).stdout
    except FileNotFoundError:  # no iproute2
        return 0
    total = 0
    for owner, info in itertools.pairwise(shown.splitlines()):
        found = re.search(r"pid=(\d+),", owner)
        sent = re.search(r"data_segs_out:(\d+)", info)
        if found and sent and int(found.group(1)) in pids:
            total += int(sent.group(1))
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--profile", help="write a cProfile of the lookups here")
    args = parser.parse_args()
    if args.profile:  # the routes run in the event loop's thread, where cProfile sees them
        import fastapi.routing

        from fordring.entrypoints.api import lean_route

        async def in_this_thread(func: Any, *a: Any, **kw: Any) -> Any:
            return func(*a, **kw)

        fastapi.routing.run_in_threadpool = in_this_thread  # type: ignore[attr-defined]
        lean_route.run_in_thread = in_this_thread
    (token,) = _keys(args.db)
    settings = bootstrap.Settings(database_url=args.db, api_key_secret=SECRET)
    application = bootstrap.Application(settings)
    app = create_app(application)
    statements: Counter[str] = Counter()

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements[" ".join(statement.split())[:60]] += 1

    event.listen(application.uow_factory.database.engine, "before_cursor_execute", count)
    db = Database(args.db)
    rng = random.Random(17)
    paths = [f"/api/v1/cases/{rng.randint(1, 100_000)}" for _ in range(args.lookups)]

    async def run(paths: list[str]) -> Counter[int]:
        statuses: Counter[int] = Counter()
        for path in paths:
            status, _ = await _get(app, path, token)
            statuses[status] += 1
        return statuses

    asyncio.run(run(paths[:200]))  # warm: the pool, the compiled cache
    statements.clear()
    postgres = CpuMeter()
    serving = backends(db)
    postgres.start(serving)
    answered = _answers(serving)
    profile = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
    began, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    statuses = asyncio.run(run(paths))
    if profile is not None:
        profile.disable()
        profile.dump_stats(args.profile)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - began
    postgres.read(backends(db))
    answered = _answers(serving) - answered
    db.close()
    n = len(paths)
    print(
        json.dumps(
            {
                "lookups": n,
                "statuses": dict(statuses),
                "cpu_ms_per_lookup": round(cpu * 1000 / n, 3),
                "wall_ms_per_lookup": round(wall * 1000 / n, 3),
                "cpu_postgres_ms_per_lookup": round(postgres.total * 1000 / n, 3),
                "round_trips_per_lookup": round(answered / n, 2) if answered else "unknown",
                "statements_per_lookup": round(sum(statements.values()) / n, 2),
                "statements": {k: round(v / n, 2) for k, v in statements.most_common()},
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
