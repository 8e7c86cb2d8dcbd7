"""The day's parts as a worker's jobs do them (services/day_graph.py): a job goes on to
the one part of its day that follows it, so a small company's day is one job; a large
company's start queues its chunks; a job killed at its commit, done again, finishes the
day once."""

from __future__ import annotations

from datetime import date

import pytest
from tests import builders

from fordring.adapters.db import kill_points
from fordring.domain.law.builtin_rates import rate_book
from fordring.services import day_graph
from fordring.services.collection_sending import send_to_collection
from fordring.services.ports import NextJob, UnitOfWorkFactory

pytestmark = pytest.mark.integration

DAY = date(2026, 3, 9)  # the two cases' reminders are due
AFTER_DAYS = ["deliver_waiting", "write_waiting_statements"]


class Killed(Exception):
    """The process dying at a commit (as FORDRING_KILL_AT's SIGKILL, in the test's own
    process: an exception that leaves the part's transaction as the kill would)."""


@pytest.fixture
def two_woken(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Two customers with a case each, both woken on DAY."""
    builders.company(uow_factory)
    for name in ("Kari Nordmann", "Ola Nordmann"):
        builders.invoice(uow_factory, builders.consumer(uow_factory, name), on=date(2026, 2, 16))
    send_to_collection([1, 2], builders.scope(uow_factory, on=date(2026, 3, 5)), uow_factory)
    return uow_factory


def _begin(uow_factory: UnitOfWorkFactory, chunk_cases: int = day_graph.CHUNK_CASES) -> list[str]:
    scope = builders.scope(uow_factory, on=DAY)
    jobs = day_graph.begin_company_days(
        scope,
        DAY,
        uow_factory,
        rate_book(),
        pin_key=builders.PIN_KEY,
        each_day=False,
        chunk_cases=chunk_cases,
    )
    return [j.task for j in jobs]


def _state(uow_factory: UnitOfWorkFactory) -> tuple[date | None, int]:
    """The last day run and the letters waiting for delivery."""
    with uow_factory(builders.scope(uow_factory, on=DAY)) as uow:
        return uow.collection.last_run(), uow.deliveries.count_waiting()


def _kill_at(monkeypatch: pytest.MonkeyPatch, side: str, commit: int) -> None:
    """Kill (raise Killed) at this process's `commit`-th commit from now, `side` of it."""
    base = kill_points._commits

    def kill_if(at: str) -> None:
        if at == side and kill_points._commits - base == commit:
            raise Killed(f"{side}:{commit}")

    monkeypatch.setattr(kill_points, "_kill_if", kill_if)


def test_a_small_companys_day_is_one_job_that_queues_only_the_delivery(
    two_woken: UnitOfWorkFactory,
) -> None:
    assert _begin(two_woken) == AFTER_DAYS  # the start, its one chunk and the end done
    assert _state(two_woken) == (DAY, 2)


def test_a_large_companys_start_queues_its_chunks_and_the_last_chunk_does_the_end(
    two_woken: UnitOfWorkFactory,
) -> None:
    assert _begin(two_woken, chunk_cases=1) == ["day_chunk", "day_chunk"]
    assert _state(two_woken) == (None, 0)
    scope = builders.scope(two_woken, on=DAY)
    book = rate_book()
    assert day_graph.day_chunk(scope, DAY, DAY, 1, two_woken, book, pin_key=builders.PIN_KEY) == []
    assert _state(two_woken) == (None, 1)
    last: list[NextJob] = day_graph.day_chunk(
        scope, DAY, DAY, 2, two_woken, book, pin_key=builders.PIN_KEY
    )
    assert [j.task for j in last] == AFTER_DAYS  # the end done in the same job
    assert _state(two_woken) == (DAY, 2)
    assert (
        day_graph.day_chunk(scope, DAY, DAY, 1, two_woken, book, pin_key=builders.PIN_KEY) == []
    )  # the day ended


# The job's one commit: the first part (reads the run log), the start, the chunk and the end.
@pytest.mark.parametrize(("side", "commit"), [("before", 1), ("after", 1)])
def test_a_one_job_day_killed_at_its_commit_is_finished_once_by_the_job_again(
    two_woken: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch, side: str, commit: int
) -> None:
    _kill_at(monkeypatch, side, commit)
    with pytest.raises(Killed):
        _begin(two_woken)
    monkeypatch.undo()
    # Before the commit nothing is kept; after it the day is whole, the job still `doing`.
    assert _state(two_woken) == ((None, 0) if side == "before" else (DAY, 2))
    assert _begin(two_woken) == AFTER_DAYS  # retried: it does the day, or finds it done
    assert _state(two_woken) == (DAY, 2)  # each letter once
    assert _begin(two_woken) == AFTER_DAYS  # and once more: nothing new
    assert _state(two_woken) == (DAY, 2)


def test_the_last_chunk_killed_before_the_end_does_the_end_when_retried(
    two_woken: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _begin(two_woken, chunk_cases=1) == ["day_chunk", "day_chunk"]
    scope = builders.scope(two_woken, on=DAY)
    book = rate_book()
    day_graph.day_chunk(scope, DAY, DAY, 1, two_woken, book, pin_key=builders.PIN_KEY)
    _kill_at(monkeypatch, "before", 1)  # chunk 2 and the end, killed before their commit
    with pytest.raises(Killed):
        day_graph.day_chunk(scope, DAY, DAY, 2, two_woken, book, pin_key=builders.PIN_KEY)
    monkeypatch.undo()
    assert _state(two_woken) == (None, 1)
    retried = day_graph.day_chunk(scope, DAY, DAY, 2, two_woken, book, pin_key=builders.PIN_KEY)
    assert [j.task for j in retried] == AFTER_DAYS
    assert _state(two_woken) == (DAY, 2)
