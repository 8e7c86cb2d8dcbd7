"""Benchmark (not a test): one invoice create over the API, in-process (FastAPI's
TestClient, no HTTP server), on a small fresh database: the statements it sends (counted
with SQLAlchemy's `before_cursor_execute`, each parameter set of an executemany one), the
CPU of this process per create, and optionally a cProfile of the creates.

    python bench/bench_api_create.py [--backend postgresql|sqlite] [--creates 500]
                                     [--list] [--profile N]

`--list` prints the statements of one create, in order; `--profile N` prints cProfile's
N heaviest functions (cumulative) of the route's work (in the server's thread: what
`call` does, not FastAPI's parsing of the request). PostgreSQL's own CPU is not in these
figures: see bench_api_load.py for a real server under load. FORDRING_BENCH_DATABASE names the
PostgreSQL database (default fordring_bench).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).parent))
from bench_api import SECRET, _setup  # the company, a customer and an API user's key
from bench_invoice_import import fresh_database
from fordring import bootstrap
from fordring.entrypoints.api import invoices
from fordring.entrypoints.api.app import create_app

LINE = {"text": "Konsulenttime", "quantity": "7.5", "unit_price": "1200", "vat": "25"}


class Statements:
    """Every statement sent to the database while `on`: (first words of its SQL, count)."""

    def __init__(self) -> None:
        self.on = False
        self.seen: list[str] = []
        event.listen(Engine, "before_cursor_execute", self._sent)

    def _sent(self, conn: Any, cursor: Any, sql: str, params: Any, ctx: Any, many: bool) -> None:
        if self.on:
            times = len(params) if many else 1
            self.seen.extend([" ".join(sql.split())[:150]] * times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--creates", type=int, default=500)
    parser.add_argument("--list", action="store_true", help="print one create's statements")
    parser.add_argument("--profile", type=int, default=0, help="cProfile's N heaviest")
    args = parser.parse_args()
    url = fresh_database(args.backend)
    token, customer = _setup(url)  # the key is kept under SECRET, as bench_api's
    application = bootstrap.Application(bootstrap.Settings(database_url=url, api_key_secret=SECRET))
    headers = {"Authorization": f"Bearer {token}"}
    body = {"customer": customer, "lines": [LINE]}
    statements = Statements()
    # CPU of the thread that runs it (thread_time), not the time it waits for the database
    profiler = cProfile.Profile(time.thread_time) if args.profile else None
    if profiler is not None:  # the route's work runs in the server's thread: profile it there
        route = vars(invoices)["call"]  # the route looks it up in its module

        def profiled(*given: Any, **named: Any) -> Any:
            if not statements.on:
                return route(*given, **named)
            profiler.enable()
            try:
                return route(*given, **named)
            finally:
                profiler.disable()

        vars(invoices)["call"] = profiled
    with TestClient(create_app(application)) as client:

        def create(n: int) -> None:
            sent = {**headers, "Idempotency-Key": f"bench-{n}"}
            got = client.post("/api/v1/invoices", json=body, headers=sent)
            assert got.status_code == 201, (got.status_code, got.text)

        for n in range(200):  # warm: caches, the pool, the verified key
            create(-1 - n)
        if args.backend == "postgresql":  # as autovacuum would have: plans for real tables
            with application.uow_factory.database.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        statements.on = True
        create(0)
        statements.on = False
        one = list(statements.seen)
        statements.seen.clear()
        started_cpu, started = time.process_time(), time.perf_counter()
        statements.on = True
        for n in range(1, args.creates + 1):
            create(n)
        statements.on = False
        cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    if args.list:
        for n, sql in enumerate(one, 1):
            print(f"{n:3} {sql}")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    kinds = Counter(s.split()[0] for s in statements.seen)
    figures = {
        "backend": args.backend,
        "creates": args.creates,
        "statements_per_create": round(len(statements.seen) / args.creates, 2),
        "by_kind": {k: round(v / args.creates, 2) for k, v in kinds.most_common()},
        "cpu_ms_per_create": round(cpu * 1000 / args.creates, 2),
        "wall_ms_per_create": round(wall * 1000 / args.creates, 2),
        "profiled": profiler is not None,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
