"""The plan check's reads use indexes (issue 19): a case's payments since a plan was agreed
by (company, case, received_on), a case's plans by (company, case)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from tests.conftest import Run
from tests.integration.test_payment_plans import _case, _scope

from fordring.adapters.db.repositories.payment_plans import paid_since_query
from fordring.adapters.db.tables import payment_plan
from fordring.adapters.db.unit_of_work import SqlUnitOfWork
from fordring.domain.collection.payment_plan import PlanState
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.e2e


def test_the_indexes_for_a_cases_payments_and_plans_exist(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _case(run)
    with uow_factory(_scope(uow_factory)) as uow:
        assert isinstance(uow, SqlUnitOfWork)
        inspector = inspect(uow.connection)
        payment = {tuple(i["column_names"]) for i in inspector.get_indexes("payment")}
        plans = {tuple(i["column_names"]) for i in inspector.get_indexes("payment_plan")}
        assert ("company_id", "case_id", "received_on") in payment
        assert ("company_id", "case_id") in plans
        if uow.connection.dialect.name != "sqlite":
            return
        running = payment_plan.c.state == PlanState.RUNNING.value
        query = paid_since_query(running)
        compiled = query.compile(uow.connection, compile_kwargs={"literal_binds": True})
        explained = uow.connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        assert "ix_payment_company_id_case_id_received_on" in repr(explained)
