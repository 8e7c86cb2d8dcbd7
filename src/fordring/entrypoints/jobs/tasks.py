"""The jobs: one per service, each safe to run twice by the keys the data has.

- `run_company_day` (queue `days`): one company's days up to a date
  (services/business_day.py `run_company_day`, its delivery left to the delivery jobs).
  The run log makes a day run twice do nothing; the lock `company-<id>` keeps two of the
  same company from running at once, and the queueing lock keeps one company-day from
  being queued twice. When it is done it queues the company's delivery, `deliver_waiting`
  (delivery.py: batch jobs that several workers share, then the print batches), and
  `write_waiting_statements`.
- `write_waiting_statements` (queue `documents`): every settlement statement not written
  yet, of any company (`write_waiting_statements`); one at a time (lock), at most one
  waiting (queueing lock): a statement is marked written in the transaction that records it.

A job's arguments are JSON: dates as ISO text. The Application (bootstrap) a worker built
at start is in the job's context as `fordring`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from procrastinate import App, JobContext, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued

from fordring.services import business_day
from fordring.services.scope import DAILY_RUN, Scope

if TYPE_CHECKING:
    from fordring.bootstrap import Application

DAYS = "days"
DOCUMENTS = "documents"
DELIVERY = "delivery"
MAINTENANCE = "maintenance"
QUEUES = (DAYS, DOCUMENTS, DELIVERY, MAINTENANCE)

# A day that fails (a database that went away, a full disk) is tried again; a day that
# fails for its data fails the same way each time and is left failed for the operator.
RETRY = RetryStrategy(max_attempts=3, wait=5, exponential_wait=2)


def application_of(context: JobContext) -> Application:
    """The Application the worker built at start (`fordring worker`)."""
    built: Application = context.additional_context["fordring"]
    return built


def company_day_lock(company_id: int) -> str:
    return f"company-{company_id}"


def run_company_day(
    context: JobContext, company_id: int, business_date: str, to_day: str, each_day: bool
) -> None:
    """One company's days up to `to_day` from `business_date`, then their delivery queued
    (its batches shared by the workers: delivery.py)."""
    from fordring.entrypoints.jobs.delivery import defer_delivery

    app = application_of(context)
    scope = Scope(company_id, DAILY_RUN, date.fromisoformat(business_date))
    business_day.run_company_day(
        scope, date.fromisoformat(to_day), app.day_tools, each_day=each_day, deliver=False
    )
    defer_delivery(context.app, company_id, business_date)
    defer_statements(context.app, business_date)


def write_waiting_statements(context: JobContext, business_date: str) -> None:
    """Every settlement statement not written yet (the queue spans companies)."""
    app = application_of(context)
    business_day.write_waiting_statements(
        app.day_tools, DAILY_RUN, date.fromisoformat(business_date)
    )


def with_jobs(app: App) -> App:
    """`app` with every job registered (an App's own: a task belongs to one App)."""
    from fordring.entrypoints.jobs.delivery import with_delivery_jobs

    app.task(name="run_company_day", queue=DAYS, pass_context=True, retry=RETRY)(run_company_day)
    app.task(name="write_waiting_statements", queue=DOCUMENTS, pass_context=True, retry=RETRY)(
        write_waiting_statements
    )
    return with_delivery_jobs(app)


def defer_company_day(
    app: App, company_id: int, business_date: date, to_day: date, *, each_day: bool
) -> int | None:
    """Queue one company's day; its id, or None when the same day already waits."""
    task = app.tasks["run_company_day"]
    try:
        return task.configure(
            lock=company_day_lock(company_id),
            queueing_lock=f"run_company_day-{company_id}-{to_day.isoformat()}",
        ).defer(
            company_id=company_id,
            business_date=business_date.isoformat(),
            to_day=to_day.isoformat(),
            each_day=each_day,
        )
    except AlreadyEnqueued:
        return None


def defer_statements(app: App, business_date: str) -> None:
    """Queue the statements' job, unless one already waits (it will take these too)."""
    task = app.tasks["write_waiting_statements"]
    try:
        task.configure(
            lock="write_waiting_statements", queueing_lock="write_waiting_statements"
        ).defer(business_date=business_date)
    except AlreadyEnqueued:
        return
