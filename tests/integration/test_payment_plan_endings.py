"""A case's plans end with the case (issue 19): objected to, paused or closed while a plan
runs, the plan ends in the same transaction and a proposal waiting is rejected; the case
resumes later where it stood before the plan."""

from __future__ import annotations

import pytest
from tests.conftest import Run
from tests.integration.test_payment_plans import BOOK, _case, _scope, instalments

from fordring.domain.collection.payment_plan import PlanState
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.services.collection import change_case
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
    propose_plan(1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK)
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
    propose_plan(1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK)
    change_case(1, event, "", _scope(uow_factory), uow_factory)
    (plan,) = plans_of_case(1, _scope(uow_factory), uow_factory)
    assert plan.state is PlanState.REJECTED
