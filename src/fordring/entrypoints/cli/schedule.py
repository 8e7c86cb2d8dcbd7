"""`fordring schedule`: a process that only defers the periodic jobs of
entrypoints/jobs/schedule.py and runs none, for installs that keep the schedule apart
from the workers (start those with `worker --no-schedule`, or not: a tick is deferred
once however many processes defer it). docs/workers.md."""

from __future__ import annotations

import asyncio
import logging
import signal

import click
from procrastinate import App
from procrastinate.periodic import PeriodicDeferrer

from fordring.entrypoints.cli.options import Globals, pass_globals
from fordring.entrypoints.cli.worker import DAY_AT, require_job_queue


@click.command("schedule")
@DAY_AT
@pass_globals
def schedule(g: Globals, day_at: str | None) -> None:
    """Defer the periodic jobs on PostgreSQL (the business day, delivery retries,
    stalled-job recovery, cleanup) for the workers to run, until stopped (SIGTERM or
    Ctrl-C); runs no job itself."""
    from fordring.entrypoints.jobs.schedule import with_schedule
    from fordring.entrypoints.jobs.tasks import with_jobs
    from fordring.entrypoints.jobs.ticks import parse_day_at

    require_job_queue(g, "schedule")
    at = parse_day_at(day_at or g.app.settings.day_at)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = with_schedule(with_jobs(g.app.job_queue()), at)
    asyncio.run(_defer_until_stopped(app))


async def _defer_until_stopped(app: App) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with app.open_async():
        deferrer = PeriodicDeferrer(registry=app.periodic_registry, **app.periodic_defaults)
        deferring = asyncio.create_task(deferrer.worker(), name="periodic deferrer")
        stopping = asyncio.create_task(stop.wait(), name="stop")
        await asyncio.wait({deferring, stopping}, return_when=asyncio.FIRST_COMPLETED)
        for task in (deferring, stopping):
            task.cancel()
        await asyncio.gather(deferring, stopping, return_exceptions=True)
        if deferring.done() and not deferring.cancelled() and deferring.exception():
            raise deferring.exception()  # type: ignore[misc]
    logging.getLogger(__name__).info("schedule stopped")


COMMANDS: list[click.Command] = [schedule]
