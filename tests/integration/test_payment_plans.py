"""Payment plans through the services on the configured backend (issue 19): inside the
limits accepted at once, outside waiting until the creditor accepts; refused input writes
nothing; the debtor reaches only the own case, a user needs to manage collection; two
proposals at the same moment make one plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from tests import builders
from tests.builders import PIN_KEY, cli_business, cli_company, cli_consumer
from tests.conftest import Run
from tests.races import postgresql_only, race

from fordring import bootstrap
from fordring.adapters.db.unit_of_work import SqlUnitOfWork
from fordring.domain.api_access import Role
from fordring.domain.collection.payment_plan import Outcome, PlanKind, PlanState, Proposal
from fordring.domain.collection.states import CaseEvent
from fordring.domain.errors import Conflict, Forbidden, InvalidInput
from fordring.services.case_changes import change_case
from fordring.services.payment_plans import propose_plan
from fordring.services.plan_decisions import break_plan, decide_plan, plans_of_case, waiting_plans
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import COMMAND_LINE, Actor, ActorKind, Scope, debtor

pytestmark = pytest.mark.e2e

DAY = date(2026, 3, 10)
BOOK = bootstrap.rate_book(None)


def _case(run: Run, business: bool = False) -> None:
    """Invoice 1 (2500.00, due 03-02) of customer 10000 in case 1 since 03-05; reminded."""
    cli_company(run)
    (cli_business if business else cli_consumer)(run)
    for args, on in (
        (("invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25"), "2026-02-16"),
        (("collection", "send", "1"), "2026-03-05"),
        (("run", "--to", "2026-03-09"), "2026-03-05"),
    ):
        done = run(*args, date=on)
        assert done.exit_code == 0, done.output


def _scope(uow_factory: UnitOfWorkFactory, actor: Actor = COMMAND_LINE) -> Scope:
    return Scope(builders.scope(uow_factory).company_id, actor, DAY)


def _rows(uow_factory: UnitOfWorkFactory) -> dict[str, object]:
    with uow_factory(_scope(uow_factory)) as uow:
        assert isinstance(uow, SqlUnitOfWork)
        return {
            t: sorted(map(tuple, uow.connection.execute(text(f"SELECT * FROM {t}"))), key=repr)
            for t in ("payment_plan", "payment_plan_instalment", "case_event", "collection_case")
        }


def instalments(count: int, first: date = date(2026, 3, 20)) -> Proposal:
    return Proposal(PlanKind.INSTALMENTS, first, count=count)


def test_inside_the_limits_the_plan_runs_at_once_and_the_case_waits_in_the_plan_state(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _case(run)
    scope = _scope(uow_factory, debtor(1))
    answer = propose_plan(1, instalments(4), scope, uow_factory, BOOK, pin_key=PIN_KEY)
    assert answer.decision.outcome is Outcome.ACCEPTED
    assert answer.plan.state is PlanState.RUNNING
    assert [i.amount for i in answer.plan.instalments] == [Decimal(625)] * 4
    assert answer.plan.decided_by == "agreement (automatic)"
    again = propose_plan(1, instalments(4), scope, uow_factory, BOOK, pin_key=PIN_KEY)
    assert again.repeated and again.plan == answer.plan
    with uow_factory(scope) as uow:
        found = uow.collection.status(1)
    assert found is not None and found[1].state.value == "plan"
    assert found[1].resume_state is not None and found[1].resume_state.value == "reminded"


def test_outside_the_limits_it_waits_until_the_creditor_accepts(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _case(run, business=True)  # the agreement gives businesses no plan at once
    proposed = propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    assert proposed.decision.outcome is Outcome.WAITING
    assert [r.code for r in proposed.decision.reasons] == ["NOT_AUTOMATIC"]
    assert [p.case_number for p in waiting_plans(_scope(uow_factory), uow_factory)] == [1]
    manager = Actor(ActorKind.USER, "Per", Role.FINANCE_USER.value)
    decided = decide_plan(
        1, True, "ok", _scope(uow_factory, manager), uow_factory, BOOK, pin_key=PIN_KEY
    )
    assert decided.plan.state is PlanState.RUNNING and decided.plan.decided_by == "Per"
    repeated = decide_plan(
        1, True, "ok", _scope(uow_factory, manager), uow_factory, BOOK, pin_key=PIN_KEY
    )
    assert repeated.repeated
    assert waiting_plans(_scope(uow_factory), uow_factory) == []
    ended = break_plan(1, "", _scope(uow_factory), uow_factory)
    assert ended.state is PlanState.BROKEN
    assert break_plan(1, "", _scope(uow_factory), uow_factory) == ended  # again: nothing
    assert [p.state for p in plans_of_case(1, _scope(uow_factory), uow_factory)] == [
        PlanState.BROKEN
    ]


def test_the_creditor_may_reject_and_a_read_only_user_may_not_decide(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _case(run, business=True)
    propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    reader = Actor(ActorKind.USER, "Lise", Role.READ_ONLY.value)
    before = _rows(uow_factory)
    with pytest.raises(Forbidden):
        decide_plan(1, True, "", _scope(uow_factory, reader), uow_factory, BOOK, pin_key=PIN_KEY)
    with pytest.raises(Forbidden):
        propose_plan(
            1, instalments(3), _scope(uow_factory, reader), uow_factory, BOOK, pin_key=PIN_KEY
        )
    assert _rows(uow_factory) == before
    rejected = decide_plan(
        1, False, "too long", _scope(uow_factory), uow_factory, BOOK, pin_key=PIN_KEY
    )
    assert rejected.plan.state is PlanState.REJECTED


@pytest.mark.parametrize(
    ("proposal", "field"),
    [
        (instalments(3, date(2026, 3, 9)), "first_date"),  # before the business date
        (Proposal(PlanKind.INSTALMENTS, DAY, count=2, amount=Decimal(100)), "count"),
    ],
)
def test_a_refused_proposal_writes_nothing(
    run: Run, uow_factory: UnitOfWorkFactory, proposal: Proposal, field: str
) -> None:
    _case(run)
    before = _rows(uow_factory)
    with pytest.raises(InvalidInput) as refused:
        propose_plan(
            1, proposal, _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
        )
    assert field in {p.field for p in refused.value.problems}
    assert _rows(uow_factory) == before


def test_the_debtor_reaches_only_the_own_case(run: Run, uow_factory: UnitOfWorkFactory) -> None:
    _case(run)
    before = _rows(uow_factory)
    with pytest.raises(InvalidInput) as refused:
        propose_plan(
            1, instalments(3), _scope(uow_factory, debtor(2)), uow_factory, BOOK, pin_key=PIN_KEY
        )
    assert refused.value.problems[0].code == "not_found"
    with pytest.raises(InvalidInput):
        plans_of_case(1, _scope(uow_factory, debtor(2)), uow_factory)
    assert _rows(uow_factory) == before


def test_a_second_different_proposal_is_refused_while_one_is_open(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _case(run)
    scope = _scope(uow_factory, debtor(1))
    propose_plan(1, instalments(3), scope, uow_factory, BOOK, pin_key=PIN_KEY)
    with pytest.raises(InvalidInput) as refused:
        propose_plan(1, instalments(4), scope, uow_factory, BOOK, pin_key=PIN_KEY)
    assert {p.code for p in refused.value.problems} == {"plan_open"}


@postgresql_only
def test_two_proposals_at_the_same_moment_make_one_plan(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _case(run)
    scope = _scope(uow_factory, debtor(1))
    outcome = race(
        lambda: propose_plan(1, instalments(3), scope, uow_factory, BOOK, pin_key=PIN_KEY),
        lambda: propose_plan(1, instalments(4), scope, uow_factory, BOOK, pin_key=PIN_KEY),
    )
    assert len(outcome.results) == 1
    assert len(outcome.of(InvalidInput)) + len(outcome.of(Conflict)) == 1
    with uow_factory(scope) as uow:
        assert isinstance(uow, SqlUnitOfWork)
        count = uow.connection.execute(text("SELECT count(*) FROM payment_plan")).scalar_one()
    assert count == 1


def test_closing_a_case_whose_plan_runs_ends_the_plan_and_resume_is_refused(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _case(run)
    propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    with pytest.raises(InvalidInput) as refused:
        change_case(1, CaseEvent.RESUME, "", _scope(uow_factory), uow_factory)
    assert refused.value.problems[0].code == "plan_runs"
    change_case(1, CaseEvent.CLOSE, "settled outside", _scope(uow_factory), uow_factory)
    (plan,) = plans_of_case(1, _scope(uow_factory), uow_factory)
    assert plan.state is PlanState.BROKEN
