"""A year of monthly recurring invoices gives exactly 12 invoices, also when run with gaps
(SPEC L6): run day by day, with gaps of weeks or months, the same day twice, and through
the daily run itself; every period once, every invoice identical in lines and amounts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from fordring.domain.recurring import Status, add_months, parse_interval
from fordring.domain.text_input import parse_line_spec
from fordring.services import daily_run
from fordring.services.invoicing import list_invoices, show_invoice
from fordring.services.ledger import check_ledger
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.recurring import (
    AgreementView,
    NewAgreement,
    add_agreement,
    issue_due,
    show_agreement,
)
from tests import builders
from tests.scenarios.story import Story

pytestmark = pytest.mark.integration

START = date(2026, 3, 1)
END = date(2027, 2, 28)
LINES = ("Husleie;1;12000;0", "Strøm a konto;1;800;25")
TOTAL = Decimal("13000.00")  # 12000 + 800 + 25 % VAT of 800
MONTHS = [add_months(START, n) for n in range(12)]


def days(first: date, last: date, step: int = 1) -> list[date]:
    return [first + timedelta(days=n) for n in range(0, (last - first).days + 1, step)]


def a_year_of_rent(uow_factory: UnitOfWorkFactory, **changes: object) -> None:
    """The test company, Kunde AS, and agreement 1: rent for March 2026 to February 2027."""
    builders.company(uow_factory)
    customer = builders.business(uow_factory)
    fields: dict[str, object] = {
        "customer_number": customer,
        "text": "Husleie",
        "lines": LINES,
        "interval": "monthly",
        "issue_day": 1,
        "start": START,
        "end": END,
    }
    fields.update(changes)
    fields["lines"] = [parse_line_spec(spec) for spec in fields["lines"]]  # type: ignore[attr-defined]
    fields["interval"] = parse_interval(str(fields["interval"]))
    add_agreement(NewAgreement(**fields), builders.scope(uow_factory), uow_factory)  # type: ignore[arg-type]


def run_on(uow_factory: UnitOfWorkFactory, on: Iterable[date]) -> int:
    """`issue_due` on each day, a transaction each; how many invoices it issued."""
    count = 0
    for day in on:
        with uow_factory(builders.scope(uow_factory)) as uow:
            count += len(issue_due(uow, uow.company.current(), day))
            uow.commit()
    return count


def exactly_twelve(uow_factory: UnitOfWorkFactory) -> AgreementView:
    """Twelve invoices, one per month of the year, each identical in lines and amounts;
    the agreement has ended and the ledger is whole."""
    invoices = list_invoices(builders.scope(uow_factory), False, uow_factory)
    assert len(invoices) == 12
    view = show_agreement(1, builders.scope(uow_factory), uow_factory)
    assert [p.period_start for p in view.issued] == MONTHS
    assert [p.invoice_number for p in view.issued] == [i.number for i in invoices]
    shown = [
        show_invoice(i.number, builders.scope(uow_factory), uow_factory).invoice for i in invoices
    ]
    assert len({s.lines for s in shown}) == 1
    assert {(s.net, s.vat, s.total) for s in shown} == {
        (Decimal("12800.00"), Decimal("200.00"), TOTAL)
    }
    assert view.status is Status.ENDED
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok
    return view


def test_a_year_run_day_by_day_gives_12_invoices_each_on_its_issue_day(
    uow_factory: UnitOfWorkFactory,
) -> None:
    a_year_of_rent(uow_factory)
    assert run_on(uow_factory, days(date(2026, 2, 1), date(2027, 3, 31))) == 12
    view = exactly_twelve(uow_factory)
    assert [p.issue_date for p in view.issued] == MONTHS
    assert [p.period_text for p in view.issued][:2] == ["Husleie mars 2026", "Husleie april 2026"]
    assert view.issued[-1].period_text == "Husleie februar 2027"


@pytest.mark.parametrize(
    "on",
    [
        days(date(2026, 2, 20), date(2027, 4, 30), step=17),
        days(date(2026, 2, 20), date(2027, 6, 30), step=45),
        days(date(2026, 3, 20), date(2027, 8, 1), step=100),
        [date(2026, 6, 20), date(2026, 11, 3), date(2027, 4, 1)],
        [date(2027, 12, 24)],  # one catch-up long after the year
    ],
    ids=["every-17-days", "every-45-days", "every-100-days", "three-runs", "one-run"],
)
def test_a_year_run_with_gaps_still_gives_12_invoices(
    uow_factory: UnitOfWorkFactory, on: list[date]
) -> None:
    a_year_of_rent(uow_factory)
    assert run_on(uow_factory, on) == 12
    view = exactly_twelve(uow_factory)
    # A period caught up late is dated the day it was issued, never backdated.
    runs = sorted(on)
    for period in view.issued:
        assert period.issue_date == min(d for d in runs if d >= period.period_start)


def test_running_each_day_twice_gives_12_invoices(uow_factory: UnitOfWorkFactory) -> None:
    a_year_of_rent(uow_factory)
    twice = [d for day in days(date(2026, 2, 25), date(2027, 3, 5)) for d in (day, day)]
    assert run_on(uow_factory, twice) == 12
    exactly_twelve(uow_factory)


def test_rent_in_advance_on_the_last_day_of_the_month_gives_12_invoices(
    uow_factory: UnitOfWorkFactory,
) -> None:
    a_year_of_rent(uow_factory, advance_months=1, issue_day=31)
    assert run_on(uow_factory, days(date(2026, 2, 1), date(2027, 3, 31))) == 12
    view = exactly_twelve(uow_factory)
    assert (
        [p.issue_date for p in view.issued]
        == [
            START,  # the month before (February) is before the agreement starts
            *[add_months(m, 1) - timedelta(days=1) for m in MONTHS[:-1]],
        ]
    )
    assert view.issued[-1].issue_date == date(2027, 1, 31)


def test_a_year_of_quarterly_invoices_gives_4(uow_factory: UnitOfWorkFactory) -> None:
    a_year_of_rent(uow_factory, interval="quarterly", start=date(2026, 1, 1), end=None)
    assert run_on(uow_factory, days(date(2026, 1, 1), date(2026, 12, 31), step=9)) == 4
    view = show_agreement(1, builders.scope(uow_factory), uow_factory)
    assert [p.period_text for p in view.issued] == [
        f"Husleie {q}. kvartal 2026" for q in range(1, 5)
    ]
    assert view.status is Status.ACTIVE


wired = pytest.mark.skipif(
    not hasattr(daily_run, "issue_due"), reason="the daily run does not issue recurring yet"
)


def cli_rent(story: Story) -> None:
    builders.cli_company(story.run)
    builders.cli_business(story.run)
    lines = [arg for spec in LINES for arg in ("--line", spec)]
    story.ok(
        "recurring",
        "add",
        "--customer",
        "10000",
        "--text",
        "Husleie",
        *lines,
        "--start",
        START.isoformat(),
        "--end",
        END.isoformat(),
        date="2026-02-20",
    )


def twelve_through_the_cli(story: Story) -> None:
    invoices = story.ok("invoice", "list")
    assert len(invoices) == 12
    assert {i["total"] for i in invoices} == {"13000.00"}
    shown = story.ok("recurring", "show", "1")
    assert [p["period_start"] for p in shown["issued"]] == [m.isoformat() for m in MONTHS]
    assert shown["status"] == "ended"
    story.ledger_whole()


@pytest.mark.e2e
@wired
def test_the_daily_run_day_by_day_gives_12_invoices(story: Story) -> None:
    cli_rent(story)
    story.days("2027-03-01", start="2026-03-01")
    assert story.ok("run", date="2027-03-01")["already_run_to"] == "2027-03-01"
    twelve_through_the_cli(story)


@pytest.mark.e2e
@wired
def test_the_daily_run_with_gaps_gives_12_invoices(story: Story) -> None:
    cli_rent(story)
    for day in ("2026-03-01", "2026-03-01", "2026-05-17", "2026-09-02", "2027-01-01"):
        story.ok("run", date=day)
    story.ok("run", "--to", "2027-03-15", date="2027-03-15")
    story.ok("run", date="2027-03-15")
    twelve_through_the_cli(story)
