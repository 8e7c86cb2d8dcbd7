"""`fordring worker` with the benchmarks' own tasks: `python bench/bench_tasks.py
--db URL worker …` is the `fordring` command line, whose job queue (the bootstrap's
`Application.job_queue`) also knows the tasks below, in the queue `bench`. The product's
code is unchanged: the worker, its schedule, heartbeat and stalled-job recovery are the
real ones; only the tasks are the benchmark's.

- `bench_noop`: does nothing (bench_job_throughput.py: what the queue itself costs).
- `bench_sleep(seconds)`: sleeps (bench_stall_recovery.py: a job to kill a worker in).
"""

from __future__ import annotations

import time
from typing import Any

from procrastinate import App

from fordring import bootstrap

QUEUE = "bench"


def bench_noop() -> None:
    """Nothing: the queue's own cost per job."""


def bench_sleep(seconds: float) -> None:
    """A job that takes `seconds` (safe to run twice)."""
    time.sleep(seconds)


def with_bench_tasks(app: App) -> App:
    app.task(name="bench_noop", queue=QUEUE)(bench_noop)
    app.task(name="bench_sleep", queue=QUEUE)(bench_sleep)
    return app


def _patch() -> None:
    original = bootstrap.Application.job_queue

    def job_queue(self: bootstrap.Application) -> Any:
        return with_bench_tasks(original(self))

    bootstrap.Application.job_queue = job_queue  # type: ignore[method-assign]


if __name__ == "__main__":
    _patch()
    from fordring.entrypoints.cli.main import main

    main()
