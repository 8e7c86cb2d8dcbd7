"""PostgreSQL row-level security, the second line behind scoped repositories: inside a
scoped transaction even a raw query sees and changes only the scope's company's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from tests import builders
from tests.conftest import BACKEND
from tests.sql import connection

from fordring.adapters.db.unit_of_work import GLOBAL_ROLE, TENANT_ROLE
from fordring.domain.text_input import parse_customer_details
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql", reason="row-level security is PostgreSQL's"
)


@pytest.fixture
def two(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    """Company A and company B, one customer each."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Bravo AS")
    builders.consumer(uow_factory)
    b_scope = builders.scope(uow_factory, builders.OTHER_ORGNR)
    fields = {"kind": "consumer", "name": "Bravo Kunde", "address": "Vei 1", "city": "Oslo"}
    details = parse_customer_details(fields)
    b_customer = add_customer(NewCustomer(details), b_scope, uow_factory).number
    builders.invoice(uow_factory, b_customer, orgnr=builders.OTHER_ORGNR)
    return builders.scope(uow_factory).company_id, b_scope.company_id


def test_a_raw_query_in_a_scoped_transaction_sees_only_the_scopes_company(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    a, b = two
    with uow_factory(builders.scope(uow_factory)) as uow:
        sql = connection(uow).execute
        assert sql(text("SELECT current_user")).scalar() == TENANT_ROLE
        assert (
            sql(text("SELECT count(*) FROM customer WHERE company_id = :b"), {"b": b}).scalar() == 0
        )
        assert sql(text("SELECT DISTINCT company_id FROM customer")).scalars().all() == [a]
        assert sql(text("SELECT id FROM company")).scalars().all() == [a]
        changed = sql(text("UPDATE customer SET name = 'x' WHERE company_id = :b"), {"b": b})
        assert changed.rowcount == 0


def test_a_scoped_transaction_cannot_write_a_row_for_another_company(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    _, b = two
    scope = builders.scope(uow_factory)
    with uow_factory(scope) as uow, pytest.raises(ProgrammingError, match="row-level security"):
        connection(uow).execute(
            text("INSERT INTO run_log (company_id, day, ran_at) VALUES (:b, '2026-03-02', 'x')"),
            {"b": b},
        )


def test_the_unscoped_unit_of_work_sees_every_company(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    with uow_factory.unscoped() as uow:
        sql = connection(uow).execute
        assert sql(text("SELECT current_user")).scalar() == GLOBAL_ROLE
        assert sorted(sql(text("SELECT DISTINCT company_id FROM customer")).scalars()) == sorted(
            two
        )


def test_another_companys_postings_are_not_counted_as_orphans_in_a_scope(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    """Postings have no company_id: under row-level security company B's vouchers are
    hidden from A's scope, so the ledger check's global count reads as the owner."""
    with uow_factory(builders.scope(uow_factory)) as uow:
        assert uow.ledger.orphan_postings() == 0
