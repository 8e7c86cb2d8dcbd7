"""A case's plans end with the case (issue 19): objected to, paused or closed while a plan
runs, the plan ends in the same transaction and a proposal waiting is rejected; the case
resumes later where it stood before the plan."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from tests.builders import PIN_KEY
from tests.conftest import Run
from tests.integration.test_payment_plans import BOOK, DAY, _case, _scope, instalments

from fordring.adapters.db.unit_of_work import SqlUnitOfWork
from fordring.domain.collection.payment_plan import PlanState
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.services.case_changes import change_case
from fordring.services.payment_plans import propose_plan
from fordring.services.plan_decisions import plans_of_case
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import debtor

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("event", "held"), [(CaseEvent.OBJECT, CaseState.OBJECTED), (CaseEvent.PAUSE, CaseState.PAUSED)]
)
def test_a_plan_case_objected_or_paused_ends_its_plan_and_resumes_where_it_stood_before(
    run: Run, uow_factory: UnitOfWorkFactory, event: CaseEvent, held: CaseState
) -> None:
    _case(run)  # reminded
    propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    changed = change_case(1, event, "", _scope(uow_factory), uow_factory)
    assert (changed.status.state, changed.status.resume_state) == (held, CaseState.REMINDED)
    (plan,) = plans_of_case(1, _scope(uow_factory), uow_factory)
    assert plan.state is PlanState.BROKEN
    resumed = change_case(1, CaseEvent.RESUME, "", _scope(uow_factory), uow_factory)
    assert resumed.status.state is CaseState.REMINDED


@pytest.mark.parametrize("event", [CaseEvent.CLOSE, CaseEvent.OBJECT])
def test_closing_or_objecting_rejects_a_proposal_waiting(
    run: Run, uow_factory: UnitOfWorkFactory, event: CaseEvent
) -> None:
    _case(run, business=True)  # a business's proposal waits for the creditor
    propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    change_case(1, event, "", _scope(uow_factory), uow_factory)
    (plan,) = plans_of_case(1, _scope(uow_factory), uow_factory)
    assert plan.state is PlanState.REJECTED


def _close_behind_the_plans_back(uow_factory: UnitOfWorkFactory, reason: str) -> None:
    """Case 1 closed by a path that does not end plans itself (a credit note, a merge)."""
    with uow_factory(_scope(uow_factory)) as uow:
        assert isinstance(uow, SqlUnitOfWork)
        uow.connection.execute(
            text("UPDATE collection_case SET state = 'closed', closed_reason = :r"), {"r": reason}
        )
        uow.commit()


@pytest.mark.parametrize(
    ("business", "reason", "kind", "state"),
    [
        (False, "credited", "plan_broken", PlanState.BROKEN),  # not "every instalment is paid"
        (False, "paid", "plan_completed", PlanState.COMPLETED),
        (True, "merged", "plan_rejected", PlanState.REJECTED),  # a proposal waiting
    ],
)
def test_the_run_ends_the_plans_left_open_on_a_closed_case_once(
    run: Run,
    uow_factory: UnitOfWorkFactory,
    business: bool,
    reason: str,
    kind: str,
    state: PlanState,
) -> None:
    _case(run, business=business)
    propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    _close_behind_the_plans_back(uow_factory, reason)
    for _ in range(2):  # the same day again changes nothing
        done = run("run", "--to", "2026-04-30", date="2026-03-10")
        assert done.exit_code == 0, done.output
    (plan,) = plans_of_case(1, _scope(uow_factory), uow_factory)
    assert plan.state is state
    with uow_factory(_scope(uow_factory)) as uow:
        kinds = [e.kind.value for e in uow.collection.history(1)]
    assert kinds.count(kind) == 1 and "plan_reminder" not in kinds


def test_ending_a_plan_already_ended_changes_nothing_and_says_so(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    """The run read the plan running; the creditor broke it first: the run's guarded
    update changes nothing, so it writes no history for it."""
    _case(run)
    answer = propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    change_case(1, CaseEvent.CLOSE, "", _scope(uow_factory), uow_factory)
    with uow_factory(_scope(uow_factory)) as uow:
        assert uow.plans.end([(answer.plan.id, PlanState.COMPLETED)], DAY) == set()
        assert uow.plans.remind([(answer.plan.id, 1, DAY)]) == set()
        (plan,) = uow.plans.plans(1)
    assert plan.state is PlanState.BROKEN and plan.reminded_for is None
