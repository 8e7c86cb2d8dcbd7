"""A person acting on a case while the daily run is between reading it and writing it:
neither overwrites the other, nothing is charged or booked twice, and the ledger is whole.

The run is held for a moment right after it has read the day's cases; on PostgreSQL the
person's action then waits for the run's row locks and sees what it did. On SQLite the
single writer orders the two; the same end states hold."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fordring.adapters.db.repositories.collection import SqlCollection
from fordring.adapters.db.repositories.collection_run import SqlCollectionRun
from fordring.domain.collection.states import CaseEvent
from fordring.domain.errors import Conflict
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.text_input import parse_match_item
from fordring.services.case_changes import change_case
from fordring.services.collection_sending import send_to_collection
from fordring.services.day_graph import run_collection
from fordring.services.ledger import check_ledger
from fordring.services.list_approval import approve_cases
from fordring.services.payments import match_payment_by_hand
from fordring.services.ports import UnitOfWorkFactory
from tests import builders
from tests.races import WAIT, Outcome, postgresql_only
from tests.scenarios.bankfiles import Paid, ocr_file
from tests.scenarios.story import Story, consumer_case

pytestmark = pytest.mark.e2e

HOLD = 3.0  # seconds the run waits after its read for the person to finish (if they can)
RUN = "the daily run"


@pytest.fixture
def run_held(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(read, person_done): the run sets `read` once it has read the day's cases, then
    waits until `person_done` or HOLD seconds have passed."""
    read, person_done = threading.Event(), threading.Event()
    original = SqlCollectionRun.case_details

    def held(self: SqlCollectionRun, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name == RUN and not read.is_set():
            read.set()
            person_done.wait(HOLD)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SqlCollectionRun, "case_details", held)
    return read, person_done


def _run_day(day: date, uow_factory: UnitOfWorkFactory) -> None:
    run_collection(
        builders.scope(uow_factory, on=day),
        day,
        day,
        uow_factory,
        rate_book(),
        pin_key=builders.PIN_KEY,
    )


def _during_the_run(
    day: date,
    uow_factory: UnitOfWorkFactory,
    held: tuple[threading.Event, threading.Event],
    person: Callable[[], Any],
) -> Outcome:
    read, person_done = held
    outcome = Outcome([], [])

    def guarded(job: Callable[[], Any], done: threading.Event | None = None) -> None:
        try:
            outcome.results.append(job())
        except BaseException as error:  # judged by the test
            outcome.errors.append(error)
        finally:
            if done is not None:
                done.set()

    runner = threading.Thread(
        target=guarded, args=(lambda: _run_day(day, uow_factory),), name=RUN, daemon=True
    )
    runner.start()
    assert read.wait(WAIT), "the run never read the day's cases"
    acting = threading.Thread(target=guarded, args=(person, person_done), daemon=True)
    acting.start()
    for thread in (runner, acting):
        thread.join(WAIT)
        assert not thread.is_alive(), "a lock was never released"
    return outcome


def _case(story: Story) -> dict[str, Any]:
    return dict(story.ok("collection", "case", "1"))


def test_a_case_paused_while_the_run_reminds_it_stays_paused(
    story: Story, uow_factory: UnitOfWorkFactory, tmp_path: Path, run_held: Any
) -> None:
    consumer_case(story)
    story.days("2026-03-08", start="2026-03-05")
    day = date(2026, 3, 9)  # the reminder's day
    scope = builders.scope(uow_factory, on=day)
    outcome = _during_the_run(
        day,
        uow_factory,
        run_held,
        lambda: change_case(1, CaseEvent.PAUSE, "Avklares", scope, uow_factory).status,
    )
    assert outcome.errors == []
    case = _case(story)
    assert case["state"] == "paused"  # the run did not write its stale state over it
    kinds = [e["kind"] for e in case["history"]]
    assert kinds.count("pause") == 1 and kinds.count("remind") <= 1
    assert check_ledger(scope, uow_factory).ok


def test_a_case_approved_while_the_run_reads_it_is_handed_over_by_the_next_run(
    story: Story, uow_factory: UnitOfWorkFactory, run_held: Any
) -> None:
    consumer_case(story)
    story.ok("collection", "agreement", "set", "automatic_handover=no")
    story.days("2026-05-03", start="2026-03-05")
    assert story.state(1) == "listed"
    day = date(2026, 5, 4)
    scope = builders.scope(uow_factory, on=day)
    outcome = _during_the_run(
        day,
        uow_factory,
        run_held,
        lambda: approve_cases([1], scope, uow_factory),
    )
    assert outcome.errors == []
    story.days("2026-05-05")
    assert story.state(1) == "in_collection"  # the run did not put the approval to sleep
    assert check_ledger(scope, uow_factory).ok


def test_a_payment_matched_to_a_case_while_the_run_charges_it_is_counted_once(
    story: Story, uow_factory: UnitOfWorkFactory, tmp_path: Path, run_held: Any
) -> None:
    consumer_case(story)
    story.days("2026-03-08", start="2026-03-05")
    paid = ocr_file(tmp_path / "ocr.txt", [Paid("1000.00", "0000009993", "2026-03-06")])
    story.ok("payments", "import", str(paid), date="2026-03-08")
    day = date(2026, 3, 9)
    scope = builders.scope(uow_factory, on=day)
    case_1 = parse_match_item("case:1")
    outcome = _during_the_run(
        day,
        uow_factory,
        run_held,
        lambda: match_payment_by_hand(scope, 1, [case_1], uow_factory, rate_book()),
    )
    assert outcome.errors == []
    case = _case(story)
    (payment,) = story.ok("payments", "list", date="2026-03-09")
    assert payment["status"] == "matched"
    paid_parts = sum(Decimal(payment[k]) for k in ("principal", "interest", "fees", "salaer"))
    assert paid_parts + Decimal(payment["credit"]) == Decimal("1000.00")
    assert Decimal(case["owed"]) >= 0
    assert check_ledger(scope, uow_factory).ok


PERSON = "a person"


def _invoice_due_for_automatic_sending(story: Story) -> date:
    """Company, consumer 10000, invoice 1 (due 2026-03-02), automatic sending on: the day
    the run sends it to collection (nothing has run before)."""
    consumer_case_ready = ("collection", "agreement", "set", "automatic_sending=yes")
    builders.cli_company(story.run)
    builders.cli_consumer(story.run)
    story.ok(*consumer_case_ready)
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2026-02-16"
    )
    day = date(2026, 3, 5)
    assert story.ok("collection", "check", "1", date=str(day))[0]["eligible"]
    return day


def _cases_of_invoice_1(story: Story) -> list[dict[str, Any]]:
    return [row for row in story.rows("case_invoice") if row["invoice_id"] == 1]


@postgresql_only
def test_a_person_sending_an_invoice_the_run_sends_first_is_told_and_the_day_stands(
    story: Story, uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's `collection send 1` has read invoice 1 as eligible when the run's day
    sends it automatically and commits: the person's send is a Conflict saying so (exit 1
    on the command line), not a unique-key error; the run's day and its case stand."""
    day = _invoice_due_for_automatic_sending(story)
    scope = builders.scope(uow_factory, on=day)
    read, run_done = threading.Event(), threading.Event()
    original = SqlCollection.invoices

    def held(self: SqlCollection, *args: Any, **kwargs: Any) -> Any:
        found = original(self, *args, **kwargs)
        if threading.current_thread().name == PERSON:
            read.set()
            run_done.wait(HOLD)
        return found

    monkeypatch.setattr(SqlCollection, "invoices", held)
    outcome = Outcome([], [])

    def person() -> None:
        try:
            outcome.results.append(send_to_collection([1], scope, uow_factory))
        except BaseException as error:  # judged below
            outcome.errors.append(error)

    acting = threading.Thread(target=person, name=PERSON, daemon=True)
    acting.start()
    assert read.wait(WAIT), "the person never read the invoice"
    report = run_collection(scope, day, day, uow_factory, rate_book(), pin_key=builders.PIN_KEY)
    run_done.set()
    acting.join(WAIT)
    assert not acting.is_alive(), "a lock was never released"
    (error,) = outcome.errors
    assert isinstance(error, Conflict), repr(error)
    assert "invoice 1 was sent to collection by someone else" in str(error)
    steps = [d.step for r in report.days for d in r.done]
    assert steps.count("send_to_collection") == 1
    assert len(_cases_of_invoice_1(story)) == 1
    assert story.ok("collection", "case", "1", date=str(day))["history"][0]["text"] == (
        "Sent to collection automatically"
    )
    assert check_ledger(scope, uow_factory).ok


def test_the_run_skips_an_invoice_a_person_sends_while_it_waits_and_keeps_its_day(
    story: Story, uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's `collection send 1` has written its case and not committed yet when the
    run's day begins: the day waits for the person's commit (PostgreSQL: the run lock;
    SQLite: the writer lock), then finds invoice 1 in a case and does not send it again.
    Both succeed; one case."""
    day = _invoice_due_for_automatic_sending(story)
    scope = builders.scope(uow_factory, on=day)
    written, run_started = threading.Event(), threading.Event()
    original = SqlCollection.add_cases

    def held(self: SqlCollection, *args: Any, **kwargs: Any) -> Any:
        ids = original(self, *args, **kwargs)
        if threading.current_thread().name == PERSON:
            written.set()
            run_started.wait(HOLD)
            time.sleep(0.5)  # the run is now waiting for the lock the person holds
        return ids

    monkeypatch.setattr(SqlCollection, "add_cases", held)
    sent: list[Any] = []
    acting = threading.Thread(
        target=lambda: sent.append(send_to_collection([1], scope, uow_factory)),
        name=PERSON,
        daemon=True,
    )
    acting.start()
    assert written.wait(WAIT), "the person never wrote the case"
    run_started.set()
    report = run_collection(scope, day, day, uow_factory, rate_book(), pin_key=builders.PIN_KEY)
    acting.join(WAIT)
    assert not acting.is_alive(), "a lock was never released"
    (result,) = sent
    assert [c.number for c in result.cases] == [1]
    assert report.days  # the day ran and committed
    assert "send_to_collection" not in [d.step for r in report.days for d in r.done]
    assert len(_cases_of_invoice_1(story)) == 1
    assert check_ledger(scope, uow_factory).ok
