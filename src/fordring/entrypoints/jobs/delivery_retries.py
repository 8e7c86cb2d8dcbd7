"""The periodic delivery retry as jobs: one tick (`retry_failed_deliveries`) queues one
`retry_company_deliveries` per company with a failed document due for a retry, each under
the company's lock so it never delivers beside that company's day
(services/delivery_retry.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from procrastinate import App, JobContext
from procrastinate.exceptions import AlreadyEnqueued

from fordring.entrypoints.jobs.context import application_of
from fordring.entrypoints.jobs.tasks import MAINTENANCE
from fordring.entrypoints.jobs.ticks import OSLO
from fordring.services import delivery_retry
from fordring.services.day_graph import company_lock
from fordring.services.scope import DAILY_RUN, Scope


def retry_failed_deliveries(context: JobContext, timestamp: int) -> None:
    """Queue the retry of each company with a failed document due (one read over every
    company), dated the tick's day in Oslo (a late paper document goes in that day's post)."""
    day = datetime.fromtimestamp(timestamp, UTC).astimezone(OSLO).date()
    tools = application_of(context).day_tools
    for cid in delivery_retry.companies_to_retry(tools.uow_factory, tools.now):
        task = context.app.tasks["retry_company_deliveries"]
        try:
            task.configure(
                lock=company_lock(cid), queueing_lock=f"retry_company_deliveries-{cid}"
            ).defer(company_id=cid, business_date=day.isoformat())
        except AlreadyEnqueued:
            continue


def retry_company_deliveries(context: JobContext, company_id: int, business_date: str) -> None:
    """One company's failed documents, queued again (bounded) and delivered."""
    app = application_of(context)
    scope = Scope(company_id, DAILY_RUN, datetime.fromisoformat(business_date).date())
    tools = app.day_tools
    delivery_retry.retry_failed_deliveries(scope, tools.uow_factory, tools.channels, tools.now)


def with_delivery_retry_jobs(app: App) -> App:
    """`app` with the per-company retry registered (the tick is in schedule.py)."""
    app.task(name="retry_company_deliveries", queue=MAINTENANCE, pass_context=True)(
        retry_company_deliveries
    )
    return app
