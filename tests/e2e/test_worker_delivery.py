"""The delivery as batch jobs that two real `fordring worker` processes share (issue 16):
every letter goes once, on paper, and is in one print batch, also when one worker is
killed (SIGKILL) in the middle of a batch, just after one, or later; the rows and the
outbox's files are those of a delivery in one process (`fordring run`).

600 reminders of three companies (420, 150 and 30: batches of 200, so the first company's
three batches run on both workers at once) wait on paper (tests/letters_waiting.py);
`run --via-workers` queues each company's day (already run: nothing to do), which queues
its delivery (`deliver_waiting`), which queues its batches, whose last queues the print
batches."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from tests.conftest import BACKEND
from tests.crash import cli, clone, drop, files
from tests.e2e.test_workers import WAIT, Workers, by_company
from tests.letters_waiting import DAY, letters_waiting, orgnrs
from tests.processes import wait_for

from fordring.adapters.db.engine import forget_database, normalise_url

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(BACKEND != "postgresql", reason="the queue is PostgreSQL's"),
]

SHARES = [420, 150, 30]
LETTERS = sum(SHARES)
STALLED = 3  # seconds without a heartbeat: the test's workers beat every second


@pytest.fixture
def two_copies(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    letters_waiting(database_url, LETTERS, list(SHARES))
    forget_database(database_url)
    made = [clone(database_url, "inproc", tmp_path), clone(database_url, "workers", tmp_path)]
    yield made[0], made[1]
    for url in made:
        drop(url)


def _scalar(url: str, sql: str) -> int:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def _once_each(url: str, outbox: Path) -> None:
    """Each letter sent once on paper, by one attempt, listed once in its day's manifest
    and in exactly one print batch."""
    assert _scalar(url, "SELECT count(*) FROM dispatch WHERE state = 'sent'") == LETTERS
    assert _scalar(url, "SELECT count(*) FROM dispatch WHERE print_batch IS NULL") == 0
    sent = "FROM delivery_attempt WHERE outcome = 'sent'"
    assert _scalar(url, f"SELECT count(*) {sent}") == LETTERS
    assert _scalar(url, f"SELECT count(DISTINCT dispatch_id) {sent}") == LETTERS
    names = list(outbox.glob("*/*/case-*.pdf"))
    assert len(names) == LETTERS
    listed = [row[0] for m in outbox.glob("*/*/manifest.csv") for row in _rows(m)]
    printed = [row[0] for m in outbox.glob("*/*/print-manifest-*.csv") for row in _rows(m)]
    assert sorted(listed) == sorted(printed) == sorted(p.name for p in names)


def _outbox(folder: Path) -> dict[str, bytes]:
    """Every file of the outbox, a day's manifest (and its index of compiles) with its
    lines sorted: batches delivered at once append their lines as they go (each line
    once); the print batches and their manifests keep the queue's order."""
    found = files(folder)
    for name, content in found.items():
        if name.endswith("/manifest.csv"):
            header, *lines = content.splitlines(keepends=True)
            found[name] = header + b"".join(sorted(lines))
        elif name.endswith("/.compiled.csv"):
            found[name] = b"".join(sorted(content.splitlines(keepends=True)))
    return found


def _rows_of(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as test_workers compares them, but the delivery log's without
    its own id: batches delivered at once log their attempts in the order they commit."""
    found = by_company(url)
    found["delivery_attempt"] = sorted(
        (tuple(c for c in row if c[0] != "id") for row in found["delivery_attempt"]), key=repr
    )
    return found


def _rows(manifest: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(manifest.read_text(), newline=""), delimiter=";"))[1:]


def _queued(two_copies: tuple[str, str], tmp_path: Path) -> tuple[str, Path]:
    """The first copy delivered by `fordring run` in one process (in `in-process/`); the
    second's days queued for workers (`run --via-workers`, in `workers/`): its URL and
    folder."""
    in_process, queued = two_copies
    there = tmp_path / "workers"
    there.mkdir()
    for orgnr in orgnrs(len(SHARES)):
        done = cli(
            in_process,
            tmp_path / "in-process",
            "--company",
            orgnr,
            "--date",
            DAY.isoformat(),
            "run",
        )
        assert done.returncode == 0, done.stderr
    done = cli(queued, there, "--date", DAY.isoformat(), "run", "--via-workers")
    assert done.returncode == 0, done.stderr
    return queued, there


def _as_in_process(two_copies: tuple[str, str], tmp_path: Path) -> None:
    """Each letter once, and the rows and files of the delivery in one process."""
    in_process, queued = two_copies
    there = tmp_path / "workers" / "outbox"
    _once_each(queued, there)
    assert _outbox(there) == _outbox(tmp_path / "in-process" / "outbox")
    assert _rows_of(queued) == _rows_of(in_process)


def test_two_workers_deliver_each_letter_once_as_one_process_does(
    two_copies: tuple[str, str], tmp_path: Path
) -> None:
    workers = Workers(*_queued(two_copies, tmp_path))
    try:
        workers.start("one")
        workers.start("two")
        workers.until_done()
    finally:
        workers.stop()
    _as_in_process(two_copies, tmp_path)


@pytest.mark.parametrize("kill_at", ["before:1", "after:1", "before:3"])
def test_a_worker_killed_mid_delivery_loses_and_doubles_nothing(
    two_copies: tuple[str, str], tmp_path: Path, kill_at: str
) -> None:
    """One of two workers kills itself (SIGKILL) at a commit of its delivery: before it (a
    batch's files in the outbox, its rows not committed), just after it (before the job
    queued what follows), or at its third. Its job is retried by the other once its
    heartbeat is STALLED s old; every letter goes once, as in one process."""
    workers = Workers(*_queued(two_copies, tmp_path), stalled_after=STALLED)
    try:
        # The delivery's queue only: the periodic jobs (webhooks every 5 s) commit too.
        doomed = workers.start("doomed", {"FORDRING_KILL_AT": kill_at}, queues=("delivery",))
        time.sleep(1.0)  # the doomed one takes the first jobs
        workers.start("survivor")
        assert wait_for(lambda: doomed.poll() is not None, WAIT, every=0.1), workers.logs()
        assert doomed.returncode == -9, workers.logs()
        workers.started.remove(doomed)
        workers.until_done()
    finally:
        workers.stop()
    _as_in_process(two_copies, tmp_path)
