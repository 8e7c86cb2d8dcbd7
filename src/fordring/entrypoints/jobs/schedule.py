"""Every periodic job, and why it runs when it does (Lago's clock). A running worker
defers them (procrastinate's periodic deferrer: each tick is deferred once, however many
workers run); the times are UTC.

- `retry_stalled_jobs`, every 15 s: a worker killed mid-job (`kill -9`, a lost machine)
  stops its heartbeat; after `STALLED_AFTER` s without one, its jobs are put back in the
  queue for another worker (every job is safe to run twice).
- `delete_old_jobs`, 03:17 each day: succeeded jobs are kept a week for `fordring jobs
  --all`, then deleted so the queue's tables stay small; failed ones stay until retried.

Not here yet (issue 16): the business day itself after the bank's morning files (today
`fordring run --via-workers` queues it, by hand or from cron), delivery retries and the
Peppol cache refresh.
"""

from __future__ import annotations

from procrastinate import App, JobContext

from fordring.entrypoints.jobs.tasks import MAINTENANCE

STALLED_AFTER = 30.0  # seconds without a heartbeat (a worker beats every third of that)
KEPT_HOURS = 7 * 24


async def retry_stalled_jobs(context: JobContext, timestamp: int) -> None:
    """Put the jobs of workers that stopped beating back in the queue."""
    manager = context.app.job_manager
    after = float(context.additional_context.get("stalled_after", STALLED_AFTER))
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=after):
        await manager.retry_job(job)


async def delete_old_jobs(context: JobContext, timestamp: int) -> None:
    """Delete the jobs that succeeded more than `KEPT_HOURS` ago."""
    await context.app.job_manager.delete_old_jobs(nb_hours=KEPT_HOURS)


def with_schedule(app: App) -> App:
    """`app` with the periodic jobs registered."""
    stalled = app.task(
        name="retry_stalled_jobs",
        queue=MAINTENANCE,
        pass_context=True,
        queueing_lock="retry_stalled_jobs",
    )(retry_stalled_jobs)
    app.periodic(cron="* * * * * */15")(stalled)  # the 6th field is seconds
    old = app.task(
        name="delete_old_jobs",
        queue=MAINTENANCE,
        pass_context=True,
        queueing_lock="delete_old_jobs",
    )(delete_old_jobs)
    app.periodic(cron="17 3 * * *")(old)
    return app
