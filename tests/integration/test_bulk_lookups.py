"""Bulk lookups and open-amount moves in one statement behave as the chunked ones did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Connection, select
from tests import builders

from fordring.adapters.db.chunks import rows_where_any, rows_where_in
from fordring.adapters.db.tables import company, customer, delivery_attempt, dispatch, invoice
from fordring.adapters.db.unit_of_work import SqlGlobalUnitOfWork, SqlUnitOfWork
from fordring.services.ports import (
    AttemptRecord,
    DispatchDone,
    GlobalUnitOfWork,
    NewDispatch,
    UnitOfWork,
    UnitOfWorkFactory,
)

pytestmark = pytest.mark.integration
DAY = builders.DAY


def _company_invoices(uow_factory: UnitOfWorkFactory, count: int) -> list[int]:
    builders.company(uow_factory)
    customer = builders.business(uow_factory)
    return [builders.invoice(uow_factory, customer).invoice.number for _ in range(count)]


def _connection(uow: UnitOfWork | GlobalUnitOfWork) -> Connection:
    assert isinstance(uow, (SqlUnitOfWork, SqlGlobalUnitOfWork))
    return uow.connection


def test_one_statement_lookup_finds_what_the_chunked_one_finds(
    uow_factory: UnitOfWorkFactory,
) -> None:
    numbers = _company_invoices(uow_factory, 3)
    # More keys than a chunk held, duplicates, and keys nobody has.
    wanted = [*numbers, *numbers, *range(10_000, 17_000)]
    query = select(invoice.c.number, invoice.c.kid, invoice.c.id)
    with uow_factory(builders.scope(uow_factory)) as uow:
        connection = _connection(uow)
        once = rows_where_any(connection, query, invoice.c.number, wanted)
        chunked = rows_where_in(connection, query, invoice.c.number, wanted)
        kids = [r.kid for r in chunked]
        by_kid = rows_where_any(connection, query, invoice.c.kid, [*kids, "0000000000"])
        nothing = rows_where_any(connection, query, invoice.c.id, [])
    assert sorted(map(tuple, once)) == sorted(map(tuple, chunked))
    assert len(once) == 3
    assert sorted(r.kid for r in by_kid) == sorted(kids)
    assert nothing == []


def test_open_amounts_of_many_invoices_move_in_one_call(uow_factory: UnitOfWorkFactory) -> None:
    numbers = _company_invoices(uow_factory, 3)
    scope = builders.scope(uow_factory)
    with uow_factory(scope) as uow:
        stored = [uow.invoices.get(n) for n in numbers]
        ids = [s.id for s in stored if s is not None]
        uow.invoices.add_to_open_amounts(
            {ids[0]: Decimal("-100.01"), ids[1]: Decimal("0.99"), ids[2]: Decimal("-2500.00")}
        )
        uow.commit()
    with uow_factory(scope) as uow:
        after = [uow.invoices.get(n) for n in numbers]
    assert [a.open_amount for a in after if a is not None] == [
        Decimal("2399.99"),
        Decimal("2500.99"),
        Decimal("0.00"),
    ]


def test_one_statement_lookup_does_not_cut_a_longer_value_to_the_columns_length(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    query = select(company.c.orgnr)
    with uow_factory.unscoped() as uow:
        longer = rows_where_any(_connection(uow), query, company.c.orgnr, [builders.ORGNR + "0"])
        exact = rows_where_any(_connection(uow), query, company.c.orgnr, [builders.ORGNR])
    assert longer == []
    assert [r.orgnr for r in exact] == [builders.ORGNR]


def test_one_statement_lookup_finds_values_with_quotes_backslashes_commas_and_braces(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """PostgreSQL gets the values as one array literal (chunks.array_text): each must
    arrive as it was, whatever it holds."""
    builders.company(uow_factory)
    names = ['Kari "Sitat" Nordmann', "Ola \\ Nordmann", "Per, {Pål} og Espen", "NULL", "æøå"]
    for name in names:
        builders.consumer(uow_factory, name)
    query = select(customer.c.name)
    with uow_factory(builders.scope(uow_factory)) as uow:
        found = rows_where_any(_connection(uow), query, customer.c.name, [*names, "Nobody"])
    assert sorted(r.name for r in found) == sorted(names)


def test_recording_a_batch_writes_every_attempt_and_outcome_as_given(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """PostgreSQL records a delivery batch in one statement for the attempts and one for
    the dispatches (arrays as text, chunks.array_text): each text, moment and day must
    arrive as it was, a missing post day as NULL, in the order given."""
    builders.company(uow_factory)
    buyer = builders.business(uow_factory)
    stored = [builders.invoice(uow_factory, buyer).invoice for _ in range(3)]
    invoices = [i.id for i in stored]
    buyer = stored[0].customer_id
    oslo = timezone(timedelta(hours=1))
    with uow_factory(builders.scope(uow_factory)) as uow:
        uow.deliveries.queue([NewDispatch("invoice", buyer, DAY, invoice_id=i) for i in invoices])
        ids = [w.id for w in uow.deliveries.waiting(10)]
        details = ['svar "nei", {kø} \\ 5', "NULL", "linje 1\nlinje 2", "", "æøå"]
        outcomes = ["failed", "skipped", "sent", "failed", "sent"]
        attempts = [
            AttemptRecord(ids[n % 3], "email", datetime(2026, 3, 16, 10, n, 7, 123456, oslo), o, d)
            for n, (o, d) in enumerate(zip(outcomes, details, strict=True))
        ]
        done = [
            DispatchDone(ids[0], "sent", "paper", DAY, DAY + timedelta(days=1), "faktura-1"),
            DispatchDone(ids[1], "failed", "", DAY, None, "ikke brukt"),
            DispatchDone(ids[2], "sent", "email", DAY),
        ]
        uow.deliveries.record(attempts, done)
        connection = _connection(uow)
        logged = connection.execute(
            select(
                delivery_attempt.c.dispatch_id,
                delivery_attempt.c.channel,
                delivery_attempt.c.at,
                delivery_attempt.c.outcome,
                delivery_attempt.c.detail,
            ).order_by(delivery_attempt.c.id)
        ).all()
        states = connection.execute(
            select(
                dispatch.c.id,
                dispatch.c.state,
                dispatch.c.channel,
                dispatch.c.delivered_on,
                dispatch.c.post_day,
                dispatch.c.paper_name,
            ).order_by(dispatch.c.id)
        ).all()
        uow.commit()
    assert [(r.dispatch_id, r.channel, r.outcome, r.detail) for r in logged] == [
        (a.dispatch_id, a.channel, a.outcome, a.detail) for a in attempts
    ]
    assert [r.at.replace(tzinfo=r.at.tzinfo or UTC) for r in logged] == [a.at for a in attempts]
    assert [tuple(r) for r in states] == [
        (ids[0], "sent", "paper", DAY, DAY + timedelta(days=1), "faktura-1"),
        (ids[1], "failed", "", DAY, None, None),
        (ids[2], "sent", "email", DAY, None, None),
    ]
