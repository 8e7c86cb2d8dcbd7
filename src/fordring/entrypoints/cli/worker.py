"""`fordring worker` and `fordring jobs`: the workers on PostgreSQL (issue 16,
docs/workers.md). A worker runs the jobs of entrypoints/jobs and, unless `--no-schedule`,
defers the periodic ones of its schedule; `jobs` shows the queue with each job's last
error and puts a failed or stalled job back in it. SQLite has no queue: `fordring run`
does the day in-process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import click
from procrastinate.utils import utcnow

from fordring.domain.errors import InvalidInput
from fordring.entrypoints.cli.options import Globals, WholeNumber, pass_globals
from fordring.entrypoints.cli.output import table


def require_job_queue(g: Globals, name: str) -> None:
    if not g.app.has_job_queue:
        raise InvalidInput.one(
            name,
            "jobs run on PostgreSQL only; on SQLite `fordring run` does the day in-process",
        )


def stalled_after(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--stalled-after`: the workers' and `jobs`' one setting of when a job is stalled."""
    return click.option(
        "--stalled-after",
        type=WholeNumber(minimum=3, maximum=3600),
        default=30,
        show_default=True,
        help=f"Seconds without a worker's heartbeat (it beats every third of that) {what}.",
    )


DAY_AT = click.option(
    "--day-at",
    default=None,
    help="HH:MM, Oslo time: when the schedule queues each banking day's business day "
    "(FORDRING_DAY_AT; default 07:30, after the banks' morning files); `off`: never.",
)


@click.command("worker")
@click.option(
    "--concurrency",
    type=WholeNumber(minimum=1, maximum=64),
    default=1,
    show_default=True,
    help="Jobs run at once by this process (in threads); run more processes to use more cores.",
)
@click.option(
    "--queue",
    "queues",
    multiple=True,
    help="A queue to serve (days, documents, delivery, maintenance); repeat it; all when "
    "none given.",
)
@click.option("--name", default=None, help="The worker's name in logs.")
@stalled_after("after which its running jobs are retried by another worker")
@click.option(
    "--no-schedule",
    is_flag=True,
    help="Do not defer the periodic jobs (a `fordring schedule` process does); still run them.",
)
@click.option(
    "--render-processes",
    type=WholeNumber(minimum=1, maximum=64),
    default=None,
    help="Processes this worker renders PDFs on (1: in itself); default 2.",
)
@DAY_AT
@pass_globals
def worker(
    g: Globals,
    concurrency: int,
    queues: tuple[str, ...],
    name: str | None,
    stalled_after: int,
    no_schedule: bool,
    day_at: str | None,
    render_processes: int | None,
) -> None:
    """Run jobs from the queue on PostgreSQL until stopped: SIGTERM or Ctrl-C lets the
    running jobs finish, then stops. Also defers the periodic jobs (the business day,
    delivery retries, webhooks, stalled-job recovery, cleanup) unless --no-schedule."""
    from fordring.entrypoints.jobs.schedule import with_schedule
    from fordring.entrypoints.jobs.tasks import QUEUES, with_jobs
    from fordring.entrypoints.jobs.ticks import parse_day_at

    require_job_queue(g, "worker")
    unknown = sorted(set(queues) - set(QUEUES))
    if unknown:
        raise InvalidInput.one("queue", f"no queue {', '.join(unknown)}; queues: {QUEUES}")
    at = parse_day_at(day_at or g.app.settings.day_at)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = with_schedule(with_jobs(g.app.job_queue()), at, periodic=not no_schedule)
    # The worker's own application (its renderers stopped when it stops).
    with g.app.configured(render_processes=render_processes) as built:
        app.run_worker(
            queues=list(queues) or None,
            concurrency=concurrency,
            name=name,
            additional_context={"fordring": built, "stalled_after": stalled_after},
            update_heartbeat_interval=stalled_after / 3,
            stalled_worker_timeout=stalled_after,
            worker_middleware=[built.job_failure_recorder()],
        )


def _row(job: Any, stalled: set[int], failure: Any) -> dict[str, Any]:
    status = "stalled" if job.id in stalled else job.status
    return {
        "id": job.id,
        "status": status,
        "task": job.task_name,
        "queue": job.queue,
        "attempts": job.attempts,
        "lock": job.lock,
        "args": job.task_kwargs,
        "scheduled_at": job.scheduled_at.isoformat() if job.scheduled_at else None,
        # Its last failed try (a failed job's, or a queued one's waiting to be tried again).
        "error": None
        if failure is None
        else {
            "attempt": failure.attempt,
            "at": failure.failed_at.isoformat(),
            "error": failure.error,
        },
    }


def _short(error: dict[str, Any] | None) -> str:
    if error is None:
        return ""
    first = error["error"].splitlines()[0] if error["error"] else ""
    return f"#{error['attempt']}: {first}"


SHOWN = ("todo", "doing", "failed")


@click.group("jobs", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Also the jobs that succeeded.")
@stalled_after("after which a running job counts as stalled: the workers' setting")
@click.pass_context
def jobs(ctx: click.Context, show_all: bool, stalled_after: int) -> None:
    """The job queue on PostgreSQL: queued (todo), running (doing), stalled (running on a
    worker that stopped beating) and failed jobs."""
    if ctx.invoked_subcommand is not None:
        return
    g = ctx.find_object(Globals)
    assert g is not None
    require_job_queue(g, "jobs")
    app = g.app.job_queue()
    stalled = _stalled(app, stalled_after)
    with app.open():
        found = [j for j in app.job_manager.list_jobs() if show_all or j.status in SHOWN]
        failures = g.app.last_job_failures(app, [j.id for j in found if j.id is not None])
    rows = [_row(j, stalled, failures.get(j.id or 0)) for j in found]
    rows.sort(key=lambda r: r["id"])
    columns = ["id", "status", "task", "queue", "attempts", "lock", "args", "error"]
    shown = [
        dict(r, args=", ".join(f"{k}={v}" for k, v in r["args"].items()), error=_short(r["error"]))
        for r in rows
    ]
    human = table(shown, columns, right={"id", "attempts"}) if rows else "No jobs."
    g.printer.emit({"jobs": rows}, human)


def _stalled(app: Any, seconds: float) -> set[int]:
    """The ids of the running jobs whose worker stopped beating (opens `app` itself)."""

    async def find() -> set[int]:
        async with app.open_async():
            found = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds)
        return {job.id for job in found}

    return asyncio.run(find())


@jobs.command("retry")
@click.argument("job_id", type=WholeNumber(minimum=1))
@click.pass_context
def retry(ctx: click.Context, job_id: int) -> None:
    """Put a failed or stalled job back in the queue, to run now (stalled by `jobs
    --stalled-after`)."""
    g = ctx.find_object(Globals)
    assert g is not None
    require_job_queue(g, "jobs")
    app = g.app.job_queue()
    parent = ctx.parent.params if ctx.parent is not None else {}
    stalled = _stalled(app, parent.get("stalled_after", 30))
    with app.open():
        found = app.job_manager.list_jobs(id=job_id)
        if not found:
            raise InvalidInput.one("id", f"no job {job_id}")
        job = found[0]
        if job.status != "failed" and job_id not in stalled:
            raise InvalidInput.one(
                "id", f"job {job_id} is {job.status}: only a failed or stalled job is retried"
            )
        app.job_manager.retry_job_by_id(job_id, utcnow())
    g.printer.emit({"retried": job_id}, f"Job {job_id} is queued again.")


COMMANDS: list[click.Command] = [worker, jobs]
