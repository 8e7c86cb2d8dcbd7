"""Benchmark (not a test): the companies' days of `bench_workers_day.py` done in this one
process, as a worker's job does them (`day_graph.begin_company_days`, units of work that
queue what follows), to count what a company-day costs: the statements sent by kind
(an `executemany` counted once per parameter set, as PostgreSQL runs it), this process's
CPU and the CPU of its PostgreSQL backend, per company; `--profile` adds cProfile's
largest functions.

    python bench/bench_company_steps.py [--cases 100000] [--companies 100]
        [--changes 5000] [--first 100] [--profile]

It works on a copy of bench_workers_day.py's template (built when missing), so the two
benchmarks measure the same data. FORDRING_BENCH_DATABASE names the databases.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event, text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).parent))
from bench_invoice_import import PIN_KEY
from bench_workers_day import DAY, template
from fordring import bootstrap
from fordring.domain.law.builtin_rates import rate_book
from fordring.services.day_graph import begin_company_days
from fordring.services.scope import DAILY_RUN, Scope
from statement_times import _server_cpu, statement_times
from worker_processes import copy_of, database_name, drop


def kind(statement: str) -> str:
    """A statement's kind: its verb and table, and for an UPDATE the columns it sets."""
    words = " ".join(statement.split())
    update = re.match(r"UPDATE (\w+) SET (.*?) (WHERE|FROM|$)", words)
    if update:
        columns = ",".join(re.findall(r"(\w+)\"? ?=", update.group(2)))
        return f"UPDATE {update.group(1)} SET {columns}"
    insert = re.match(r"INSERT INTO (\w+)", words)
    if insert:
        return f"INSERT {insert.group(1)}"
    select = re.match(r"SELECT .*? FROM (\w+)", words)
    if select:
        return f"SELECT … FROM {select.group(1)}"
    return words[:50]


class Statements:
    """Statements sent inside the block, by kind: calls and statements (parameter sets)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.runs: Counter[str] = Counter()

    def __enter__(self) -> Statements:
        event.listen(Engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._seen)

    def _seen(
        self, conn: Connection, cursor: Any, statement: str, parameters: Any, ctx: Any, many: bool
    ) -> None:
        key = kind(statement)
        self.calls[key] += 1
        # insertmanyvalues passes one batch (a statement) as a dict of its rows' values
        self.runs[key] += len(parameters) if many and isinstance(parameters, list) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--changes", type=int, default=5_000)
    parser.add_argument("--first", type=int, default=100, help="how many companies to run")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--times", action="store_true", help="wall and PostgreSQL CPU by statement")
    args = parser.parse_args()
    source = template(args.cases, args.companies, args.changes, False)
    name = database_name("csteps")
    url = copy_of(source, name)
    try:
        factory = bootstrap.uow_factory(url).on_queue()
        book = rate_book()
        with factory.unscoped() as uow:
            ids = [r[0] for r in uow.connection.execute(text("SELECT id FROM company ORDER BY id"))]
        ids = ids[: args.first]
        with factory(Scope(ids[0], DAILY_RUN, DAY)) as uow:  # the connection, once
            pid = uow.connection.connection.driver_connection.info.backend_pid  # type: ignore[union-attr]
            server = _server_cpu(uow.connection)
        profile = cProfile.Profile() if args.profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        timing = statement_times() if args.times else nullcontext()
        with Statements() as seen, timing as times:
            if profile:
                profile.enable()
            for company_id in ids:
                begin_company_days(
                    Scope(company_id, DAILY_RUN, DAY), DAY, factory, book, pin_key=PIN_KEY
                )
            if profile:
                profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        with factory(Scope(ids[0], DAILY_RUN, DAY)) as uow:
            same = uow.connection.connection.driver_connection.info.backend_pid == pid  # type: ignore[union-attr]
            server = _server_cpu(uow.connection) - server
        with factory.unscoped() as uow:
            days = uow.connection.execute(
                text("SELECT count(*) FROM run_log WHERE day = :d"), {"d": DAY}
            ).scalar_one()
            letters = uow.connection.execute(
                text("SELECT count(*) FROM case_letter WHERE letter_date = :d"), {"d": DAY}
            ).scalar_one()
    finally:
        drop(name)
    n = len(ids)
    print(f"{'calls':>8} {'statements':>10}  per company, by kind")
    for key, count in sorted(seen.runs.items(), key=lambda kv: -kv[1]):
        print(f"{seen.calls[key] / n:8.1f} {count / n:10.1f}  {key}")
    calls, runs = sum(seen.calls.values()) / n, sum(seen.runs.values()) / n
    print(f"{calls:8.1f} {runs:10.1f}  in all")
    if times is not None:
        print(times.report(args.top))
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    server_text = f"{server * 1000 / n:.1f} ms" if same else "not read (another backend)"
    print(
        f"bench_company_steps: {n} company-days ({days} recorded, {letters} letters): "
        f"{runs:.0f} statements ({calls:.0f} calls) a company; CPU here "
        f"{cpu * 1000 / n:.1f} ms, PostgreSQL {server_text} a company; wall {wall:.1f} s"
    )


if __name__ == "__main__":
    main()
