"""Every periodic job, and why it runs when it does (Lago's clock). `fordring schedule`
defers them, and so does every `fordring worker` unless started with `--no-schedule`:
procrastinate's periodic deferrer records each tick (a unique task, id and timestamp), so
a tick is deferred once however many processes defer it. Cron times are UTC.

- `queue_business_day`, at `FORDRING_DAY_AT` (default 07:30; `off`: not scheduled, the
  day is queued by hand or from cron with `run --via-workers`) Oslo time on each banking
  day: the banks' morning files (OCR giro, camt.054) are in by then, so the day's
  payments are booked before its steps and settlement. Each company's day is queued as
  `run --via-workers` queues it (same queueing lock, so a manual run or a second
  scheduler queues nothing more); registered at both UTC times Oslo's 07:30 can be, the
  tick of the other season does nothing (entrypoints/jobs/daily.py).
- `retry_failed_deliveries`, hourly at :45 UTC: a document no channel took (a mail
  server or access point that was down) is queued again and delivered, at most
  `AUTO_RETRIES` times (services/delivery_retry.py, docs/delivery.md); after that it waits
  for `deliveries retry ID` by hand. :45 keeps it away from the business day's :30.
- `retry_stalled_jobs`, every 15 s: a worker killed mid-job (`kill -9`, a lost machine)
  stops its heartbeat; after `STALLED_AFTER` s without one, its jobs are put back in the
  queue for another worker (every job is safe to run twice).
- `delete_old_jobs`, 03:17 UTC each day: succeeded jobs are kept a week for `fordring jobs
  --all`, then deleted so the queue's tables stay small (with the errors recorded of their
  earlier tries); failed ones stay until retried.
- `refresh_peppol_cache`, hourly at :15 UTC: the Peppol receiver cache
  (`peppol_receiver`, global) trusts an answer 24 hours; answers that expire within 2
  hours are asked again, so the day's delivery finds its receivers fresh and neither
  waits on nor fails with the SML and SMPs (services/receivers.py). A lookup that fails
  keeps the old answer until it expires, as before; nothing without Peppol configured.
- `send_webhooks`, every 5 s: every company's due webhook deliveries (a new event, or a
  retry whose time has come on Standard Webhooks' schedule), so an event waits about 5 s
  at most (entrypoints/jobs/webhooks.py, docs/webhooks.md).
- `forget_api_responses`, 03:23 UTC each day: the stored responses of idempotent API
  requests are kept `FORDRING_KEEP_RESPONSES_DAYS` (default 7: a client repeats a request
  within minutes or hours, not weeks), then forgotten so `idempotent_request` does not
  grow with every POST ever made; at night, when the API is quiet, six minutes after
  `delete_old_jobs` so the two deletes do not run together (entrypoints/jobs/
  api_responses.py). On SQLite the day's run does it (services/business_day.py).
- `forget_old_debtor_access`, 03:29 UTC each day: the PINs and codes kept to print a
  letter are forgotten 30 days after it (or when its case closes), and the debtor page's
  old address counts (entrypoints/jobs/debtor_access.py); after the other night deletes.
  The day's run does it too, on either database.
"""

from __future__ import annotations

from datetime import time

from procrastinate import App, JobContext

from fordring.entrypoints.jobs.api_responses import CRON as RESPONSES_CRON
from fordring.entrypoints.jobs.api_responses import forget_api_responses
from fordring.entrypoints.jobs.context import application_of
from fordring.entrypoints.jobs.daily import queue_business_day
from fordring.entrypoints.jobs.debtor_access import CRON as ACCESS_CRON
from fordring.entrypoints.jobs.debtor_access import forget_old_debtor_access
from fordring.entrypoints.jobs.delivery_retries import (
    retry_failed_deliveries,
    with_delivery_retry_jobs,
)
from fordring.entrypoints.jobs.peppol import refresh_peppol_cache
from fordring.entrypoints.jobs.tasks import MAINTENANCE
from fordring.entrypoints.jobs.ticks import utc_crons
from fordring.entrypoints.jobs.webhooks import EVERY, send_webhooks
from fordring.services.day_graph import STEPS_FIRST

STALLED_AFTER = 30.0  # seconds without a heartbeat (a worker beats every third of that)
KEPT_HOURS = 7 * 24


async def retry_stalled_jobs(context: JobContext, timestamp: int) -> None:
    """Put the jobs of workers that stopped beating back in the queue."""
    manager = context.app.job_manager
    after = float(context.additional_context.get("stalled_after", STALLED_AFTER))
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=after):
        await manager.retry_job(job)


async def delete_old_jobs(context: JobContext, timestamp: int) -> None:
    """Delete the jobs that succeeded more than `KEPT_HOURS` ago, and the errors recorded
    of their earlier tries."""
    await context.app.job_manager.delete_old_jobs(nb_hours=KEPT_HOURS)
    await application_of(context).job_failure_cleanup()(context.app)


def with_schedule(app: App, day_at: time | None, *, periodic: bool = True) -> App:
    """`app` with the periodic jobs registered as tasks (a worker runs them) and, unless
    `periodic` is false (`worker --no-schedule`), on their schedule (a deferrer defers
    them); the business day at `day_at` Oslo time (None: `off`, not on the schedule)."""

    def task(function: object, name: str, *, lock: bool = True) -> object:
        # As the days' parts (procrastinate fetches the highest first): a tick is small and
        # must not wait behind a thousand companies' days, and the business day's tick
        # and a day queued by hand meet in the order they were queued.
        return app.task(
            name=name,
            queue=MAINTENANCE,
            priority=STEPS_FIRST,
            pass_context=True,
            queueing_lock=name if lock else None,
        )(function)  # type: ignore[arg-type]

    with_delivery_retry_jobs(app)
    # Each tick of the day is its own (a tick waiting from a day the workers were down
    # must not keep today's from being queued): no queueing lock.
    day = task(queue_business_day, "queue_business_day", lock=False)
    deliveries = task(retry_failed_deliveries, "retry_failed_deliveries")
    peppol = task(refresh_peppol_cache, "refresh_peppol_cache")
    stalled = task(retry_stalled_jobs, "retry_stalled_jobs")
    old = task(delete_old_jobs, "delete_old_jobs")
    hooks = task(send_webhooks, "send_webhooks")
    responses = task(forget_api_responses, "forget_api_responses")
    access = task(forget_old_debtor_access, "forget_old_debtor_access")
    if not periodic:
        return app
    day_text = day_at.strftime("%H:%M") if day_at is not None else ""
    for cron in utc_crons(day_at) if day_at is not None else []:
        app.periodic(
            cron=cron,
            periodic_id=f"oslo-{day_text}-utc-{cron.split()[1]}",
            task_kwargs={"day_at": day_text},
        )(day)  # type: ignore[arg-type]
    app.periodic(cron="45 * * * *")(deliveries)  # type: ignore[arg-type]
    app.periodic(cron="15 * * * *")(peppol)  # type: ignore[arg-type]
    app.periodic(cron="* * * * * */15")(stalled)  # type: ignore[arg-type]  # 6th field: seconds
    app.periodic(cron="17 3 * * *")(old)  # type: ignore[arg-type]
    app.periodic(cron=EVERY)(hooks)  # type: ignore[arg-type]
    app.periodic(cron=RESPONSES_CRON)(responses)  # type: ignore[arg-type]
    app.periodic(cron=ACCESS_CRON)(access)  # type: ignore[arg-type]
    return app
