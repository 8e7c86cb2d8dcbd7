"""procrastinate's job queue over the fordring database (PostgreSQL only): the App that
defers jobs, lists them and runs workers. Its tables come from migration 0014_workers;
the errors of failed jobs (`job_failure`, 0015_sched) are recorded and read here.

The App is built once per process by the bootstrap, from the database URL; its tasks are
the entry points' (entrypoints/jobs), added by whoever runs or defers them. Sync use (a
command line deferring or listing jobs) opens a sync pool, the worker an async one.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector
from sqlalchemy.engine import make_url

from fordring.adapters.db.engine import normalise_url

logger = logging.getLogger(__name__)


class NoJobQueue(Exception):
    """The database has no job queue: SQLite runs every job in-process."""


def has_job_queue(database_url: str) -> bool:
    """Whether the database is PostgreSQL, whose schema holds procrastinate's queue."""
    return make_url(normalise_url(database_url)).get_backend_name() == "postgresql"


def conninfo(database_url: str) -> str:
    """The libpq connection string of an SQLAlchemy URL (driver name dropped)."""
    url = make_url(normalise_url(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def job_app(database_url: str) -> App:
    """The procrastinate App over the database (NoJobQueue on SQLite); not opened."""
    if not has_job_queue(database_url):
        raise NoJobQueue(
            "database: jobs run on PostgreSQL only; on SQLite `fordring run` does the day "
            "in-process"
        )
    return App(connector=PsycopgConnector(conninfo=conninfo(database_url)))


def refresh_queue_statistics(app: App) -> None:
    """ANALYZE the queue's table (`app` opened), after queueing many jobs at once.

    procrastinate's fetch is one plan in a PL/pgSQL function; planned on the statistics of
    a queue that was empty, it joins the queued jobs with themselves by sequential scans,
    and a thousand companies' days made each fetch cost 26-120 ms of PostgreSQL's CPU
    (docs/performance.md). Autovacuum sees the table too late in a burst. The statistics
    of a few thousand rows take milliseconds; the fetch is planned again on them."""
    app.connector.get_sync_connector().execute_query("ANALYZE procrastinate_jobs")


# --- what failed (0015_sched): procrastinate 3.10 keeps no error text -------------------
_RECORD = """
INSERT INTO job_failure (job_id, task_name, attempt, error)
VALUES (%(job_id)s, %(task_name)s, %(attempt)s, %(error)s)
"""
_LAST = """
SELECT DISTINCT ON (job_id) job_id, attempt, failed_at, error
FROM job_failure WHERE job_id = ANY(%(ids)s) ORDER BY job_id, id DESC
"""
ERROR_LENGTH = 4000


@dataclass(frozen=True, slots=True)
class JobFailure:
    """A job's last failed try: which try, when, and its error (type, text, where)."""

    attempt: int
    failed_at: datetime
    error: str


def error_text(error: BaseException) -> str:
    """The error as the operator reads it: its type and text, and the line it came from."""
    frames = traceback.extract_tb(error.__traceback__)
    where = (
        f" (at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
    )
    return f"{type(error).__name__}: {error}{where}"[:ERROR_LENGTH]


async def record_failures(
    call_next: Callable[[], Awaitable[Any]], context: JobContext, worker: Any
) -> Any:
    """A worker middleware: every job's error is written to `job_failure` (autocommit, a
    transaction of its own, so it stays whatever the job's own transactions did), then
    raised on for procrastinate to retry the job or mark it failed."""
    try:
        return await call_next()
    except Exception as error:
        job = context.job
        try:
            await context.app.connector.execute_query_async(
                _RECORD,
                job_id=job.id,
                task_name=job.task_name,
                attempt=job.attempts + 1,
                error=error_text(error),
            )
        except Exception:  # the record is for the operator; the job's own error matters
            logger.exception("could not record the failure of job %s", job.id)
        raise


_FORGET = """
DELETE FROM job_failure f
WHERE NOT EXISTS (SELECT 1 FROM procrastinate_jobs j WHERE j.id = f.job_id)
"""


async def forget_deleted_jobs_failures(app: App) -> None:
    """Delete the failures of jobs no longer in the queue (`delete_old_jobs` removed them,
    succeeded at last), so `job_failure` stays as small as the queue."""
    await app.connector.execute_query_async(_FORGET)


def last_failures(app: App, job_ids: Sequence[int]) -> dict[int, JobFailure]:
    """The last failed try of each of `job_ids` that has one (`app` opened)."""
    if not job_ids:
        return {}
    rows = app.connector.get_sync_connector().execute_query_all(_LAST, ids=list(job_ids))
    return {
        int(r["job_id"]): JobFailure(int(r["attempt"]), r["failed_at"], str(r["error"]))
        for r in rows
    }
