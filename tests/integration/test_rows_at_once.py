"""Many rows by one statement (adapters/db/rows_at_once.py) store what a statement per
row stored: every value as it was given, the company's rows only, the last of a row
given twice; a value too long for its column refused, never cut short."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError, StatementError
from tests import builders

from fordring.adapters.db.rows_at_once import insert_rows, update_rows
from fordring.adapters.db.tables import collection_case, collection_setting, customer, invoice
from fordring.adapters.db.unit_of_work import SqlGlobalUnitOfWork, SqlUnitOfWork
from fordring.domain.collection.case import CaseStatus, CloseReason
from fordring.domain.collection.case_facts import NEVER
from fordring.domain.collection.states import CaseState
from fordring.services.ports import GlobalUnitOfWork, UnitOfWork, UnitOfWorkFactory

pytestmark = pytest.mark.integration

ODD = ['Kari "Sitat"', "Ola \\ Nordmann", "Per, {Pål} og Espen", "NULL", "", "to\nlinjer", "æøå"]


def _connection(uow: UnitOfWork | GlobalUnitOfWork) -> Connection:
    assert isinstance(uow, (SqlUnitOfWork, SqlGlobalUnitOfWork))
    return uow.connection


def test_inserted_rows_hold_every_value_as_given(uow_factory: UnitOfWorkFactory) -> None:
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    rows = [
        {"company_id": scope.company_id, "key": f"k{i}", "value": value}
        for i, value in enumerate(ODD)
    ]
    with uow_factory(scope) as uow:
        insert_rows(_connection(uow), collection_setting, rows)
        uow.commit()
    with uow_factory(scope) as uow:
        stored = _connection(uow).execute(
            select(collection_setting.c.key, collection_setting.c.value).where(
                collection_setting.c.key.like("k%")
            )
        )
        assert {r.key: r.value for r in stored} == {r["key"]: r["value"] for r in rows}


def test_updated_rows_are_the_companys_and_a_row_given_twice_keeps_its_last_values(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    numbers = [builders.consumer(uow_factory, f"Kunde {i}") for i in range(3)]
    with uow_factory(scope) as uow:
        ids = [
            _connection(uow)
            .execute(select(customer.c.id).where(customer.c.number == n))
            .scalar_one()
            for n in numbers
        ]
        update_rows(
            _connection(uow),
            customer,
            [
                {"id": ids[0], "name": ODD[0], "birth_date": date(1990, 5, 17)},
                {"id": ids[1], "name": ODD[1], "birth_date": None},
                {"id": ids[0], "name": ODD[2], "birth_date": date(1991, 1, 1)},
            ],
            scope.company_id,
        )
        uow.commit()
    with uow_factory.unscoped() as uow:  # no row-level security: the condition alone
        update_rows(_connection(uow), customer, [{"id": ids[2], "name": "x"}], scope.company_id + 1)
        uow.commit()
    with uow_factory(scope) as uow:
        stored = _connection(uow).execute(
            select(customer.c.name, customer.c.birth_date)
            .where(customer.c.id.in_(ids))
            .order_by(customer.c.id)
        )
        assert [tuple(r) for r in stored] == [
            (ODD[2], date(1991, 1, 1)),
            (ODD[1], None),
            ("Kunde 2", None),
        ]


def test_money_is_never_a_float(uow_factory: UnitOfWorkFactory) -> None:
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    with (
        uow_factory(scope) as uow,
        pytest.raises((TypeError, StatementError)),
    ):
        update_rows(_connection(uow), invoice, [{"id": 1, "open_amount": 1.5}], scope.company_id)


def test_a_value_too_long_for_its_column_is_refused_not_cut(
    uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite keeps any length")
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    row = {"company_id": scope.company_id, "key": "k" * 41, "value": "v"}
    with uow_factory(scope) as uow, pytest.raises(DBAPIError):
        insert_rows(_connection(uow), collection_setting, [row])


def test_the_steps_statuses_and_wake_up_days_are_one_write_per_case_as_two_were(
    run: Any, uow_factory: UnitOfWorkFactory
) -> None:
    """A changed case takes its day from the wake-up days (else the next run; closed:
    never), a case only woken keeps its status, a day given twice its last."""
    builders.cli_case_of_one_invoice(run)
    for number in ("2", "3"):
        run(
            "invoice", "create", "--customer", "10000", "--line", "Ting;1;100;25", date="2026-02-16"
        )
        assert run("collection", "send", number, date="2026-03-05").exit_code == 0
    scope = builders.scope(uow_factory)
    with uow_factory(scope) as uow:
        ids = list(
            _connection(uow)
            .execute(select(collection_case.c.id).order_by(collection_case.c.number))
            .scalars()
        )
        assert len(ids) == 3
        uow.collection.save_steps(
            [
                (ids[0], CaseStatus(CaseState.CLOSED, closed_reason=CloseReason.PAID)),
                (ids[1], CaseStatus(CaseState.REMINDED)),
            ],
            [(ids[1], date(2026, 4, 1)), (ids[2], date(2026, 5, 1)), (ids[2], date(2026, 6, 1))],
        )
        uow.commit()
    with uow_factory(scope) as uow:
        stored = _connection(uow).execute(
            select(collection_case.c.state, collection_case.c.wake_on).order_by(
                collection_case.c.number
            )
        )
        assert [tuple(r) for r in stored] == [
            ("closed", NEVER),
            ("reminded", date(2026, 4, 1)),
            ("registered", date(2026, 6, 1)),
        ]
