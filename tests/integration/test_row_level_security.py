"""PostgreSQL row-level security, the second line behind scoped repositories: inside a
scoped transaction even a raw query sees and changes only the scope's company's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import InternalError, ProgrammingError
from tests import builders
from tests.conftest import BACKEND
from tests.sql import connection

from fordring.adapters.db.unit_of_work import (
    GLOBAL_ROLE,
    TENANT_ROLE,
    SqlCompanyWithin,
    SqlUnitOfWorkFactory,
)
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


def test_a_read_for_one_company_acts_as_its_tenant_from_its_first_statement(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    """An unscoped transaction takes no role until it is used: a request that reads for
    its company (a GET with a key verified lately) begins read-only and takes the tenant
    role and the company in one query, the first it sends (not through SQLAlchemy: see
    test_driver_reads.py); what it reads and locks is confined as in any scoped
    transaction, and the transaction serves nothing else afterwards."""
    a, b = two
    assert isinstance(uow_factory, SqlUnitOfWorkFactory)
    engine = uow_factory.database.engine
    sent: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *rest: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with uow_factory.unscoped() as outer:
            assert sent == []
            with outer.within(a, reading=True) as uow:
                assert sent == []
                assert isinstance(uow, SqlCompanyWithin)
                sql = uow.connection.execute
                assert sql(text("SELECT current_user")).scalar() == TENANT_ROLE
                assert sql(text("SELECT DISTINCT company_id FROM customer")).scalars().all() == [a]
                hidden = text("SELECT count(*) FROM customer WHERE company_id = :b")
                assert sql(hidden, {"b": b}).scalar() == 0
                with pytest.raises(InternalError, match="read-only transaction"):
                    sql(text("SELECT id FROM customer WHERE company_id = :a FOR UPDATE"), {"a": a})
            with pytest.raises(RuntimeError, match="only reads"):
                outer.companies  # noqa: B018
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_an_unscoped_transaction_acts_as_the_global_role_before_its_first_statement(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    """Its repositories and its connection take the global role first, and a company's
    unit of work in it gives it back when left."""
    a, _ = two
    with uow_factory.unscoped() as outer:
        assert len(outer.companies.all()) == 2
        assert connection(outer).execute(text("SELECT current_user")).scalar() == GLOBAL_ROLE
    with uow_factory.unscoped() as outer:
        with outer.within(a) as uow:
            assert isinstance(uow, SqlCompanyWithin)
            assert uow.connection.execute(text("SELECT current_user")).scalar() == TENANT_ROLE
        assert connection(outer).execute(text("SELECT current_user")).scalar() == GLOBAL_ROLE
