"""The delivery jobs (issue 16): a company's delivery as batches that several workers share.

- `deliver_waiting` (queue `delivery`): counts the company's waiting documents and queues
  one `deliver_batch` job per batch of them (`services.delivery.BATCH`), at most
  `MAX_BATCH_JOBS` at once. A batch or less (most companies' day), it delivers that batch
  itself, as `deliver_batch` does, and then, nothing waiting any more, makes the print
  batches itself, as `make_print_batches` does (an interrupted delivery's paper may still
  want its batch): one job instead of three. A document still waiting after its batch
  (another deliverer holds it, or it came meanwhile) goes to a `deliver_batch` job, and the
  join below. Killed between its batch and the print batches, it is retried: nothing
  waits, so it makes them. At most one waits per company (queueing lock).
- `deliver_batch` (queue `delivery`): one batch in one transaction
  (`services.delivery.deliver_batch`): the first waiting documents no other worker holds
  (`FOR UPDATE SKIP LOCKED`), delivered, recorded, committed. Then, if its batch was full
  and documents still wait, it queues its successor (so `MAX_BATCH_JOBS` chains take a
  queue of any length); and if nothing waits any more, the company's delivery is done and
  it queues `make_print_batches`.
- `make_print_batches` (queue `delivery`): the join. It runs after the company's last
  batch committed: a batch job queues it only when, after its own commit, no document of
  the company waits, and a document a batch holds still waits until that batch commits.
  So the last batch to commit always sees nothing waiting and queues it (it cannot never
  fire: a batch job killed after its commit is retried, takes nothing, and looks again);
  two that see it both queue it, and the queueing lock keeps one waiting, a second run
  making nothing (a batch, once made, is never made again, and documents already in one
  are in no new one). It cannot fire early: while any document of the company waits, no
  batch job queues it.

Every job is safe twice: a document goes once (its dispatch row leaves `waiting` in the
transaction that records its delivery), a print batch is made once. The lock of
`make_print_batches` keeps two of one company from running at once.
"""

from __future__ import annotations

from datetime import date

from procrastinate import App, JobContext
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.types import JSONDict

from fordring.entrypoints.jobs.context import application_of
from fordring.entrypoints.jobs.day_jobs import RETRY
from fordring.services import delivery, print_batches
from fordring.services.day_graph import DELIVERY
from fordring.services.scope import DAILY_RUN, Scope

MAX_BATCH_JOBS = 32  # a company's batches delivered at once, at most


def _scope(company_id: int, business_date: str) -> Scope:
    return Scope(company_id, DAILY_RUN, date.fromisoformat(business_date))


def deliver_waiting(context: JobContext, company_id: int, business_date: str) -> None:
    """Queue the company's delivery as batch jobs; one batch or none, deliver it here and
    make the print batches (a small company's delivery in one job)."""
    scope = _scope(company_id, business_date)
    tools = application_of(context).day_tools
    waiting = delivery.waiting_documents(scope, tools.uow_factory)
    if waiting <= delivery.BATCH:
        if waiting:
            delivery.deliver_batch(scope, tools.uow_factory, tools.channels, tools.now)
            waiting = delivery.waiting_documents(scope, tools.uow_factory)
        if waiting == 0:
            print_batches.make_print_batches(scope, tools.uow_factory, tools.channels.outbox)
            return
    batches = min(-(-waiting // delivery.BATCH), MAX_BATCH_JOBS)
    arguments: JSONDict = {"company_id": company_id, "business_date": business_date}
    context.app.tasks["deliver_batch"].batch_defer(*[arguments] * batches)


def deliver_batch(context: JobContext, company_id: int, business_date: str) -> None:
    """One batch of the company's queue; then its successor, or the print batches."""
    app = application_of(context)
    scope = _scope(company_id, business_date)
    tools = app.day_tools
    done = delivery.deliver_batch(scope, tools.uow_factory, tools.channels, tools.now)
    if delivery.waiting_documents(scope, tools.uow_factory) == 0:
        defer_print_batches(context.app, company_id, business_date)
    elif done.total >= delivery.BATCH:
        context.app.tasks["deliver_batch"].defer(company_id=company_id, business_date=business_date)


def make_print_batches(context: JobContext, company_id: int, business_date: str) -> None:
    """The company's paper in no print batch yet, joined into its days' print batches."""
    app = application_of(context)
    tools = app.day_tools
    print_batches.make_print_batches(
        _scope(company_id, business_date), tools.uow_factory, tools.channels.outbox
    )


def with_delivery_jobs(app: App) -> App:
    """`app` with the delivery jobs registered."""
    for job in (deliver_waiting, deliver_batch, make_print_batches):
        app.task(name=job.__name__, queue=DELIVERY, pass_context=True, retry=RETRY)(job)
    return app


def defer_delivery(app: App, company_id: int, business_date: date | str) -> int | None:
    """Queue the company's delivery; its id, or None when one already waits (it will take
    these documents too)."""
    day = business_date if isinstance(business_date, str) else business_date.isoformat()
    try:
        return (
            app.tasks["deliver_waiting"]
            .configure(queueing_lock=f"deliver_waiting-{company_id}")
            .defer(company_id=company_id, business_date=day)
        )
    except AlreadyEnqueued:
        return None


def defer_print_batches(app: App, company_id: int, business_date: str) -> None:
    """Queue the company's print batches, unless they already wait (they take these too)."""
    lock = f"print-batches-{company_id}"
    try:
        app.tasks["make_print_batches"].configure(lock=lock, queueing_lock=lock).defer(
            company_id=company_id, business_date=business_date
        )
    except AlreadyEnqueued:
        return
