"""Benchmark (not a test): trivial jobs through the job queue on PostgreSQL, done by real
`fordring worker` processes: what the queue itself costs per job (issue 16, "job
throughput of trivial jobs through the queue (jobs/s) with 2 workers").

N no-op jobs (`bench_noop`, a task only the benchmark registers: bench_tasks.py) are
queued in one batch, then the workers start and drain the queue. Jobs/s is N over the time
from the first job's start to the last one's success, both read from the queue's own event
log (procrastinate_events), so the workers' start-up is left out. Also the CPU time per
job of the workers (counted from when they are ready) and of PostgreSQL's processes for
the database, which a busy machine hardly changes.

    python bench/bench_job_throughput.py [--jobs 10000] [--workers 2] [--concurrency 1 4]

The last line printed is the summary.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_tasks import with_bench_tasks
from fordring.adapters.db.engine import forget_database
from fordring.adapters.job_queue import job_app
from worker_processes import (
    OUT,
    CpuMeter,
    Database,
    Workers,
    backends,
    bench_worker,
    copy_of,
    database_name,
    drop,
    exit_on_sigterm,
    migrated_template,
    wait_for,
    workers_ready,
)


def measure(url: str, jobs: int, workers: int, concurrency: int, timeout: float) -> dict[str, Any]:
    app = with_bench_tasks(job_app(url))
    started = time.perf_counter()
    with app.open():
        for at in range(0, jobs, 1000):
            app.tasks["bench_noop"].batch_defer(*({} for _ in range(min(1000, jobs - at))))
    deferred_s = time.perf_counter() - started
    folder = OUT / "job_throughput" / f"{workers}x{concurrency}"
    shutil.rmtree(folder, ignore_errors=True)
    running = Workers(url, folder, bench_worker(url))
    db = Database(url)
    try:
        for i in range(workers):
            running.start(f"w{i + 1}", "--concurrency", str(concurrency))
        workers_ready(db, workers)
        running.cpu.start(p.pid for p in running.processes.values())
        server = CpuMeter()  # PostgreSQL's processes serving the database

        def drained() -> bool:
            running.sample()
            server.read(backends(db))
            return not db.scalar(
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'bench_noop' "
                "AND status <> 'succeeded'"
            )

        done = wait_for(drained, timeout, every=1.0)
        if not done:
            raise SystemExit(f"not done within {timeout:.0f} s:\n" + running.logs())
        first, last = db.row(
            "SELECT min(e.at) FILTER (WHERE e.type = 'started'), "
            "max(e.at) FILTER (WHERE e.type = 'succeeded') FROM procrastinate_events e "
            "JOIN procrastinate_jobs j ON j.id = e.job_id WHERE j.task_name = 'bench_noop'"
        )
        by_worker = db.scalar(
            "SELECT count(DISTINCT worker_id) FROM procrastinate_jobs "
            "WHERE task_name = 'bench_noop'"
        )
    finally:
        running.stop()
        db.close()
    took = (last - first).total_seconds()
    return {
        "jobs": jobs,
        "workers": workers,
        "concurrency": concurrency,
        "defer_s": round(deferred_s, 2),
        "drain_s": round(took, 2),
        "jobs_per_s": round(jobs / took),
        "workers_seen": by_worker,
        "cpu_ms_per_job": round(1000 * running.cpu.total / jobs, 2),
        "server_cpu_ms_per_job": round(1000 * server.total / jobs, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    exit_on_sigterm()
    source = migrated_template("jobs")
    name = database_name("jobs")
    results = []
    for concurrency in args.concurrency:
        url = copy_of(source, name)
        result = measure(url, args.jobs, args.workers, concurrency, args.timeout)
        results.append(result)
        print(result)
        forget_database(url)
        drop(name)
    print(
        f"bench_job_throughput: {args.jobs:,} no-op jobs, {args.workers} workers: "
        + "; ".join(
            f"concurrency {r['concurrency']}: {r['jobs_per_s']} jobs/s "
            f"(drained in {r['drain_s']} s; queued in {r['defer_s']} s; CPU per job: workers "
            f"{r['cpu_ms_per_job']} ms, PostgreSQL {r['server_cpu_ms_per_job']} ms)"
            for r in results
        )
    )


if __name__ == "__main__":
    main()
