"""Jobs deferred inside a unit of work (services/ports/jobs.py). On PostgreSQL with
workers: procrastinate's own SQL function `procrastinate_defer_jobs_v1` (what its
connector calls to defer) on the unit of work's connection, so the job row commits or rolls
back with the writes that caused it; the tenant role may call it (migration 0015_graph).
In-process: the jobs are only collected, for the runner that does them in order."""

from __future__ import annotations

import json

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from fordring.services.ports.jobs import NextJob

# procrastinate's partial unique index: one job waiting (`todo`) per queueing lock.
QUEUEING_LOCK = "procrastinate_jobs_queueing_lock_idx_v1"

_DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, :priority, :lock, :queueing_lock, "
    "CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])"
)


class QueuedJobs:
    """Jobs into procrastinate's queue, in the unit of work's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def defer(self, job: NextJob) -> None:
        # A savepoint: the same job already waiting breaks the queueing lock's index, which
        # must undo only this insert, not the transaction's writes.
        savepoint = self.connection.begin_nested()
        try:
            self.connection.execute(
                _DEFER,
                {
                    "queue": job.queue,
                    "task": job.task,
                    "priority": job.priority,
                    "lock": job.lock,
                    "queueing_lock": job.queueing_lock,
                    "args": json.dumps(dict(job.args), sort_keys=True),
                },
            )
        except IntegrityError as error:
            savepoint.rollback()
            if getattr(getattr(error.orig, "diag", None), "constraint_name", None) == QUEUEING_LOCK:
                return  # it waits already, and will do what this one would
            raise
        savepoint.commit()


class CollectedJobs:
    """Jobs kept in a list (`deferred`): the in-process runner does them itself."""

    def __init__(self) -> None:
        self.deferred: list[NextJob] = []

    def defer(self, job: NextJob) -> None:
        self.deferred.append(job)
