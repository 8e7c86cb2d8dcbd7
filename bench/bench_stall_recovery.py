"""Benchmark (not a test): how long a job stays stuck when its worker dies. A `fordring
worker` is killed with SIGKILL in the middle of a job; another worker finds the job
stalled (the dead worker's heartbeat is older than `--stalled-after`), puts it back in
the queue (the periodic `retry_stalled_jobs`, every 15 s) and does it.

The job is `bench_sleep` (bench_tasks.py: sleeps `--job-seconds`); the times are read
from the database: the kill's moment from the server's clock, the job's second start and
its success from the queue's event log (procrastinate_events). Expected: the heartbeat
age reaches `--stalled-after` between 2/3 of it and all of it after the kill, then up to
15 s to the next recovery tick, then the job's own length.

    python bench/bench_stall_recovery.py [--stalled-after 30 3] [--job-seconds 8]

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
    Database,
    Workers,
    bench_worker,
    copy_of,
    database_name,
    drop,
    exit_on_sigterm,
    migrated_template,
    wait_for,
    workers_ready,
)


def measure(url: str, stalled_after: int, job_seconds: float, timeout: float) -> dict[str, Any]:
    folder = OUT / "stall_recovery" / str(stalled_after)
    shutil.rmtree(folder, ignore_errors=True)
    running = Workers(url, folder, bench_worker(url))
    db = Database(url)
    option = ("--stalled-after", str(stalled_after))
    try:
        for name in ("one", "two"):
            running.start(name, *option)
        if not workers_ready(db, 2):
            raise SystemExit("the workers did not start:\n" + running.logs())
        app = with_bench_tasks(job_app(url))
        with app.open():
            job = app.tasks["bench_sleep"].defer(seconds=job_seconds)
        status = "SELECT status::text FROM procrastinate_jobs WHERE id = :j"
        if not wait_for(lambda: db.scalar(status, j=job) == "doing", 60, every=0.05):
            raise SystemExit("the job did not start:\n" + running.logs())
        doomed = next((n for n in ("one", "two") if f"bench_sleep[{job}]" in running.log(n)), None)
        if doomed is None or not wait_for(lambda: db.scalar(status, j=job) == "doing", 0):
            raise SystemExit("no worker is doing the job:\n" + running.logs())
        running.kill(doomed)
        killed_at = db.scalar("SELECT clock_timestamp()")
        killed = time.monotonic()
        done = wait_for(lambda: db.scalar(status, j=job) == "succeeded", timeout, every=0.1)
        waited = time.monotonic() - killed
        if not done:
            raise SystemExit(f"not done {timeout:.0f} s after the kill:\n" + running.logs())
        starts, restarted, succeeded = db.row(
            "SELECT count(*) FILTER (WHERE type = 'started'), "
            "max(at) FILTER (WHERE type = 'started') - :k, "
            "max(at) FILTER (WHERE type = 'succeeded') - :k "
            "FROM procrastinate_events WHERE job_id = :j",
            j=job,
            k=killed_at,
        )
    finally:
        running.stop()
        db.close()
    return {
        "stalled_after": stalled_after,
        "job_s": job_seconds,
        "starts": starts,
        "restarted_s": round(restarted.total_seconds(), 1),
        "finished_s": round(succeeded.total_seconds(), 1),
        "polled_s": round(waited, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stalled-after", type=int, nargs="+", default=[30, 3])
    parser.add_argument("--job-seconds", type=float, default=8.0)
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    exit_on_sigterm()
    source = migrated_template("jobs")
    name = database_name("stall")
    results = []
    for stalled_after in args.stalled_after:
        url = copy_of(source, name)
        result = measure(url, stalled_after, args.job_seconds, args.timeout)
        results.append(result)
        print(result)
        forget_database(url)
        drop(name)
    print(
        f"bench_stall_recovery: a worker SIGKILLed in a {args.job_seconds:g} s job: "
        + "; ".join(
            f"--stalled-after {r['stalled_after']}: started again on the other worker "
            f"{r['restarted_s']} s after the kill, done {r['finished_s']} s after it"
            for r in results
        )
    )


if __name__ == "__main__":
    main()
