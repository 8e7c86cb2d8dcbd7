"""Jobs deferred inside a unit of work (ARCHITECTURE "Jobs"): a part of the business day
names the parts that follow it, and they are queued in the same transaction as the write
that causes them, so none is lost (a commit queues them) or orphaned (a rollback drops
them). On PostgreSQL with workers they go to procrastinate's queue; run in-process they
are only collected, and the runner does them in order (services/day_graph.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

JobArgument = str | int | bool | None


@dataclass(frozen=True, slots=True)
class NextJob:
    """A job to run after this transaction: the service `task` with `args` (JSON: dates as
    ISO text), on `queue`. Jobs with the same `lock` run one at a time; while a job with a
    `queueing_lock` waits, another with the same one is not queued (it would do nothing).
    Of the jobs waiting, those of higher `priority` run first."""

    task: str
    args: Mapping[str, JobArgument] = field(default_factory=dict)
    queue: str = "days"
    lock: str | None = None
    queueing_lock: str | None = None
    priority: int = 0


class JobQueue(Protocol):
    """The unit of work's queue of jobs to run once it commits."""

    def defer(self, job: NextJob) -> None:
        """Queue `job` with this transaction's writes (nothing if the same waits already)."""
        ...
