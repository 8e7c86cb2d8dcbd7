"""The schedule on PostgreSQL (issue 16): `fordring schedule` defers the periodic jobs and
runs none, a `worker --no-schedule` runs them; the business day's tick queues each
company's day once, only at 07:30 Oslo time; a job that fails after its retries is left
`failed` with its error in `fordring jobs`. Real processes; every wait bounded."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from procrastinate import App, PsycopgConnector
from sqlalchemy import create_engine, text
from tests.builders import cli_company
from tests.conftest import BACKEND, Run
from tests.crash import _base_env
from tests.processes import fordring, wait_for

from fordring import bootstrap
from fordring.adapters.db.engine import normalise_url
from fordring.adapters.job_queue import conninfo
from fordring.entrypoints.jobs.schedule import with_schedule
from fordring.entrypoints.jobs.tasks import defer_company_day, defer_company_days, with_jobs
from fordring.entrypoints.jobs.ticks import parse_day_at

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(BACKEND != "postgresql", reason="the queue is PostgreSQL's"),
]
WAIT = 90.0


class Processes:
    """`fordring` processes (worker, schedule) in `folder`, stopped by SIGTERM."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder = url, folder
        self.started: list[subprocess.Popen[str]] = []

    def start(self, name: str, *command: str) -> subprocess.Popen[str]:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            [*fordring(), "--db", self.url, *command],
            cwd=self.folder,
            env={**_base_env(), "FORDRING_OUTBOX": "outbox", "FORDRING_DAY_AT": "off"},
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.started.append(process)
        return process

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            assert process.wait(30) in (0, -signal.SIGTERM), self.logs()
        self.started.clear()

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.folder.glob("*.log")))


@pytest.fixture
def processes(database_url: str, tmp_path: Path) -> Iterator[Processes]:
    started = Processes(database_url, tmp_path)
    try:
        yield started
    finally:
        started.stop()


def _jobs(url: str) -> list[dict[str, Any]]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT id, task_name, status::text AS status, attempts, args "
                    "FROM procrastinate_jobs ORDER BY id"
                )
            ).mappings()
            return [dict(r) for r in found]
    finally:
        engine.dispose()


def _queue(url: str) -> App:
    return with_schedule(
        with_jobs(App(connector=PsycopgConnector(conninfo=conninfo(url)))),
        parse_day_at("07:30"),
        periodic=False,
    )


def _tick(year: int, month: int, day: int, hour: int, minute: int) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def test_schedule_defers_the_periodic_jobs_runs_none_and_a_no_schedule_worker_runs_them(
    run: Run, database_url: str, processes: Processes
) -> None:
    cli_company(run)
    schedule = processes.start("schedule", "schedule")
    assert wait_for(
        lambda: any(j["task_name"] == "retry_stalled_jobs" for j in _jobs(database_url)),
        WAIT,
        every=0.5,
    ), processes.logs()
    # Long enough for a process that runs jobs to have taken them (it polls every 5 s
    # at the most, and is woken by each new job at once).
    time.sleep(6)
    assert {j["status"] for j in _jobs(database_url)} == {"todo"}  # it runs nothing
    worker = processes.start("worker", "worker", "--no-schedule")
    assert wait_for(
        lambda: any(
            (j["task_name"], j["status"]) == ("retry_stalled_jobs", "succeeded")
            for j in _jobs(database_url)
        ),
        WAIT,
        every=0.5,
    ), processes.logs()
    schedule.send_signal(signal.SIGTERM)
    worker.send_signal(signal.SIGTERM)
    assert schedule.wait(30) == 0, processes.logs()
    assert worker.wait(30) == 0, processes.logs()
    assert "periodic deferrer will not run" in (processes.folder / "worker.log").read_text()


def test_the_business_days_tick_queues_each_company_day_once_at_0730_oslo_only(
    run: Run, database_url: str, processes: Processes
) -> None:
    """2026-03-02 is a Monday in winter time: 07:30 in Oslo is 06:30 UTC. The summer
    tick (05:30 UTC) queues nothing; the same tick twice queues the company's day once,
    and a `run --via-workers` of the same day while it waits queues nothing more."""
    cli_company(run)
    queue = _queue(database_url)
    task = queue.tasks["queue_business_day"]
    with queue.open():
        for hour in (6, 6, 5):
            task.defer(timestamp=_tick(2026, 3, 2, hour, 30), day_at="07:30")
    # A worker of the periodic jobs' queue only: the ticks run, the day they queue waits.
    processes.start("ticks", "worker", "--queue", "maintenance")

    def of(task_name: str) -> list[dict[str, Any]]:
        return [j for j in _jobs(database_url) if j["task_name"] == task_name]

    assert wait_for(
        lambda: [j["status"] for j in of("queue_business_day")] == ["succeeded"] * 3,
        WAIT,
        every=0.5,
    ), processes.logs()
    (queued,) = of("begin_company_days")
    assert (queued["status"], queued["args"]["business_date"]) == ("todo", "2026-03-02")
    by_hand = json.loads(run("run", "--via-workers").output)["queued"]
    assert [q["job"] for q in by_hand] == [None]  # the tick's day waits: not queued again
    processes.start("worker", "worker")
    engine = create_engine(normalise_url(database_url))

    def logged() -> list[str]:
        with engine.connect() as connection:
            return [str(d) for d in connection.execute(text("SELECT day FROM run_log")).scalars()]

    # The day is recorded by its last part (end_of_day), some jobs after the first.
    assert wait_for(lambda: logged() != [], WAIT, every=0.5), processes.logs()
    assert logged() == ["2026-03-02"]
    engine.dispose()
    assert [(j["id"], j["status"]) for j in of("begin_company_days")] == [
        (queued["id"], "succeeded")
    ]


def test_a_job_failing_every_try_ends_failed_with_its_error_shown(
    run: Run, database_url: str, processes: Processes
) -> None:
    cli_company(run)
    queue = _queue(database_url)
    with queue.open():
        begun = defer_company_day(
            queue, 999_999, date(2026, 3, 2), date(2026, 3, 2), each_day=False
        )
    assert begun is not None
    processes.start("worker", "worker")

    def failed() -> list[int]:
        """The company's day jobs that ended failed (its start of day: no such company)."""
        mine = [j for j in _jobs(database_url) if j["args"].get("company_id") == 999_999]
        return [j["id"] for j in mine if j["status"] == "failed"]

    assert wait_for(lambda: len(failed()) == 1, WAIT, every=0.5), processes.logs()
    (job,) = failed()
    (listed,) = [j for j in json.loads(run("jobs").output)["jobs"] if j["id"] == job]
    # Tried once and retried max_attempts (3) times: 4 tries, each failure recorded.
    assert (listed["status"], listed["attempts"]) == ("failed", 4)
    error = listed["error"]
    assert error["attempt"] == 4, error
    assert error["error"].split(":")[0].isidentifier(), error  # the error's type first
    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        tries = connection.execute(
            text("SELECT attempt FROM job_failure WHERE job_id = :j ORDER BY id"), {"j": job}
        ).scalars()
        assert list(tries) == [1, 2, 3, 4]
    engine.dispose()
    human = run("jobs", json=False).output
    assert f"#4: {error['error'].split(':')[0]}" in human, human


def test_the_schedule_registers_the_day_at_both_utc_times_or_not_at_all_when_off(
    database_url: str,
) -> None:
    def registered(day_at: str, *, periodic: bool = True) -> list[tuple[str, str, str]]:
        app = with_schedule(
            with_jobs(App(connector=PsycopgConnector(conninfo=conninfo(database_url)))),
            parse_day_at(day_at),
            periodic=periodic,
        )
        return sorted(
            (name, periodic_id, task.cron)
            for (name, periodic_id), task in app.periodic_registry.periodic_tasks.items()
        )

    rest = [
        ("delete_old_jobs", "", "17 3 * * *"),
        ("forget_api_responses", "", "23 3 * * *"),
        ("forget_old_debtor_access", "", "29 3 * * *"),
        ("retry_failed_deliveries", "", "45 * * * *"),
        ("refresh_peppol_cache", "", "15 * * * *"),
        ("retry_stalled_jobs", "", "* * * * * */15"),
        ("send_webhooks", "", "* * * * * */5"),
    ]
    assert registered("07:30") == sorted(
        [
            ("queue_business_day", "oslo-07:30-utc-5", "30 5 * * *"),
            ("queue_business_day", "oslo-07:30-utc-6", "30 6 * * *"),
            *rest,
        ]
    )
    assert registered("off") == sorted(rest)
    assert registered("07:30", periodic=False) == []  # worker --no-schedule


def test_old_job_cleanup_also_forgets_the_errors_of_jobs_gone_from_the_queue(
    run: Run, database_url: str, processes: Processes
) -> None:
    cli_company(run)
    (queued,) = json.loads(run("run", "--via-workers").output)["queued"]
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as connection:
        for job_id in (queued["job"], 10**9):  # a job in the queue, one deleted
            connection.execute(
                text(
                    "INSERT INTO job_failure (job_id, task_name, attempt, error) "
                    "VALUES (:j, 'begin_company_days', 1, 'OSError: gone')"
                ),
                {"j": job_id},
            )
    queue = _queue(database_url)
    with queue.open():
        queue.tasks["delete_old_jobs"].defer(timestamp=0)
    processes.start("worker", "worker", "--no-schedule", "--queue", "maintenance")
    assert wait_for(
        lambda: any(
            (j["task_name"], j["status"]) == ("delete_old_jobs", "succeeded")
            for j in _jobs(database_url)
        ),
        WAIT,
        every=0.5,
    ), processes.logs()
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT job_id FROM job_failure")).scalars()
        assert list(kept) == [queued["job"]]
    engine.dispose()


def test_many_companies_days_are_queued_at_once_and_one_that_waits_is_not_queued_again(
    database_url: str,
) -> None:
    """`defer_company_days` (the 07:30 tick, `run --via-workers`) queues every company's
    day in one statement; when one of them already waits, the others are still queued and
    that one is not queued twice (None)."""
    queue = _queue(database_url)
    application = bootstrap.Application(bootstrap.Settings(database_url=database_url))
    day = date(2026, 3, 2)
    with queue.open():
        first = defer_company_days(application, queue, [11, 12], day, day, each_day=False)
        again = defer_company_days(application, queue, [10, 11, 12, 13], day, day, each_day=False)
        later = defer_company_days(application, queue, [14, 15], day, day, each_day=False)
    assert all(isinstance(j, int) for j in [*first, again[0], again[3], *later])
    assert again[1:3] == [None, None]
    queued = [j for j in _jobs(database_url) if j["task_name"] == "begin_company_days"]
    assert sorted((j["args"]["company_id"], j["status"]) for j in queued) == [
        (c, "todo") for c in range(10, 16)
    ]
    assert {j["id"] for j in queued} == {*first, again[0], again[3], *later}
