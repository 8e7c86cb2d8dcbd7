"""The jobs: one per service, each safe to run twice by the keys the data has.

The business day is a graph of jobs per company (`day_jobs.py`, services/day_graph.py):
`begin_company_days` -> `start_of_day` -> `day_chunk` 1..n -> `end_of_day` -> the next
day, or `deliver_waiting` (delivery.py: batch jobs that several workers share, then
the print batches) and `write_waiting_statements` (queue `documents`: every
settlement statement not written yet, of any company; one at a time, at most one waiting).
Each part queues the parts that follow it in its own transaction, but for the one part of
its day that follows it, which its job goes on to itself in the same transaction: a small
company's day is one job (docs/workers.md).

A job's arguments are JSON: dates as ISO text. The Application (bootstrap) a worker built
at start is in the job's context as `fordring`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from procrastinate import App
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import JobDeferrer

if TYPE_CHECKING:
    from fordring.bootstrap import Application

from fordring.entrypoints.jobs.day_jobs import with_day_jobs
from fordring.entrypoints.jobs.delivery import with_delivery_jobs
from fordring.services.day_graph import DAYS, DELIVERY, DOCUMENTS, company_lock

MAINTENANCE = "maintenance"
QUEUES = (DAYS, DOCUMENTS, DELIVERY, MAINTENANCE)


def with_jobs(app: App) -> App:
    """`app` with every job registered (an App's own: a task belongs to one App)."""
    return with_delivery_jobs(with_day_jobs(app))


def defer_company_day(
    app: App, company_id: int, business_date: date, to_day: date, *, each_day: bool
) -> int | None:
    """Queue one company's days (their first part); its id, or None when the same waits.
    Nothing else is written with it, so it needs no unit of work of its own."""
    try:
        return _company_day(app, company_id, business_date, to_day, each_day=each_day).defer()
    except AlreadyEnqueued:
        return None


def _company_day(
    app: App, company_id: int, business_date: date, to_day: date, *, each_day: bool
) -> JobDeferrer:
    """The first part of one company's days, under the company's lock, at most one waiting."""
    return app.tasks["begin_company_days"].configure(
        lock=company_lock(company_id),
        queueing_lock=f"begin_company_days-{company_id}-{to_day.isoformat()}",
        task_kwargs={
            "company_id": company_id,
            "business_date": business_date.isoformat(),
            "to_day": to_day.isoformat(),
            "each_day": each_day,
        },
    )


def defer_company_days(
    application: Application,
    app: App,
    company_ids: Sequence[int],
    business_date: date,
    to_day: date,
    *,
    each_day: bool,
) -> list[int | None]:
    """Queue many companies' days in one statement (one INSERT of every company's first
    part; 1,000 companies one by one took 2.3 s), then refresh the queue's statistics so
    that the workers' fetches are planned on a full queue. When one of them already waits
    (its queueing lock), nothing of that statement is kept and each is queued on its own
    (`defer_company_day`: None for the one waiting)."""
    jobs: list[int | None]
    try:
        made = [
            _company_day(app, cid, business_date, to_day, each_day=each_day).make_new_job()
            for cid in company_ids
        ]
        jobs = [job.id for job in app.job_manager.batch_defer_jobs(made)] if made else []
    except AlreadyEnqueued:
        jobs = [
            defer_company_day(app, cid, business_date, to_day, each_day=each_day)
            for cid in company_ids
        ]
    application.refresh_queue_statistics(app)
    return jobs
