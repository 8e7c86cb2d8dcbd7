"""The business day on the schedule: at a set Oslo time on each banking day, every
company's day is queued (`begin_company_days`, with the queueing lock `run --via-workers`
uses); ticks.py says which tick starts which day."""

from __future__ import annotations

from procrastinate import JobContext

from fordring.entrypoints.jobs.context import application_of
from fordring.entrypoints.jobs.tasks import defer_company_days
from fordring.entrypoints.jobs.ticks import business_date_of, parse_day_at
from fordring.services.companies import all_companies, company_id


def queue_business_day(context: JobContext, timestamp: int, day_at: str) -> None:
    """Queue every company's day for the tick's banking day (nothing on another day). A
    day already queued (another scheduler, a `run --via-workers`) is not queued twice; a
    day already run does nothing when run (the run log)."""
    at = parse_day_at(day_at)
    day = business_date_of(timestamp, at) if at is not None else None
    if day is None:
        return
    application = application_of(context)
    ids = [company_id(company) for company in all_companies(application.uow_factory)]
    defer_company_days(application, context.app, ids, day, day, each_day=False)
