"""A payment plan the debtor proposed is the debtor's acknowledgement of the debt
(foreldelsesloven § 14): when it is agreed, the day it was proposed is recorded as the
limitation's interruption of the case's invoices, so a plan agreed near the end of the
3 years and broken after them leaves a case that goes on. A plan the creditor entered
interrupts nothing; a decision repeated records nothing more.

Invoice 1 of 2500.00 is due 2023-03-02: time-barred from 2026-03-03 unless interrupted."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from tests import builders
from tests.builders import PIN_KEY, cli_business, cli_company, cli_consumer
from tests.conftest import Run

from fordring import bootstrap
from fordring.adapters.db.unit_of_work import SqlUnitOfWork
from fordring.domain.api_access import Role
from fordring.domain.collection.payment_plan import Outcome, PlanKind, Proposal
from fordring.services.payment_plans import propose_plan
from fordring.services.plan_decisions import decide_plan
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import COMMAND_LINE, Actor, ActorKind, Scope, debtor

pytestmark = pytest.mark.e2e

BOOK = bootstrap.rate_book(None)
PROPOSED = date(2026, 2, 25)  # 6 days before the claim's last day (2026-03-02)
DEFERRAL = Proposal(PlanKind.DEFERRAL, date(2026, 3, 20))  # broken on 03-21: after the 3 years
ACKNOWLEDGED = "acknowledged by proposing a payment plan"


def _old_case(run: Run, business: bool = False) -> None:
    """Invoice 1 issued 2023-02-16 (due 2023-03-02) sent to collection on 2026-02-16."""
    cli_company(run)
    (cli_business if business else cli_consumer)(run)
    for args, on in (
        (("invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25"), "2023-02-16"),
        (("collection", "send", "1"), "2026-02-16"),
        (("run", "--to", "2026-02-20"), "2026-02-16"),
    ):
        done = run(*args, date=on)
        assert done.exit_code == 0, done.output


def _scope(uow_factory: UnitOfWorkFactory, actor: Actor, day: date = PROPOSED) -> Scope:
    return Scope(builders.scope(uow_factory).company_id, actor, day)


def _rows(uow_factory: UnitOfWorkFactory, sql: str) -> list[Any]:
    with uow_factory(_scope(uow_factory, COMMAND_LINE)) as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = uow.connection.execute(text(sql))  # a day: as text on either backend
        return [tuple(v.isoformat() if isinstance(v, date) else v for v in r) for r in rows]


def _interrupted(uow_factory: UnitOfWorkFactory) -> list[Any]:
    return _rows(uow_factory, "SELECT limitation_interrupted_on FROM case_invoice")


def _events(uow_factory: UnitOfWorkFactory, kind: str) -> list[Any]:
    sql = f"SELECT day, text FROM case_event WHERE kind = '{kind}' ORDER BY id"
    return _rows(uow_factory, sql)


def _run_on(run: Run) -> None:
    done = run("run", "--to", "2026-04-30", date="2026-02-21")
    assert done.exit_code == 0, done.output


def _case_state(uow_factory: UnitOfWorkFactory) -> tuple[Any, ...]:
    (found,) = _rows(uow_factory, "SELECT state, closed_reason FROM collection_case")
    return tuple(found)


def test_a_plan_the_debtor_proposed_near_the_end_keeps_the_broken_case_going(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _old_case(run)
    scope = _scope(uow_factory, debtor(1))
    answer = propose_plan(1, DEFERRAL, scope, uow_factory, BOOK, pin_key=PIN_KEY)
    assert answer.decision.outcome is Outcome.ACCEPTED
    assert _interrupted(uow_factory) == [(PROPOSED.isoformat(),)]
    again = propose_plan(1, DEFERRAL, scope, uow_factory, BOOK, pin_key=PIN_KEY)
    assert again.repeated
    ((day, said),) = _events(uow_factory, "limitation_interrupted")
    assert str(day) == "2026-02-25"
    assert said == (
        f"limitation interrupted on 2026-02-25: a new 3-year period runs to 2029-02-25: "
        f"{ACKNOWLEDGED}"
    )
    _run_on(run)
    _run_on(run)  # the same days again: nothing more
    assert _case_state(uow_factory)[0] != "closed"
    assert _events(uow_factory, "close_time_barred") == []
    assert [str(d) for d, _ in _events(uow_factory, "plan_broken")] == ["2026-03-21"]
    assert len(_events(uow_factory, "limitation_interrupted")) == 1
    view = run("collection", "case", "1", date="2026-04-30")
    assert view.exit_code == 0, view.output
    history = json.loads(view.stdout)["history"]
    shown = [e["text"] for e in history if e["kind"] == "limitation_interrupted"]
    assert shown == [said]
    # the creditor stating the same day by the command: the same path, nothing more
    stated = run("collection", "limitation-interrupted", "1", "2026-02-25", date="2026-04-30")
    assert stated.exit_code == 0, stated.output
    assert len(_events(uow_factory, "limitation_interrupted")) == 1


def test_a_plan_the_creditor_entered_interrupts_nothing_and_the_case_closes_as_time_barred(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _old_case(run)
    answer = propose_plan(
        1, DEFERRAL, _scope(uow_factory, COMMAND_LINE), uow_factory, BOOK, pin_key=PIN_KEY
    )
    assert answer.decision.outcome is Outcome.ACCEPTED
    assert _interrupted(uow_factory) == [(None,)]
    _run_on(run)
    assert _case_state(uow_factory) == ("closed", "time_barred")
    # broken on 03-21 by the plan check (after the day's steps): closed by the next day's
    assert [str(d) for d, _ in _events(uow_factory, "plan_broken")] == ["2026-03-21"]
    assert [str(d) for d, _ in _events(uow_factory, "close_time_barred")] == ["2026-03-22"]
    assert _events(uow_factory, "limitation_interrupted") == []


def test_the_creditor_accepting_the_debtors_proposal_records_the_day_proposed_once(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _old_case(run, business=True)  # a business's proposal waits for the creditor
    waiting = propose_plan(
        1, DEFERRAL, _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    assert waiting.decision.outcome is Outcome.WAITING
    assert _interrupted(uow_factory) == [(None,)]  # proposed, not yet agreed
    manager = _scope(uow_factory, Actor(ActorKind.USER, "Per", Role.FINANCE_USER.value))
    later = Scope(manager.company_id, manager.actor, date(2026, 2, 27))
    for _ in range(2):
        decide_plan(1, True, "", later, uow_factory, BOOK, pin_key=PIN_KEY)
    assert _interrupted(uow_factory) == [(PROPOSED.isoformat(),)]
    ((day, said),) = _events(uow_factory, "limitation_interrupted")
    assert str(day) == "2026-02-27" and "2029-02-25" in said and ACKNOWLEDGED in said
    _run_on(run)
    assert _case_state(uow_factory)[0] != "closed"
