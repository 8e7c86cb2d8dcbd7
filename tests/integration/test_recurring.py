"""Recurring agreements on a real database: adding, refusing, issuing due periods in one
set-based batch, stopping, and each recurring invoice's period for its document."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event
from tests import builders
from tests.snapshot import snapshot

from fordring.domain.errors import InvalidInput, RuleViolation
from fordring.domain.recurring import Status, parse_interval
from fordring.domain.text_input import parse_customer_details, parse_line_spec
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.invoicing import show_invoice
from fordring.services.ledger import check_ledger
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.recurring import (
    IssuedPeriod,
    NewAgreement,
    add_agreement,
    issue_due,
    list_agreements,
    show_agreement,
    stop_agreement,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def customer(uow_factory: UnitOfWorkFactory) -> int:
    builders.company(uow_factory)
    return builders.business(uow_factory)


def rent(customer: int, **changes: Any) -> NewAgreement:
    fields: dict[str, Any] = {
        "customer_number": customer,
        "text": "Husleie",
        "lines": ["Husleie;1;12000;0", "Parkering;1;500;25"],
        "interval": "monthly",
        "issue_day": 1,
        "start": date(2026, 3, 1),
    }
    fields.update(changes)
    fields["lines"] = [parse_line_spec(spec) for spec in fields["lines"]]
    fields["interval"] = parse_interval(fields["interval"])
    return NewAgreement(**fields)


def run_day(uow_factory: UnitOfWorkFactory, day: date) -> list[IssuedPeriod]:
    with uow_factory(builders.scope(uow_factory)) as uow:
        issued = issue_due(uow, uow.company.current(), day)
        uow.commit()
    return issued


@contextmanager
def statements(uow: Any) -> Iterator[list[str]]:
    """Every SQL statement run on the unit of work's connection while inside."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(uow.connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(uow.connection, "before_cursor_execute", record)


def test_an_agreement_is_numbered_and_knows_its_first_period(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    view = add_agreement(
        rent(customer, advance_months=1, issue_day=15), builders.scope(uow_factory), uow_factory
    )
    assert view.stored.number == 1
    assert view.status is Status.ACTIVE
    assert view.stored.agreement.terms_days == 14  # the company's default
    assert view.stored.agreement.total == Decimal("12625.00")
    assert (view.stored.next_period, view.stored.next_issue_on) == (
        date(2026, 3, 1),
        date(2026, 3, 1),  # February 15 is before the start
    )
    assert view.upcoming_text == "Husleie mars 2026"
    second = add_agreement(rent(customer, terms_days=30), builders.scope(uow_factory), uow_factory)
    assert second.stored.number == 2
    assert second.stored.agreement.terms_days == 30
    assert [v.stored.number for v in list_agreements(builders.scope(uow_factory), uow_factory)] == [
        1,
        2,
    ]


def test_a_bad_agreement_names_every_field_and_writes_nothing(
    uow_factory: UnitOfWorkFactory, customer: int, database_url: str
) -> None:
    before = snapshot(database_url)
    with pytest.raises(InvalidInput) as error:
        add_agreement(
            rent(
                99999,
                text="",
                lines=[],
                issue_day=30,
                start=date(2026, 3, 15),
            ),
            builders.scope(uow_factory),
            uow_factory,
        )
    fields = {p.field for p in error.value.problems}
    assert fields == {"line", "customer", "text", "issue_day", "start"}
    assert snapshot(database_url) == before


def test_an_agreement_that_could_never_be_issued_is_refused(
    uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    builders.company(uow_factory, vat_registered=False)
    customer = builders.business(uow_factory)
    with pytest.raises(InvalidInput, match="not VAT-registered"):
        add_agreement(rent(customer), builders.scope(uow_factory), uow_factory)
    with pytest.raises(InvalidInput, match="total must be positive"):
        add_agreement(
            rent(customer, lines=["Rabatt;-1;100;0"]), builders.scope(uow_factory), uow_factory
        )


def test_due_periods_are_issued_once_dated_the_day_with_their_period(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    add_agreement(rent(customer, issue_day=5), builders.scope(uow_factory), uow_factory)
    assert run_day(uow_factory, date(2026, 3, 4)) == []
    issued = run_day(uow_factory, date(2026, 5, 10))  # March, April and May caught up
    assert [(i.invoice_number, i.period_text) for i in issued] == [
        (1, "Husleie mars 2026"),
        (2, "Husleie april 2026"),
        (3, "Husleie mai 2026"),
    ]
    assert run_day(uow_factory, date(2026, 5, 10)) == []
    for i in issued:
        stored = show_invoice(i.invoice_number, builders.scope(uow_factory), uow_factory)
        assert stored.invoice.issue_date == date(2026, 5, 10)  # never backdated
        assert stored.invoice.due_date == date(2026, 5, 24)
        assert stored.invoice.total == i.total == Decimal("12625.00")
        assert [ln.description for ln in stored.invoice.lines] == ["Husleie", "Parkering"]
    view = show_agreement(1, builders.scope(uow_factory), uow_factory)
    assert [(p.period_start, p.period_end, p.invoice_number) for p in view.issued] == [
        (date(2026, 3, 1), date(2026, 3, 31), 1),
        (date(2026, 4, 1), date(2026, 4, 30), 2),
        (date(2026, 5, 1), date(2026, 5, 31), 3),
    ]
    assert (view.stored.next_period, view.stored.next_issue_on) == (
        date(2026, 6, 1),
        date(2026, 6, 5),
    )
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok


def test_a_day_with_nothing_due_reads_once_and_writes_nothing(
    uow_factory: UnitOfWorkFactory, customer: int, database_url: str
) -> None:
    add_agreement(rent(customer, issue_day=5), builders.scope(uow_factory), uow_factory)
    before = snapshot(database_url)
    with uow_factory(builders.scope(uow_factory)) as uow:
        company = uow.company.current()
        with statements(uow) as seen:
            assert issue_due(uow, company, date(2026, 3, 4)) == []
        uow.commit()
    assert len(seen) == 1
    assert "next_issue_on" in seen[0]
    assert snapshot(database_url) == before


def test_issuing_is_set_based_whatever_the_number_of_periods(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    """The statements run do not grow with the agreements or periods issued."""

    def count(day: date) -> tuple[int, int]:
        with uow_factory(builders.scope(uow_factory)) as uow:
            company = uow.company.current()
            with statements(uow) as seen:
                issued = issue_due(uow, company, day)
            uow.commit()
        return len(issued), len(seen)

    add_agreement(rent(customer), builders.scope(uow_factory), uow_factory)
    one = count(date(2026, 3, 1))
    for _ in range(3):
        add_agreement(
            rent(customer, start=date(2026, 4, 1)), builders.scope(uow_factory), uow_factory
        )
    many = count(date(2026, 7, 1))  # 4 agreements: 4 + 3 × 4 periods
    assert (one[0], many[0]) == (1, 16)
    assert one[1] == many[1]


def test_an_english_customer_gets_the_period_in_english(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    fields = {"kind": "consumer", "name": "Jane Doe", "language": "en", "address": "Vei 1"}
    details = parse_customer_details(fields)
    english = add_customer(NewCustomer(details), builders.scope(uow_factory), uow_factory).number
    add_agreement(
        rent(english, text="Rent", interval="quarterly", start=date(2026, 4, 1)),
        builders.scope(uow_factory),
        uow_factory,
    )
    add_agreement(
        rent(customer, interval="quarterly", start=date(2026, 4, 1)),
        builders.scope(uow_factory),
        uow_factory,
    )
    issued = run_day(uow_factory, date(2026, 4, 1))
    assert [i.period_text for i in issued] == ["Rent Q2 2026", "Husleie 2. kvartal 2026"]


def test_each_recurring_invoice_knows_its_period_for_its_document(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    add_agreement(rent(customer), builders.scope(uow_factory), uow_factory)
    other = builders.invoice(uow_factory, customer).invoice.id
    issued = run_day(uow_factory, date(2026, 4, 1))
    with uow_factory(builders.scope(uow_factory)) as uow:
        periods = uow.recurring.periods_of([i.invoice_id for i in issued] + [other or 0])
    assert periods == {
        issued[0].invoice_id: (date(2026, 3, 1), date(2026, 3, 31), "Husleie mars 2026"),
        issued[1].invoice_id: (date(2026, 4, 1), date(2026, 4, 30), "Husleie april 2026"),
    }


def test_an_ended_agreement_issues_no_more(uow_factory: UnitOfWorkFactory, customer: int) -> None:
    add_agreement(rent(customer, end=date(2026, 4, 15)), builders.scope(uow_factory), uow_factory)
    assert len(run_day(uow_factory, date(2026, 12, 1))) == 2  # March and April (whole)
    view = show_agreement(1, builders.scope(uow_factory), uow_factory)
    assert view.status is Status.ENDED
    assert (view.stored.next_period, view.stored.next_issue_on, view.upcoming) == (None,) * 3
    assert run_day(uow_factory, date(2027, 6, 1)) == []
    with pytest.raises(RuleViolation, match="has ended"):
        stop_agreement(1, date(2027, 6, 1), builders.scope(uow_factory), uow_factory)


def test_stopping_issues_nothing_that_starts_after_the_stop_day(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    add_agreement(
        rent(customer, advance_months=1, issue_day=20), builders.scope(uow_factory), uow_factory
    )
    run_day(uow_factory, date(2026, 4, 20))  # March, April, May (in advance)
    done = stop_agreement(1, date(2026, 4, 30), builders.scope(uow_factory), uow_factory)
    assert done.view.status is Status.STOPPED
    assert done.view.stored.agreement.stopped_on == date(2026, 4, 30)
    assert done.view.upcoming is None
    assert [i.period_text for i in done.issued_after] == ["Husleie mai 2026"]
    assert run_day(uow_factory, date(2026, 12, 1)) == []
    with pytest.raises(RuleViolation, match="was stopped on 2026-04-30"):
        stop_agreement(1, date(2026, 5, 1), builders.scope(uow_factory), uow_factory)
    with pytest.raises(InvalidInput, match="no recurring agreement number 7"):
        stop_agreement(7, date(2026, 5, 1), builders.scope(uow_factory), uow_factory)


def test_stopping_ahead_lets_the_periods_before_it_issue(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    add_agreement(rent(customer), builders.scope(uow_factory), uow_factory)
    done = stop_agreement(1, date(2026, 5, 31), builders.scope(uow_factory), uow_factory)
    assert done.issued_after == ()
    assert done.view.upcoming is not None
    assert done.view.upcoming.start == date(2026, 3, 1)
    issued = run_day(uow_factory, date(2026, 12, 31))
    assert [i.period_start.month for i in issued] == [3, 4, 5]
