"""Benchmark (not a test): the day's letters rendered and delivered to the paper outbox by
`fordring worker` processes on PostgreSQL (issue 16: 40,000 letters at >= 300 letters/s
overall with 2 workers on 2 cores).

N cases across C companies wake on DAY for their fee-free reminder, on paper
(tests/letters_waiting.py: the cases written straight into the tables, the day run
in-process for each company by the product's run), all before the clock starts. The
database is then kept as a template, and each measurement runs on a copy of it: W real
`fordring worker` processes are started and left idle, one `deliver_waiting` job per
company is queued (what `run_company_day` queues after the day), and the clock runs from
that queueing until every letter is delivered (no dispatch waits), every print batch is
made (no paper document in none) and no delivery job is left. Also the CPU time of the
workers and their rendering processes (from their start to their stop), which a busy
machine hardly changes: letters/s on two idle cores is at most 2 / (CPU s a letter).

    python bench/bench_worker_letters.py [--letters 40000] [--companies 200]
        [--workers 2 1] [--render-processes N] [--keep]

FORDRING_BENCH_DATABASE names the database (default fordring_bench_letters).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))  # tests.letters_waiting
os.environ.setdefault("FORDRING_BENCH_DATABASE", "fordring_bench_letters")
from tests.letters_waiting import DAY, letters_waiting

from bench_invoice_import import POSTGRES, fresh_database
from fordring import bootstrap
from fordring.adapters.db.engine import forget_database
from fordring.entrypoints.jobs.delivery import defer_delivery
from fordring.entrypoints.jobs.tasks import with_jobs


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def copy(template: str, name: str) -> str:
    admin = create_engine(POSTGRES + "postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    admin.dispose()
    return POSTGRES + name


def drop(name: str) -> None:
    admin = create_engine(POSTGRES + "postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


DONE = (
    "SELECT (SELECT count(*) FROM dispatch WHERE state = 'waiting')"
    " + (SELECT count(*) FROM dispatch WHERE post_day IS NOT NULL AND print_batch IS NULL)"
    " + (SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
    "    AND queue_name = 'delivery')"
)


def measure(
    url: str, companies: list[int], workers: int, folder: Path, render: int | None
) -> dict[str, float]:
    """W workers deliver every company's letters; seconds, letters/s and the CPU seconds
    the workers and their rendering processes spent (their start included)."""
    letters = _count(url, "SELECT count(*) FROM dispatch WHERE state = 'waiting'")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORDRING_")}
    fordring = str(Path(sys.executable).parent / "fordring")
    started = []
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    options = [] if render is None else ["--render-processes", str(render)]
    for n in range(workers):
        log = (folder / f"worker-{n}.log").open("w")
        started.append(
            subprocess.Popen(
                [fordring, "--db", url, "worker", "--name", f"bench-{n}", *options],
                cwd=folder,
                env={**env, "FORDRING_OUTBOX": "outbox"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        time.sleep(4)  # started and idle: the clock measures the work, not the start
        app = with_jobs(bootstrap.Application(bootstrap.Settings(database_url=url)).job_queue())
        begun = time.perf_counter()
        with app.open():
            for company in companies:
                defer_delivery(app, company, DAY)
        while _count(url, DONE):
            time.sleep(0.2)
        took = time.perf_counter() - begun
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            process.wait(60)
    spent = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = spent.ru_utime + spent.ru_stime - cpu.ru_utime - cpu.ru_stime
    sent = _count(url, "SELECT count(*) FROM dispatch WHERE state = 'sent'")
    files = sum(1 for _ in (folder / "outbox").rglob("case-*.pdf"))
    batches = sum(1 for _ in (folder / "outbox").rglob("print-batch-*.pdf"))
    failed = _count(url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'")
    assert sent == letters == files, (sent, letters, files)
    assert batches == len(companies) and failed == 0, (batches, failed)
    return {"letters": letters, "s": took, "per_s": letters / took, "cpu_s": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=40_000)
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1])
    parser.add_argument(
        "--render-processes", type=int, default=None, help="per worker (default: its own)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the outboxes and databases")
    args = parser.parse_args()
    url = fresh_database("postgresql")
    name = os.environ["FORDRING_BENCH_DATABASE"]
    started = time.perf_counter()
    companies = letters_waiting(url, args.letters, args.companies)
    print(
        f"{args.letters:,} letters of {args.companies} companies queued in "
        f"{time.perf_counter() - started:.1f} s (setup)",
        flush=True,
    )
    forget_database(url)
    for workers in args.workers:
        run = copy(name, f"{name}_{workers}w")
        folder = Path(tempfile.mkdtemp(prefix=f"bench-letters-{workers}w-"))
        try:
            found = measure(run, companies, workers, folder, args.render_processes)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
                drop(f"{name}_{workers}w")
        print(
            f"{workers} worker(s): {found['letters']:,} letters rendered and delivered to the "
            f"paper outbox, print batches made, in {found['s']:.1f} s = "
            f"{found['per_s']:,.0f} letters/s; CPU of the workers and their renderers "
            f"{found['cpu_s']:.1f} s = {1000 * found['cpu_s'] / found['letters']:.1f} ms a "
            f"letter (load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
