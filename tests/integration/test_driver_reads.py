"""Reads sent through psycopg in one round trip (adapters/db/driver_reads.py) give the rows
SQLAlchemy gives for the same selects, in the unit of work's transaction and role: another
company's rows stay invisible. A read for a company begins its transaction read-only and
takes its role in one round trip, before any statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy import Integer, bindparam, event, func, select, text, type_coerce
from sqlalchemy.exc import InternalError, SQLAlchemyError
from tests import builders
from tests.conftest import BACKEND, Run, _admin
from tests.sql import connection

from fordring.adapters.db.driver_reads import DriverRead, read_together
from fordring.adapters.db.repositories.collection_case_contact import CONTACT_READS
from fordring.adapters.db.tables import invoice
from fordring.adapters.db.types import ExactDecimal, MoneyType
from fordring.adapters.db.unit_of_work import TENANT_ROLE, SqlCompanyWithin, SqlUnitOfWorkFactory
from fordring.domain.text_input import parse_customer_details
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.payment_reports import report_payment
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.objections import ObjectionRecord
from fordring.services.scope import COMMAND_LINE, Scope

_LINES = (
    select(
        invoice.c.company_id,
        invoice.c.number,
        invoice.c.due_date,
        invoice.c.total_nok,
        # money of another scale than the column's (numeric / 3): quantized to øre or not
        type_coerce(invoice.c.total_nok / 3, MoneyType()).label("third"),
    )
    .where(invoice.c.kind == "invoice")  # a constant the select binds itself
    .where(invoice.c.company_id == bindparam("company_id", type_=Integer))
    .order_by(invoice.c.company_id, invoice.c.number)
)
_SUM = select(
    type_coerce(func.sum(invoice.c.open_amount), MoneyType()).label("open"),
    func.count().label("n"),
).where(
    (invoice.c.number >= select(func.min(invoice.c.number)).scalar_subquery())
    & (invoice.c.company_id == bindparam("company_id", type_=Integer))
)
_READS = (DriverRead(_LINES), DriverRead(_SUM), DriverRead(_LINES))
_EVERY_COMPANYS = DriverRead(select(invoice.c.company_id))  # row-level security's to confine


@pytest.fixture
def two(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    """Company A with two invoices, company B with one."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Bravo AS")
    a_customer = builders.consumer(uow_factory)
    builders.invoice(uow_factory, a_customer, "Time;1;100.5;25")
    builders.invoice(uow_factory, a_customer)
    b_scope = builders.scope(uow_factory, builders.OTHER_ORGNR)
    fields = {"kind": "consumer", "name": "Bravo Kunde", "address": "Vei 1", "city": "Oslo"}
    b_customer = add_customer(NewCustomer(parse_customer_details(fields)), b_scope, uow_factory)
    builders.invoice(uow_factory, b_customer.number, orgnr=builders.OTHER_ORGNR)
    return builders.scope(uow_factory).company_id, b_scope.company_id


@pytest.mark.skipif(BACKEND != "postgresql", reason="on SQLite the reads are SQLAlchemy's")
def test_the_reads_give_sqlalchemys_rows_for_the_scopes_company_only(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    a, _ = two
    with uow_factory(builders.scope(uow_factory)) as uow:
        sql = connection(uow)
        lines, total, again = read_together(sql, _READS, {"company_id": a})
        expected = [list(sql.execute(r.statement, {"company_id": a}).all()) for r in _READS]
    assert [[tuple(r) for r in rows] for rows in (lines, total, again)] == [
        [tuple(r) for r in rows] for rows in expected
    ]
    assert [r.company_id for r in lines] == [a, a]
    assert [str(r.total_nok) for r in lines] == ["125.63", "2500.00"]  # money in øre
    assert [str(r.third) for r in lines] == ["41.88", "833.33"]  # PostgreSQL sent more
    assert str(total[0].open) == "2625.63" and total[0].n == 2
    assert lines == again


@pytest.mark.skipif(BACKEND != "postgresql", reason="the one round trip is PostgreSQL's")
def test_a_read_begins_read_only_as_its_company_before_any_statement(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    a, b = two
    assert isinstance(uow_factory, SqlUnitOfWorkFactory)
    engine = uow_factory.database.engine
    sent: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *rest: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with uow_factory.unscoped() as outer, outer.within(a, reading=True) as uow:
            assert sent == []  # BEGIN and the role went as one query, not through SQLAlchemy
            assert isinstance(uow, SqlCompanyWithin)
            sql = uow.connection.execute
            taken = "SELECT current_user, current_setting('app.company_id'), "
            taken += "current_setting('transaction_read_only')"
            assert tuple(sql(text(taken)).one()) == (TENANT_ROLE, str(a), "on")
            (seen_rows,) = read_together(uow.connection, [_EVERY_COMPANYS], {})
            assert {r.company_id for r in seen_rows} == {a}  # its role, in its transaction
            with pytest.raises(InternalError, match="read-only transaction"):
                sql(text("UPDATE customer SET name = 'x' WHERE company_id = :b"), {"b": b})
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_a_read_after_the_global_role_was_taken_is_read_only_for_its_company(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    """A request whose key was looked up (as the global role) then reads for its company:
    its transaction has begun, so the role and read-only are set in it."""
    a, _ = two
    with uow_factory.unscoped() as outer:
        assert len(outer.companies.all()) == 2
        with outer.within(a, reading=True) as uow:
            assert isinstance(uow, SqlCompanyWithin)
            (lines,) = read_together(uow.connection, _READS[:1], {"company_id": a})
            assert {r.company_id for r in lines} == {a}
            if BACKEND == "postgresql":
                read_only = text("SELECT current_setting('transaction_read_only')")
                assert uow.connection.execute(read_only).scalar() == "on"


@pytest.mark.skipif(BACKEND != "postgresql", reason="psycopg's BEGIN is PostgreSQL's")
def test_a_connection_with_an_isolation_level_of_its_own_begins_as_psycopg_would(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    """psycopg's BEGIN would carry the isolation level; ours would not, so it is not sent:
    the role and read-only are set in the transaction psycopg begins."""
    a, _ = two
    assert isinstance(uow_factory, SqlUnitOfWorkFactory)
    with uow_factory.unscoped() as outer:
        driver = outer.bare.connection.driver_connection  # no role taken: nothing begun
        assert isinstance(driver, psycopg.Connection)
        driver.isolation_level = psycopg.IsolationLevel.SERIALIZABLE
        try:
            with outer.within(a, reading=True) as uow:
                assert isinstance(uow, SqlCompanyWithin)
                taken = "SELECT current_user, current_setting('app.company_id'), "
                taken += "current_setting('transaction_read_only'), "
                taken += "current_setting('transaction_isolation')"
                row = tuple(uow.connection.execute(text(taken)).one())
                assert row == (TENANT_ROLE, str(a), "on", "serializable")
        finally:
            outer.transaction.rollback()
            driver.isolation_level = None


@pytest.mark.skipif(BACKEND != "postgresql", reason="the pool is PostgreSQL's")
def test_a_connection_lost_on_beginning_a_read_is_invalidated(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    a, _ = two
    assert isinstance(uow_factory, SqlUnitOfWorkFactory)
    with uow_factory.unscoped() as outer:
        sql = outer.bare  # no role taken: nothing begun
        driver = sql.connection.driver_connection
        assert isinstance(driver, psycopg.Connection)
        admin = _admin()
        try:
            with admin.connect() as other:
                killing = text("SELECT pg_terminate_backend(:p)")
                assert other.execute(killing, {"p": driver.info.backend_pid}).scalar()
        finally:
            admin.dispose()
        with pytest.raises(psycopg.DatabaseError), outer.within(a, reading=True):
            pass
        assert driver.broken and sql.invalidated  # the pool will not hand it out again


def test_a_bind_missing_from_the_params_is_an_error_not_null(
    uow_factory: UnitOfWorkFactory, two: tuple[int, int]
) -> None:
    """psycopg would send NULL for it: no rows, as if the case were not there."""
    missing = pytest.raises(SQLAlchemyError, match="required for bind parameter 'company_id'")
    with uow_factory(builders.scope(uow_factory)) as uow, missing:
        read_together(connection(uow), _READS[:1], {"number": 1})


def test_a_column_needing_result_processing_other_than_moneys_is_refused() -> None:
    with pytest.raises(TypeError, match="ExactDecimal"):
        DriverRead(select(type_coerce(invoice.c.total_nok, ExactDecimal()).label("q")))


def _case_with_contact(run: Run, uow_factory: UnitOfWorkFactory, orgnr: str, who: str) -> int:
    """Case 1 of company `orgnr` with the debtor's payment report, a plan of three
    instalments and two objections (issue 19's reads of a case lookup); its id."""

    def ok(*args: str, day: str) -> None:
        done = run("--company", orgnr, *args, date=day)
        assert done.exit_code == 0, done.output

    builders.cli_case_1(run, orgnr)
    ok("run", "--to", "2026-03-09", day="2026-03-05")
    scope = Scope(builders.scope(uow_factory, orgnr).company_id, COMMAND_LINE, date(2026, 3, 10))
    report_payment(1, date(2026, 3, 9), Decimal("100.10"), f"{who} betalte", scope, uow_factory)
    ok("collection", "plan", "propose", "1", "--instalments", "3", "--first", "2026-03-20",
       day="2026-03-10")  # fmt: skip
    with uow_factory(scope) as uow:
        found = uow.collection.status(1)
        assert found is not None
        for text_ in (f"{who} sier", f"{who} igjen"):
            record = ObjectionRecord(None, found[0], scope.business_date, "debtor", "other",
                                     text_, False, None)  # fmt: skip
            uow.objections.add(record)
        uow.commit()
        return found[0]


def test_a_case_lookup_reads_the_reports_plans_and_objections_its_repositories_read(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    """Issue 19's reads in the lookup's one round trip give the records (and, through
    psycopg, the rows) the repositories' own methods give, of the company's case only."""
    builders.cli_company(run)
    builders.cli_other_company(run)
    b_case = _case_with_contact(run, uow_factory, builders.OTHER_ORGNR, "B")
    a_case = _case_with_contact(run, uow_factory, builders.ORGNR, "A")
    a = builders.scope(uow_factory).company_id
    with uow_factory(builders.scope(uow_factory)) as uow:
        found = uow.collection.case_reading(1, date(2026, 3, 10))
        assert found is not None
        assert found.reports == uow.debtor_contact.payment_reports(1)
        assert found.plans == uow.plans.plans(1)
        assert found.objections == uow.objections.of_case(a_case)
        assert uow.collection.case_reading(2, date(2026, 3, 10)) is None
        params = {"company_id": a, "number": 1}
        sql = connection(uow)
        rows = read_together(sql, CONTACT_READS, params)
        expected = [list(sql.execute(r.statement, params).all()) for r in CONTACT_READS]
        nothing = read_together(sql, CONTACT_READS, {"company_id": a, "number": 2})
    assert [r.note for r in found.reports] == ["A betalte"]
    assert [str(r.amount) for r in rows[0]] == ["100.10"]  # money in øre
    assert [len(p.instalments) for p in found.plans] == [3]
    assert {p.case_id for p in found.plans} == {o.case_id for o in found.objections} == {a_case}
    assert [o.text for o in found.objections] == ["A sier", "A igjen"] and a_case != b_case
    assert [[tuple(r) for r in x] for x in rows] == [[tuple(r) for r in x] for x in expected]
    assert nothing == [[], [], [], []]
