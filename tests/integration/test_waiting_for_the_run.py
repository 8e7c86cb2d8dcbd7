"""Waiting for the daily run (issue 14, point 5): a person's command during a day of the
run waits for that day, says for whom it waits, then goes through; a run of many days
lets it in between two days; on SQLite a command that waits too long gives up clearly,
having written nothing. On both backends, except the give-up (PostgreSQL waits)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import date
from typing import Any

import pytest
from click.testing import Result
from tests import builders
from tests.conftest import Run
from tests.races import BACKEND, WAIT, Outcome
from tests.snapshot import snapshot

from fordring.adapters.db import waiting
from fordring.adapters.db.repositories.collection_run import SqlCollectionRun
from fordring.domain.law.builtin_rates import rate_book
from fordring.services.collection_sending import send_to_collection
from fordring.services.day_graph import run_collection
from fordring.services.ledger import check_ledger
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration

RUN = "the daily run"
HOLD = 2.0  # seconds each day of the run holds its transaction after reading its cases
COMPANY = "Test AS (923609016)"


@pytest.fixture
def held_days(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Each day run on the thread RUN holds its transaction HOLD seconds once it has read
    the day's cases (its run lock taken); the event is set when the first day holds."""
    holding = threading.Event()
    original = SqlCollectionRun.case_details

    def held(self: SqlCollectionRun, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name == RUN:
            holding.set()
            time.sleep(HOLD)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SqlCollectionRun, "case_details", held)
    return holding


def _a_case(uow_factory: UnitOfWorkFactory) -> None:
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    builders.invoice(uow_factory, customer, on=date(2026, 2, 16))
    send_to_collection([1], builders.scope(uow_factory, on=date(2026, 3, 5)), uow_factory)


def _run_in_background(
    uow_factory: UnitOfWorkFactory, first: date, last: date
) -> tuple[threading.Thread, Outcome]:
    outcome = Outcome([], [])

    def run() -> None:
        try:
            scope = builders.scope(uow_factory, on=last)
            outcome.results.append(
                run_collection(
                    scope, first, last, uow_factory, rate_book(), pin_key=builders.PIN_KEY
                )
            )
        except BaseException as error:  # judged by the test
            outcome.errors.append(error)
        finally:
            outcome.results.append(time.monotonic())

    runner = threading.Thread(target=run, name=RUN, daemon=True)
    runner.start()
    return runner, outcome


def _joined(runner: threading.Thread) -> None:
    runner.join(WAIT)
    assert not runner.is_alive(), "the run never finished"


def _invoice_create(run: Run, day: str) -> Result:
    return run("invoice", "create", "--customer", "10000", "--line", "Vare;1;100;25", date=day)


def test_an_invoice_created_during_a_day_of_the_run_waits_for_it_and_says_so(
    run: Run, uow_factory: UnitOfWorkFactory, held_days: threading.Event
) -> None:
    _a_case(uow_factory)
    day = date(2026, 3, 9)  # the reminder's day
    runner, outcome = _run_in_background(uow_factory, day, day)
    assert held_days.wait(WAIT)
    began = time.monotonic()
    done = _invoice_create(run, str(day))
    waited = time.monotonic() - began
    _joined(runner)
    assert outcome.errors == []
    assert done.exit_code == 0, done.output
    assert f"waiting for the daily run of {COMPANY}…" in done.stderr
    assert waited > HOLD / 2  # it waited for the day to commit, then went through
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok


def test_a_run_of_many_days_lets_a_waiting_command_in_between_two_days(
    run: Run, uow_factory: UnitOfWorkFactory, held_days: threading.Event
) -> None:
    _a_case(uow_factory)
    runner, outcome = _run_in_background(uow_factory, date(2026, 3, 5), date(2026, 3, 10))
    assert held_days.wait(WAIT)
    done = _invoice_create(run, "2026-03-05")
    created = time.monotonic()
    _joined(runner)
    assert outcome.errors == [] and done.exit_code == 0, done.output
    (report, finished) = outcome.results
    assert [d.day.day for d in report.days] == [5, 6, 7, 8, 9, 10]
    # In after the day it waited for (its five transactions one after the other, not a
    # day each): done with at least three days still to run, not after all six.
    assert finished - created > 3 * HOLD
    assert f"waiting for the daily run of {COMPANY}…" in done.stderr


@pytest.mark.skipif(BACKEND != "sqlite", reason="PostgreSQL waits for a lock without limit")
def test_a_command_that_waits_too_long_gives_up_having_written_nothing(
    run: Run, database_url: str, uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _a_case(uow_factory)
    monkeypatch.setattr(waiting, "QUIET", 0.2)
    monkeypatch.setattr(waiting, "LIMIT", 1.0)
    before = snapshot(database_url)
    other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the writer lock
    try:
        done = _invoice_create(run, "2026-03-05")
    finally:
        other.rollback()
        other.close()
    assert done.exit_code == 1
    waited, refused = done.stderr.splitlines()  # under --json the error is JSON
    assert waited == "waiting for another fordring command writing to the database… (at most 1 s)"
    assert json.loads(refused)["errors"] == [
        {
            "field": None,
            "code": "conflict",
            "message": "gave up after waiting 1 s for another fordring command writing to the "
            "database; nothing was written: try again when it is done",
            "where": None,
        }
    ]
    assert snapshot(database_url) == before
