"""The business day's jobs (services/day_graph.py; docs/workers.md, "The day as jobs"):
each a thin wrapper of the service of the same name, on the queue `days`, holding the
company's lock (one part at a time per company; companies in parallel). A part queues the
parts that follow it in its own transaction, through its unit of work (`uow.jobs`), so the
wrappers defer nothing themselves. Registered by `with_day_jobs`, apart from the other
jobs, so each kind of job is added in its own place."""

from __future__ import annotations

from datetime import date

from procrastinate import App, JobContext, RetryStrategy

from fordring.entrypoints.jobs.context import application_of
from fordring.services import business_day, day_graph
from fordring.services.scope import DAILY_RUN, Scope

# A part that fails (a database that went away, a full disk) is tried again; one that fails
# for its data fails the same way each time and is left failed for the operator.
RETRY = RetryStrategy(max_attempts=3, wait=5, exponential_wait=2)


def _scope(company_id: int, business_date: str) -> Scope:
    return Scope(company_id, DAILY_RUN, date.fromisoformat(business_date))


def begin_company_days(
    context: JobContext, company_id: int, business_date: str, to_day: str, each_day: bool
) -> None:
    tools = application_of(context).queued_day_tools
    scope = _scope(company_id, business_date)
    day_graph.begin_company_days(
        scope,
        date.fromisoformat(to_day),
        tools.uow_factory,
        tools.book,
        pin_key=tools.pin_key,
        each_day=each_day,
    )


def start_of_day(
    context: JobContext, company_id: int, business_date: str, day: str, to_day: str
) -> None:
    tools = application_of(context).queued_day_tools
    day_graph.start_of_day(
        _scope(company_id, business_date),
        date.fromisoformat(day),
        date.fromisoformat(to_day),
        tools.uow_factory,
        tools.book,
        pin_key=tools.pin_key,
    )


def day_chunk(
    context: JobContext, company_id: int, business_date: str, day: str, to_day: str, part: int
) -> None:
    tools = application_of(context).queued_day_tools
    day_graph.day_chunk(
        _scope(company_id, business_date),
        date.fromisoformat(day),
        date.fromisoformat(to_day),
        part,
        tools.uow_factory,
        tools.book,
        pin_key=tools.pin_key,
    )


def end_of_day(
    context: JobContext, company_id: int, business_date: str, day: str, to_day: str
) -> None:
    tools = application_of(context).queued_day_tools
    day_graph.end_of_day(
        _scope(company_id, business_date),
        date.fromisoformat(day),
        date.fromisoformat(to_day),
        tools.uow_factory,
        tools.book,
        pin_key=tools.pin_key,
    )


def write_waiting_statements(context: JobContext, business_date: str) -> None:
    """Every settlement statement not written yet (the queue spans companies)."""
    tools = application_of(context).queued_day_tools
    business_day.write_waiting_statements(tools, DAILY_RUN, date.fromisoformat(business_date))


def with_day_jobs(app: App) -> App:
    """`app` with the business day's jobs registered."""
    for job in (begin_company_days, start_of_day, day_chunk, end_of_day):
        app.task(
            name=job.__name__,
            queue=day_graph.DAYS,
            priority=day_graph.STEPS_FIRST,
            pass_context=True,
            retry=RETRY,
        )(job)
    app.task(
        name="write_waiting_statements",
        queue=day_graph.DOCUMENTS,
        pass_context=True,
        retry=RETRY,
    )(write_waiting_statements)
    return app
