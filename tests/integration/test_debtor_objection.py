"""The debtor's objection through the service on the test's database (both backends): the
case stops at once and the next runs leave it alone, the `case.objected` webhook is queued
in the same transaction, an addition to an objected case, a refusal writes neither row nor
file (also when the transaction fails after the file was kept), the same objection again
changes nothing, and another company's or case's attachment is never reached."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests import builders
from tests.attachments import HTML, PDF, PNG
from tests.conftest import Run
from tests.races import postgresql_only, race

from fordring.adapters.attachment_folder import FolderAttachments
from fordring.adapters.db.engine import open_database
from fordring.domain.collection.objection import attachment, objection
from fordring.domain.collection.states import CaseEvent
from fordring.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from fordring.services.case_changes import change_case
from fordring.services.objections import (
    object_to_case,
    objection_attachment,
    objections_and_state,
    uphold,
)
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Actor, ActorKind, Scope, debtor

pytestmark = pytest.mark.integration

A = ("--company", builders.ORGNR)
B = ("--company", builders.OTHER_ORGNR)
DAY = date(2026, 3, 20)
MiB = 1024 * 1024


def _rows(database_url: str, sql: str) -> list[Any]:
    with open_database(database_url).engine.connect() as c:
        return list(c.execute(text(sql)))


def _ok(run: Run, *args: str, date: str = "2026-03-05") -> Any:
    done = run(*args, date=date)
    assert done.exit_code == 0, done.output
    return json.loads(done.output) if done.output.strip() else None


@pytest.fixture
def world(uow_factory: UnitOfWorkFactory, run: Run) -> dict[str, Scope]:
    """Companies A and B, each with case 1 (reminded by 03-20); A's endpoint takes
    `case.objected`. The debtor of A's case 1 and of B's case 1, on 03-20."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    for orgnr, company in ((builders.ORGNR, A), (builders.OTHER_ORGNR, B)):
        builders.cli_case_1(run, orgnr)
        _ok(run, *company, "run", "--to", "2026-03-20")
    hook = "https://hooks.example.com/fordring"
    _ok(run, *A, "webhooks", "add", hook, "--event", "case.objected")
    a = builders.scope(uow_factory, on=DAY)
    b = builders.scope(uow_factory, builders.OTHER_ORGNR, on=DAY)
    return {
        "a": Scope(a.company_id, debtor(1), DAY),
        "b": Scope(b.company_id, debtor(1), DAY),
        "a_cli": a,
    }


@pytest.fixture
def store(tmp_path: Path) -> FolderAttachments:
    return FolderAttachments(tmp_path / "attachments")


def _files(store: FolderAttachments) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def _state(run: Run, company: tuple[str, ...] = A) -> str:
    return str(_ok(run, *company, "collection", "case", "1", date="2026-05-30")["state"])


def test_an_objection_stops_the_case_and_the_next_runs_leave_it_alone(
    world: dict[str, Scope],
    run: Run,
    uow_factory: UnitOfWorkFactory,
    store: FolderAttachments,
    database_url: str,
) -> None:
    said = objection("already_paid", "Betalt 3. mars, se kvittering.")
    file = attachment("C:\\kvittering.pdf", PDF, MiB)

    receipt = object_to_case(1, said, file, world["a"], uow_factory, store)

    assert (receipt.state, receipt.addition, receipt.attachment_name) == (
        "objected",
        False,
        "kvittering.pdf",
    )
    events_before = _rows(database_url, "SELECT count(*) FROM case_event")[0][0]
    _ok(run, *A, "run", "--to", "2026-05-30", date="2026-03-20")
    assert _state(run) == "objected"
    case = _ok(run, *A, "collection", "case", "1", date="2026-05-30")
    assert case["history"][-1]["kind"] == "object"  # the runs added nothing to the case
    assert _rows(database_url, "SELECT count(*) FROM case_event")[0][0] == events_before
    payload = case["history"][-1]["payload"]
    assert payload == {
        "from": "reminded",
        "to": "objected",
        "objection_reason": "already_paid",
        "objection_text": "Betalt 3. mars, se kvittering.",
        "attachment": "kvittering.pdf",
    }
    assert case["history"][-1]["actor"] == "debtor (case 1)"
    hooks = _rows(database_url, "SELECT event_type, body FROM webhook_message")
    assert [h[0] for h in hooks] == ["case.objected"]
    assert "already_paid" in hooks[0][1]
    (kept,) = _files(store)
    assert kept.read_bytes() == PDF and "kvittering" not in str(kept)
    (row,) = objections_and_state(1, world["a_cli"], uow_factory)[0]
    assert row.attachment is not None and row.attachment.media_type == "application/pdf"
    got = objection_attachment(1, int(row.id or 0), world["a_cli"], uow_factory, store)
    assert got.content == PDF and got.stored.size == len(PDF)


def test_an_objection_to_an_objected_case_is_an_addition_and_the_same_again_nothing(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, store: FolderAttachments,
    database_url: str,
) -> None:  # fmt: skip
    object_to_case(1, objection("wrong_amount", ""), None, world["a"], uow_factory, store)
    more = objection("other", "Jeg har også en avtale.")
    png = attachment("avtale.png", PNG, MiB)
    added = object_to_case(1, more, png, world["a"], uow_factory, store)
    again = object_to_case(1, more, png, world["a"], uow_factory, store)

    assert added == again and added.addition and added.state == "objected"
    assert len(objections_and_state(1, world["a_cli"], uow_factory)[0]) == 2
    assert len(_files(store)) == 1
    kinds = _rows(database_url, "SELECT event_type FROM webhook_message ORDER BY created_at, id")
    assert [k[0] for k in kinds] == ["case.objected", "case.objected"]


def test_a_refused_objection_writes_neither_row_nor_file(
    world: dict[str, Scope], run: Run, uow_factory: UnitOfWorkFactory,
    store: FolderAttachments, database_url: str,
) -> None:  # fmt: skip
    _ok(run, *A, "collection", "close", "1", date="2026-03-20")
    before = _rows(database_url, "SELECT count(*) FROM case_event")
    file = attachment("a.pdf", PDF, MiB)
    with pytest.raises(RuleViolation, match="closed cannot object"):
        object_to_case(1, objection("not_me", ""), file, world["a"], uow_factory, store)
    assert _rows(database_url, "SELECT count(*) FROM case_event") == before
    assert _rows(database_url, "SELECT count(*) FROM case_objection")[0][0] == 0
    assert _files(store) == []
    with pytest.raises(InvalidInput):
        attachment("kvittering.pdf", HTML, MiB)  # refused before the service is called


class _FailingCommit:
    """A unit of work factory whose units of work fail at commit (a lost race)."""

    def __init__(self, inner: UnitOfWorkFactory) -> None:
        self.inner = inner

    def __call__(self, scope: Scope) -> Any:
        uow = self.inner(scope)

        def commit() -> None:
            raise Conflict("lost a race at commit")

        uow.commit = commit  # type: ignore[method-assign]
        return uow


def test_the_kept_file_is_removed_when_the_transaction_does_not_commit(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, store: FolderAttachments,
    database_url: str,
) -> None:  # fmt: skip
    file = attachment("a.pdf", PDF, MiB)
    failing: Any = _FailingCommit(uow_factory)
    with pytest.raises(Conflict):
        object_to_case(1, objection("not_me", ""), file, world["a"], failing, store)
    assert _files(store) == []
    assert _rows(database_url, "SELECT count(*) FROM case_objection")[0][0] == 0
    assert _state_of(uow_factory, world["a_cli"]) == "reminded"


def _state_of(uow_factory: UnitOfWorkFactory, scope: Scope) -> str:
    with uow_factory(scope) as uow:
        found = uow.collection.status(1)
    assert found is not None
    return found[1].state.value


def test_another_companys_or_cases_objection_is_never_reached(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, store: FolderAttachments
) -> None:
    file = attachment("a.pdf", PDF, MiB)
    object_to_case(1, objection("not_me", ""), file, world["b"], uow_factory, store)
    b_scope = Scope(world["b"].company_id, debtor(1), DAY)
    (b_row,) = objections_and_state(1, b_scope, uow_factory)[0]
    b_id = int(b_row.id or 0)

    assert objections_and_state(1, world["a_cli"], uow_factory)[0] == []
    with pytest.raises(NotFound):
        objection_attachment(1, b_id, world["a_cli"], uow_factory, store)
    with pytest.raises(NotFound):  # the debtor of case 1 is not the debtor of case 2
        object_to_case(2, objection("not_me", ""), None, world["a"], uow_factory, store)
    with pytest.raises(NotFound):
        objection_attachment(2, b_id, Scope(world["b"].company_id, debtor(2), DAY),
                             uow_factory, store)  # fmt: skip
    reader = Scope(world["a_cli"].company_id, Actor(ActorKind.USER, "les", "read_only"), DAY)
    with pytest.raises(Forbidden):
        object_to_case(1, objection("not_me", ""), None, reader, uow_factory, store)
    assert _state_of(uow_factory, world["a_cli"]) == "reminded"


def test_the_same_objection_sent_twice_at_once_is_recorded_once(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, store: FolderAttachments,
    database_url: str,
) -> None:  # fmt: skip
    said, file = objection("not_me", "Ikke meg."), attachment("id.png", PNG, MiB)

    def send() -> Any:
        return object_to_case(1, said, file, world["a"], uow_factory, store)

    outcome = race(send, send)

    assert outcome.errors == []
    assert outcome.results[0] == outcome.results[1]
    assert _rows(database_url, "SELECT count(*) FROM case_objection")[0][0] == 1
    assert len(_files(store)) == 1
    kinds = _rows(database_url, "SELECT event_type FROM webhook_message")
    assert [k[0] for k in kinds] == ["case.objected"]


def test_an_objection_and_the_creditors_pause_at_once_leave_one_story(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, store: FolderAttachments
) -> None:
    def objects() -> Any:
        return object_to_case(1, objection("wrong_amount", ""), None, world["a"], uow_factory,
                              store)  # fmt: skip

    def pauses() -> Any:
        return change_case(1, CaseEvent.PAUSE, "ringer kunden", world["a_cli"], uow_factory)

    outcome = race(objects, pauses)

    (row,) = objections_and_state(1, world["a_cli"], uow_factory)[0]
    if outcome.errors:  # the objection came first: a paused case cannot be paused
        assert [type(e) for e in outcome.errors] == [RuleViolation]
        assert _state_of(uow_factory, world["a_cli"]) == "objected" and not row.addition
    else:  # the pause came first: the objection still stops the case
        assert _state_of(uow_factory, world["a_cli"]) == "objected" and not row.addition


def test_a_paused_case_the_debtor_objects_to_stays_objected_and_gets_no_notice(
    world: dict[str, Scope], run: Run, uow_factory: UnitOfWorkFactory,
    store: FolderAttachments, database_url: str,
) -> None:  # fmt: skip
    change_case(1, CaseEvent.PAUSE, "venter", world["a_cli"], uow_factory)
    receipt = object_to_case(1, objection("not_me", "Ikke meg"), None, world["a"], uow_factory,
                             store)  # fmt: skip
    assert (receipt.state, receipt.addition) == ("objected", False)
    _ok(run, *A, "run", "--to", "2026-05-30", date="2026-03-20")

    case = _ok(run, *A, "collection", "case", "1", date="2026-05-30")
    assert case["state"] == "objected"  # the runs sent nothing: no notice, no fee
    assert [x["kind"] for x in case["letters"]] == ["reminder"]
    assert case["history"][-1]["kind"] == "object"
    assert case["history"][-1]["payload"]["from"] == "paused"
    # The creditor's resume now answers the objection: back where the pause left it, with
    # the stage's letter again (the fee-free reminder), not the notice and its fee.
    resumed = Scope(world["a_cli"].company_id, world["a_cli"].actor, date(2026, 5, 30))
    change_case(1, CaseEvent.RESUME, "kravet står", resumed, uow_factory)
    _ok(run, *A, "run", "--to", "2026-06-05", date="2026-05-30")
    case = _ok(run, *A, "collection", "case", "1", date="2026-06-05")
    assert case["state"] == "reminded"
    assert [x["kind"] for x in case["letters"]] == ["reminder", "reminder"]


def test_the_same_objection_again_after_the_creditor_resumed_is_recorded_anew(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, store: FolderAttachments,
    database_url: str,
) -> None:  # fmt: skip
    said = objection("not_me", "Ikke meg")
    object_to_case(1, said, None, world["a"], uow_factory, store)
    change_case(1, CaseEvent.RESUME, "kravet står", world["a_cli"], uow_factory)

    again = object_to_case(1, said, None, world["a"], uow_factory, store)

    assert (again.state, again.addition) == ("objected", False)
    assert _state_of(uow_factory, world["a_cli"]) == "objected"
    assert len(objections_and_state(1, world["a_cli"], uow_factory)[0]) == 2
    kinds = _rows(database_url, "SELECT event_type FROM webhook_message")
    assert [k[0] for k in kinds] == ["case.objected", "case.objected"]


class _ReadsThenWaits:
    """A unit of work factory whose units of work, once they have read the case's facts,
    say so (`read`) and wait (at most `PATIENCE` seconds) for `other_done`: the other
    racer acts between this one's read and its write, unless a lock holds it back."""

    PATIENCE = 3.0

    def __init__(self, inner: UnitOfWorkFactory) -> None:
        self.inner = inner
        self.read, self.other_done = threading.Event(), threading.Event()

    def __call__(self, scope: Scope) -> Any:
        return _Entered(self, self.inner(scope))


class _Entered:
    """The inner unit of work, its `collection.case_facts` wrapped once it is entered."""

    def __init__(self, racer: _ReadsThenWaits, uow: Any) -> None:
        self.racer, self.uow = racer, uow

    def __enter__(self) -> Any:
        uow = self.uow.__enter__()
        real, racer = uow.collection.case_facts, self.racer

        def case_facts(*args: Any, **kwargs: Any) -> Any:
            found = real(*args, **kwargs)
            racer.read.set()
            racer.other_done.wait(racer.PATIENCE)
            return found

        uow.collection.case_facts = case_facts
        return uow

    def __exit__(self, *exc: Any) -> Any:
        return self.uow.__exit__(*exc)


def test_upholding_and_resuming_the_objection_at_once_leave_one_answer(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, store: FolderAttachments,
    database_url: str,
) -> None:  # fmt: skip
    object_to_case(1, objection("already_paid", ""), None, world["a"], uow_factory, store)
    manager, slow = world["a_cli"], _ReadsThenWaits(uow_factory)
    slowed: Any = slow

    def resumes() -> Any:
        slow.read.wait(_ReadsThenWaits.PATIENCE)
        try:
            return change_case(1, CaseEvent.RESUME, "kravet står", manager, uow_factory)
        finally:
            slow.other_done.set()

    outcome = race(lambda: uphold(1, "riktig", manager, slowed), resumes)

    assert len(outcome.errors) == 1, outcome.errors
    assert isinstance(outcome.errors[0], RuleViolation | Conflict)
    answers = _rows(
        database_url,
        "SELECT kind FROM case_event WHERE kind IN ('object_upheld', 'resume', 'close')",
    )
    state = _state_of(uow_factory, manager)
    if state == "closed":
        assert [a[0] for a in answers] == ["object_upheld"]
    else:
        assert (state, [a[0] for a in answers]) == ("reminded", ["resume"])


def test_at_the_legal_stage_the_objection_is_recorded_and_sent_the_state_kept(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, store: FolderAttachments,
    database_url: str,
) -> None:  # fmt: skip
    with open_database(database_url).engine.begin() as c:  # as `collection to-legal` leaves it
        c.execute(text("UPDATE collection_case SET state = 'legal'"))

    got = object_to_case(1, objection("not_me", "Ikke meg"), None, world["a"], uow_factory, store)

    assert (got.state, got.addition) == ("legal", True)
    assert _state_of(uow_factory, world["a_cli"]) == "legal"
    (row,) = objections_and_state(1, world["a_cli"], uow_factory)[0]
    assert row.addition and row.text == "Ikke meg"
    kinds = _rows(database_url, "SELECT event_type FROM webhook_message")
    assert [k[0] for k in kinds] == ["case.objected"]


class _LockProbe(FolderAttachments):
    """A folder that, when a file is put, asks whether anybody holds case 1's row."""

    def __init__(self, root: Path, database_url: str) -> None:
        super().__init__(root)
        self.database_url, self.case_was_free = database_url, False

    def put(self, company_id: int, content: bytes) -> str:
        engine = open_database(self.database_url).engine
        with engine.connect() as c:
            c.execute(text("SET lock_timeout = '200ms'"))
            c.execute(text("SELECT id FROM collection_case WHERE number = 1 FOR UPDATE"))
            self.case_was_free = True  # else the lock timed out (an error, not this line)
        engine.dispose()
        return super().put(company_id, content)


@postgresql_only
def test_the_file_is_kept_before_the_case_is_locked(
    world: dict[str, Scope], uow_factory: UnitOfWorkFactory, tmp_path: Path, database_url: str
) -> None:
    probe = _LockProbe(tmp_path / "probe", database_url)

    object_to_case(1, objection("not_me", ""), attachment("a.pdf", PDF, MiB), world["a"],
                   uow_factory, probe)  # fmt: skip

    assert probe.case_was_free and len(_files(probe)) == 1
