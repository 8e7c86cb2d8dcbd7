"""Workers on PostgreSQL (issue 16): `fordring run --via-workers` queues each company's
day, two `fordring worker` processes share them, and what they store and write is what a
run in-process stores and writes; the same day queued again changes nothing.

Rows are compared as tests/crash.py compares them (moments left out), but each id is
numbered by its rank among its company's rows: two workers interleave the companies, so
ids differ across companies while each company's own rows come in the same order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, create_engine, text
from tests.builders import cli_company
from tests.conftest import BACKEND, Run
from tests.crash import (
    MOMENTS,
    RANDOM,
    _base_env,
    _refers_to,
    cli,
    clone,
    comparable_files,
    drop,
    files,
    table_rows,
)
from tests.integration.test_tenant_isolation import _DB, _tenant
from tests.processes import fordring, kill_hard, wait_for

from fordring.adapters.db.engine import forget_database, normalise_url
from fordring.adapters.db.tables import metadata

pytestmark = pytest.mark.e2e
postgresql_only = pytest.mark.skipif(BACKEND != "postgresql", reason="the queue is PostgreSQL's")

COMPANIES = [("923609016", "Alfa", 1), ("988077917", "Bravo", 5001), ("974760673", "Charlie", 9001)]
DAY, TO = "2026-04-20", "2026-05-29"  # six weeks: recurring invoices, steps, lists
WAIT = 180.0  # seconds the workers may take for the day (a few seconds on two cores)
DAYS_RUN = 39  # the days after DAY (run by the setup) up to TO


@pytest.fixture
def companies(run: Run, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Three companies with cases, payments and a settlement, run up to DAY."""
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "setup-outbox"))
    # The tenants' setup makes an API key each, which needs the keys' HMAC secret.
    monkeypatch.setenv("FORDRING_API_KEY_SECRET", "a test secret of the API keys")
    _DB["url"] = database_url
    try:
        for orgnr, name, first in COMPANIES:
            _tenant(run, orgnr, name, first, tmp_path)
    finally:
        _DB.clear()
    forget_database(database_url)
    return database_url


def by_company(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, moments left out, ids numbered by rank within their company."""
    rows = table_rows(url)
    ranks: dict[str, dict[Any, tuple[Any, int]]] = {}
    for name, found in rows.items():  # parents first: a row without company_id is its parent's
        if "id" not in metadata.tables[name].c:
            continue
        seen: dict[Any, int] = {}
        ranks[name] = {}
        for row in sorted(found, key=lambda r: r["id"]):
            owner = _owner(metadata.tables[name], row, ranks)
            ranks[name][row["id"]] = (owner, seen.get(owner, 0))
            seen[owner] = seen.get(owner, 0) + 1
    out: dict[str, list[tuple[Any, ...]]] = {}
    for name, found in rows.items():
        table = metadata.tables[name]
        shaped = []
        for row in found:
            values = []
            for column in table.columns:
                if column.name in MOMENTS or isinstance(column.type, DateTime):
                    continue
                value = row[column.name]
                if column.name in RANDOM.get(name, ()):  # codes and PINs: random by design
                    value = "(random)" if value else value
                refers = _refers_to(table, column.name)
                if refers is not None and value is not None and column.name != "company_id":
                    # (a row written straight, tests/letters_waiting.py, has voucher 0: none)
                    value = ("#", ranks[refers].get(value, value))
                elif isinstance(value, str) and value.startswith("{"):
                    value = _json_without_ids(value)
                values.append((column.name, value))
            shaped.append(tuple(values))
        out[name] = sorted(shaped, key=repr)
    return out


def _owner(table: Any, row: dict[str, Any], ranks: dict[str, dict[Any, tuple[Any, int]]]) -> Any:
    """The company a row belongs to: its own company_id, else its first parent's."""
    if "company_id" in table.c:
        return row["company_id"]
    for column in table.columns:
        refers = _refers_to(table, column.name)
        if column.name != "id" and refers in ranks and row[column.name] in ranks[refers]:
            return ranks[refers][row[column.name]][0]
    return None


def _json_without_ids(value: str) -> Any:
    try:
        found = json.loads(value)
    except ValueError:
        return value
    if not isinstance(found, dict):
        return value
    if isinstance(found.get("access"), dict):  # a letter's access code: random by design
        found["access"] = dict(found["access"], code="(random)")
    return sorted((k, v) for k, v in found.items() if not k.endswith("_id"))


def _open_jobs(url: str) -> int:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM procrastinate_jobs WHERE status IN "
                        "('todo', 'doing') AND queue_name IN ('days', 'documents', 'delivery')"
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _statuses(url: str) -> list[tuple[str, str]]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT task_name, status::text FROM procrastinate_jobs "
                    "WHERE queue_name IN ('days', 'documents', 'delivery') ORDER BY id"
                )
            ).all()
    finally:
        engine.dispose()
    return [(t, s) for t, s in found]


class Workers:
    """`fordring worker` processes in `folder` (outbox `folder/outbox`), stopped by SIGTERM."""

    def __init__(self, url: str, folder: Path, stalled_after: int = 30) -> None:
        self.url, self.folder, self.stalled_after = url, folder, stalled_after
        self.started: list[subprocess.Popen[str]] = []

    def start(
        self,
        name: str,
        env: dict[str, str] | None = None,
        queues: tuple[str, ...] = (),
        concurrency: int = 1,
    ) -> subprocess.Popen[str]:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            [
                *fordring(),
                "--db",
                self.url,
                "worker",
                "--name",
                name,
                "--stalled-after",
                str(self.stalled_after),
                *(arg for queue in queues for arg in ("--queue", queue)),
                "--concurrency",
                str(concurrency),
            ],
            cwd=self.folder,
            # The business day on the schedule off: a worker running at 07:30 Oslo time would
            # queue today's real day beside the test's.
            env={
                **_base_env(),
                "FORDRING_OUTBOX": "outbox",
                "FORDRING_DAY_AT": "off",
                **(env or {}),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.started.append(process)
        return process

    def until_done(self) -> None:
        assert wait_for(lambda: _open_jobs(self.url) == 0, WAIT, every=0.5), self.logs()

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
def two_copies(companies: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    made = [clone(companies, "inproc", tmp_path), clone(companies, "workers", tmp_path)]
    yield made[0], made[1]
    for url in made:
        drop(url)


@postgresql_only
def test_two_workers_do_the_day_of_three_companies_as_one_run_in_process_does(
    two_copies: tuple[str, str], tmp_path: Path
) -> None:
    in_process, queued = two_copies
    here, there = tmp_path / "in-process", tmp_path / "workers"
    for orgnr, _, _ in COMPANIES:
        done = cli(in_process, here, "--company", orgnr, "--date", DAY, "run", "--to", TO)
        assert done.returncode == 0, done.stderr
    there.mkdir()
    untouched = by_company(queued)
    assert by_company(in_process) != untouched  # the day did something to compare
    started = time.monotonic()
    done = cli(queued, there, "--json", "--date", DAY, "run", "--via-workers", "--to", TO)
    assert done.returncode == 0, done.stderr
    assert len([q for q in json.loads(done.stdout)["queued"] if q["job"]]) == 3
    workers = Workers(queued, there)
    try:
        workers.start("one")
        workers.start("two", concurrency=3)  # three jobs at once in one process too
        workers.until_done()
        took = time.monotonic() - started
        statuses = _statuses(queued)
        assert {s for _, s in statuses} == {"succeeded"}, statuses
        tasks = [t for t, _ in statuses]
        # A small company's day is one job (one chunk: start, chunk and end in the job);
        # the first day's in `begin_company_days`, each later one a `start_of_day`.
        assert tasks.count("begin_company_days") == 3
        assert tasks.count("start_of_day") == 3 * (DAYS_RUN - 1)
        assert tasks.count("day_chunk") == tasks.count("end_of_day") == 0
        assert tasks.count("deliver_waiting") == 3  # one per company, its one batch itself
        days = comparable_files(here / "outbox")
        assert comparable_files(there / "outbox") == days
        assert {name.split("/")[0] for name in days} >= {o for o, _, _ in COMPANIES}
        assert by_company(queued) == by_company(in_process)
        print(f"three companies' day by two workers: {took:.1f} s")

        # The same day queued again: the jobs run and change nothing.
        before = by_company(queued), files(there / "outbox")
        again = cli(queued, there, "--date", DAY, "run", "--via-workers", "--to", TO)
        assert again.returncode == 0, again.stderr
        workers.until_done()
        assert (by_company(queued), files(there / "outbox")) == before
        again_statuses = [s for _, s in _statuses(queued)]
        assert again_statuses.count("succeeded") == len(again_statuses) > len(statuses)
    finally:
        workers.stop()
    assert "Stop requested" in workers.logs()
    assert os.environ.get("FORDRING_OUTBOX") is not None  # the setup's, not the workers'


def _doing(url: str) -> bool:
    return any(s == "doing" for _, s in _statuses(url))


@postgresql_only
@pytest.mark.parametrize("after", [0.0, 0.4])
def test_a_worker_killed_mid_day_loses_nothing_and_another_finishes_it(
    two_copies: tuple[str, str], tmp_path: Path, after: float
) -> None:
    """kill -9 of the only worker `after` s into a company's day: its job stays `doing`
    until its heartbeat is STALLED seconds old, then the periodic recovery puts it back
    and a new worker finishes the day; rows and files as in-process, nothing twice."""
    in_process, queued = two_copies
    here, there = tmp_path / "in-process", tmp_path / "workers"
    for orgnr, _, _ in COMPANIES:
        done = cli(in_process, here, "--company", orgnr, "--date", DAY, "run", "--to", TO)
        assert done.returncode == 0, done.stderr
    there.mkdir()
    assert cli(queued, there, "--date", DAY, "run", "--via-workers", "--to", TO).returncode == 0
    workers = Workers(queued, there, stalled_after=STALLED)
    try:
        doomed = workers.start("doomed")
        assert wait_for(lambda: _doing(queued), WAIT, every=0.01), workers.logs()
        time.sleep(after)
        kill_hard(doomed.pid)
        doomed.wait(10)
        workers.started.remove(doomed)
        killed = time.monotonic()
        workers.start("rescuer")
        workers.until_done()
        recovered = time.monotonic() - killed
        assert comparable_files(there / "outbox") == comparable_files(here / "outbox")
        assert by_company(queued) == by_company(in_process)
        assert recovered < 60, recovered
        print(f"recovered {recovered:.1f} s after kill -9 (stalled after {STALLED} s)")
    finally:
        workers.stop()


STALLED = 3  # seconds: the test's workers beat every second


def test_sqlite_needs_no_worker_and_says_so(run: Run) -> None:
    """On SQLite every job runs in-process: the queue's commands are refused by name."""
    if BACKEND == "postgresql":
        pytest.skip("SQLite's answer")
    for args, field in [
        (("run", "--via-workers"), "via-workers"),
        (("worker",), "worker"),
        (("jobs",), "jobs"),
        (("jobs", "retry", "1"), "jobs"),
    ]:
        done = run(*args, json=False)
        assert done.exit_code == 2, (args, done.output)
        assert f"{field}: jobs run on PostgreSQL only" in done.output, done.output


@postgresql_only
def test_sigterm_lets_the_running_day_finish(two_copies: tuple[str, str], tmp_path: Path) -> None:
    """SIGTERM while a company's day runs: the worker finishes that job, then exits 0;
    the job is `succeeded`, not left `doing` for the stalled-job recovery."""
    _, queued = two_copies
    there = tmp_path / "workers"
    there.mkdir()
    assert cli(queued, there, "--date", DAY, "run", "--via-workers", "--to", TO).returncode == 0
    workers = Workers(queued, there)
    try:
        stopping = workers.start("stopping")
        assert wait_for(lambda: _doing(queued), WAIT, every=0.01), workers.logs()
        stopping.send_signal(signal.SIGTERM)
        assert stopping.wait(60) == 0, workers.logs()
    finally:
        workers.stop()
    statuses = _statuses(queued)
    assert ("begin_company_days", "succeeded") in statuses, statuses
    assert "doing" not in {s for _, s in statuses}, statuses


@postgresql_only
def test_jobs_lists_the_queue_and_retries_only_a_failed_or_stalled_job(
    run: Run, database_url: str
) -> None:
    """`fordring jobs` shows the queued day; `jobs retry` refuses a queued job and an
    unknown id, and queues a failed one again (made failed here as a worker would leave it
    after its last try)."""
    cli_company(run)
    queued = json.loads(run("run", "--via-workers").output)["queued"]
    (job,) = [q["job"] for q in queued]
    listed = json.loads(run("jobs").output)["jobs"]
    assert [(j["id"], j["status"], j["task"], j["queue"]) for j in listed] == [
        (job, "todo", "begin_company_days", "days")
    ]
    assert listed[0]["args"]["to_day"] == "2026-03-02"
    refused = run("jobs", "retry", str(job), json=False)
    assert refused.exit_code == 2
    assert f"id: job {job} is todo: only a failed or stalled job is retried" in refused.output
    unknown = run("jobs", "retry", str(job + 1000), json=False)
    assert unknown.exit_code == 2
    assert f"id: no job {job + 1000}" in unknown.output
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE procrastinate_jobs SET status = 'failed', attempts = 3 WHERE id = :j"),
            {"j": job},
        )
    engine.dispose()
    assert json.loads(run("jobs").output)["jobs"][0]["status"] == "failed"
    assert json.loads(run("jobs", "retry", str(job)).output) == {"retried": job}
    assert json.loads(run("jobs").output)["jobs"][0]["status"] == "todo"


@postgresql_only
def test_jobs_counts_a_job_stalled_by_the_workers_stalled_after(
    run: Run, database_url: str
) -> None:
    """A running job whose worker last beat 10 s ago: running by the default 30 s, stalled
    (and retried) by `--stalled-after 5`, as workers started with it would see it."""
    cli_company(run)
    (job,) = [q["job"] for q in json.loads(run("run", "--via-workers").output)["queued"]]
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as connection:
        worker = connection.execute(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                "VALUES (now() - interval '10 seconds') RETURNING id"
            )
        ).scalar_one()
        connection.execute(
            text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w WHERE id = :j"),
            {"w": worker, "j": job},
        )
    engine.dispose()
    assert json.loads(run("jobs").output)["jobs"][0]["status"] == "doing"
    assert json.loads(run("jobs", "--stalled-after", "5").output)["jobs"][0]["status"] == "stalled"
    refused = run("jobs", "retry", str(job), json=False)
    assert refused.exit_code == 2, refused.output
    retried = run("jobs", "--stalled-after", "5", "retry", str(job))
    assert json.loads(retried.output) == {"retried": job}
    assert json.loads(run("jobs").output)["jobs"][0]["status"] == "todo"


# The doomed worker's commits when one company's days are queued (kill_points.py): its
# first day's parts (the first, `begin_company_days`, reads the run log; the start, its
# one chunk and the end) in the one job `begin_company_days` and its one commit. Killed
# before it, the transaction is lost whole; killed after it, the day is done, the next
# day's start queued with it, and the job still `doing`: the job, retried, finds the day
# done and queues the next day's start again, which waits already (its queueing lock).
KILL_POINTS = {  # where: (the kill, the job left `doing`, the job then waiting)
    "before the first day's commit": ("before:1", "begin_company_days", None),
    "after the first day's commit": ("after:1", "begin_company_days", "start_of_day"),
}


@postgresql_only
@pytest.mark.parametrize("where", list(KILL_POINTS))
def test_a_worker_killed_at_a_part_of_the_day_loses_nothing_and_doubles_nothing(
    two_copies: tuple[str, str], tmp_path: Path, where: str
) -> None:
    """kill -9 of the only worker at a commit of the first day's graph (FORDRING_KILL_AT):
    the stalled job is put back, a new worker finishes the days, and the rows and files are
    an in-process run's; every job ends succeeded, the end of each day ran once."""
    in_process, queued = two_copies
    here, there = tmp_path / "in-process", tmp_path / "workers"
    orgnr = COMPANIES[0][0]
    done = cli(in_process, here, "--company", orgnr, "--date", DAY, "run", "--to", TO)
    assert done.returncode == 0, done.stderr
    there.mkdir()
    queue = cli(
        queued, there, "--company", orgnr, "--date", DAY, "run", "--via-workers", "--to", TO
    )
    assert queue.returncode == 0, queue.stderr
    workers = Workers(queued, there, stalled_after=STALLED)
    try:
        kill, doing, waiting = KILL_POINTS[where]
        # The days' queue only: the periodic jobs (webhooks every 5 s) commit too, and
        # would be the N-th commit the kill counts.
        doomed = workers.start("doomed", {"FORDRING_KILL_AT": kill}, queues=("days",))
        assert doomed.wait(WAIT) == -signal.SIGKILL, workers.logs()
        left = _statuses(queued)
        assert [t for t, s in left if s == "doing"] == [doing], left
        assert [t for t, s in left if s == "todo"] == ([waiting] if waiting else []), left
        workers.started.remove(doomed)
        workers.start("rescuer")
        workers.until_done()
        assert comparable_files(there / "outbox") == comparable_files(here / "outbox")
        assert by_company(queued) == by_company(in_process)
        statuses = _statuses(queued)
        assert {s for _, s in statuses} == {"succeeded"}, statuses
        tasks = [t for t, _ in statuses]  # a retried job is the same job row
        assert tasks.count("start_of_day") == DAYS_RUN - 1, statuses  # a job per later day
    finally:
        workers.stop()


def _orgnrs(count: int) -> list[str]:
    """`count` valid organisation numbers (mod 11) from 910000000 on."""
    found: list[str] = []
    base = 91000000
    while len(found) < count:
        digits = [int(d) for d in str(base)]
        rest = sum(w * d for w, d in zip([3, 2, 7, 6, 5, 4, 3, 2], digits, strict=True)) % 11
        check = 0 if rest == 0 else 11 - rest
        if check < 10:
            found.append(f"{base}{check}")
        base += 1
    return found


MANY = 50
MANY_FROM, MANY_TO, MANY_DAYS = "2026-04-30", "2026-05-02", 3  # the recurring invoices' 1st


@pytest.fixture
def many_companies(run: Run, database_url: str) -> str:
    """MANY small companies: a customer, an invoice sent in February and a monthly
    recurring invoice from May, so the days remind, issue and deliver."""
    for n, orgnr in enumerate(_orgnrs(MANY)):

        def ok(*args: str, orgnr: str = orgnr) -> None:
            done = run("--company", orgnr, *args, date="2026-02-16")
            assert done.exit_code == 0, done.output

        first = 1 + 1000 * n
        ok(
            "company",
            "add",
            "--orgnr",
            orgnr,
            "--name",
            f"Firma {n} AS",
            "--account",
            "86011117947",
            "--address",
            "Storgata 1",
            "--postcode",
            "0155",
            "--city",
            "Oslo",
            "--first-invoice-number",
            str(first),
            "--first-customer-number",
            str(first),
        )
        ok(
            "customer",
            "add",
            "--name",
            f"Kunde {n}",
            "--consumer",
            "--address",
            "Vei 3",
            "--postcode",
            "0565",
            "--city",
            "Oslo",
        )
        ok("invoice", "create", "--customer", str(first), "--line", "Time;1;1000;25")
        ok(
            "recurring",
            "add",
            "--customer",
            str(first),
            "--text",
            "Leie",
            "--line",
            "Leie;1;500;25",
            "--start",
            "2026-05-01",
        )
    forget_database(database_url)
    return database_url


@postgresql_only
def test_two_workers_do_the_day_of_fifty_companies_as_one_run_in_process_does(
    many_companies: str, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers share the days of MANY companies (the graph's parts interleaved across
    companies); the rows and files are those of an in-process run of the same days, done
    here company by company on the test's own database."""
    queued = clone(many_companies, "workers", tmp_path)
    here, there = tmp_path / "in-process", tmp_path / "workers"
    here.mkdir()
    there.mkdir()
    workers = Workers(queued, there)
    try:
        monkeypatch.chdir(here)
        monkeypatch.setenv("FORDRING_OUTBOX", "outbox")
        for orgnr in _orgnrs(MANY):
            ran = run("--company", orgnr, "run", "--to", MANY_TO, date=MANY_FROM)
            assert ran.exit_code == 0, ran.output
        forget_database(many_companies)
        assert by_company(many_companies) != by_company(queued)
        started = time.monotonic()
        done = cli(queued, there, "--date", MANY_FROM, "run", "--via-workers", "--to", MANY_TO)
        assert done.returncode == 0, done.stderr
        workers.start("one")
        workers.start("two", concurrency=3)  # three jobs at once in one process too
        workers.until_done()
        took = time.monotonic() - started
        statuses = _statuses(queued)
        assert {s for _, s in statuses} == {"succeeded"}, statuses
        tasks = [t for t, _ in statuses]
        assert tasks.count("start_of_day") == MANY * (MANY_DAYS - 1)  # a job a day
        assert tasks.count("end_of_day") == 0  # in the day's job
        assert comparable_files(there / "outbox") == comparable_files(here / "outbox")
        assert by_company(queued) == by_company(many_companies)
        print(f"{MANY} companies' {MANY_DAYS} days by two workers: {took:.1f} s")
    finally:
        workers.stop()
        drop(queued)
