"""A debtor's "I have paid" (issue 19 point 3) on the test's database: the report holds the
case's letters for the agreement's banking days, a bank file with the payment ends the
hold (seen in the bank) and the case closes as paid; a hold that runs out lets the case go
on and is counted for a person; the same report twice is one row; refused input and
another company's case write nothing; two identical reports at once make one row."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests import builders
from tests.crash import table_rows
from tests.races import postgresql_only, race
from tests.scenarios.bankfiles import Paid, ocr_file

from fordring.domain.collection.history import EventKind
from fordring.domain.collection.payment_reports import ReportStatus
from fordring.domain.errors import Forbidden, InvalidInput, NotFound
from fordring.services.payment_reports import case_reports, report_payment
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Actor, ActorKind, Scope, debtor

pytestmark = pytest.mark.integration

REPORTED_ON = date(2026, 3, 5)  # a Thursday: 5 full banking days held, on again Friday 03-13
HELD_TO = date(2026, 3, 13)
PAID = Decimal("2500.00")


@pytest.fixture
def case_1(run: Any, uow_factory: UnitOfWorkFactory) -> None:
    """Case 1: invoice 1 (2500.00, issued 02-16, due 03-02), registered 03-05; its
    reminder is due 03-09."""
    builders.cli_case_of_one_invoice(run)


def as_debtor(uow_factory: UnitOfWorkFactory, on: date = REPORTED_ON, number: int = 1) -> Scope:
    company = builders.scope(uow_factory).company_id
    return Scope(company, debtor(number), on)


def kinds(uow_factory: UnitOfWorkFactory, number: int = 1) -> list[EventKind]:
    with uow_factory(builders.scope(uow_factory)) as uow:
        return [e.kind for e in uow.collection.history(number)]


def test_a_report_holds_the_reminder_until_the_hold_runs_out_then_the_case_goes_on(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory
) -> None:
    done = report_payment(1, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory)
    assert done.added and done.report.hold_until == HELD_TO
    ran = run("run", "--to", "2026-03-12", date="2026-03-12")
    assert ran.exit_code == 0, ran.output
    # held past its day (03-09) through the 5th banking day after the report (03-12)
    assert EventKind.SEND_REMINDER not in kinds(uow_factory)
    ran = run("run", "--to", "2026-03-13", date="2026-03-13")
    assert ran.exit_code == 0, ran.output
    history = kinds(uow_factory)
    assert EventKind.SEND_REMINDER in history  # banking day 6: it goes on
    assert EventKind.REPORT_HOLD_ENDED in history
    view = case_reports(1, builders.scope(uow_factory, on=HELD_TO), uow_factory)
    assert [r.status for r in view.reports] == [ReportStatus.LAPSED]
    assert view.held_until is None
    with uow_factory(builders.scope(uow_factory)) as uow:
        assert uow.debtor_contact.lapsed_report_count() == 1


def test_the_bank_file_with_the_payment_ends_the_hold_and_the_case_closes_as_paid(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    report_payment(1, REPORTED_ON, PAID, "nettbank", as_debtor(uow_factory), uow_factory)
    with uow_factory(builders.scope(uow_factory)) as uow:
        found = uow.invoices.get(1)
        assert found is not None
        kid = found.invoice.kid
    # paid the day before the report (the bank's date); the file is read the day after it
    paid = ocr_file(
        tmp_path / "ocr.txt", [Paid("2500.00", kid, "2026-03-04")], account=builders.ACCOUNT
    )
    imported = run("payments", "import", str(paid), date="2026-03-06")
    assert imported.exit_code == 0, imported.output
    view = case_reports(1, builders.scope(uow_factory, on=date(2026, 3, 6)), uow_factory)
    assert [r.status for r in view.reports] == [ReportStatus.SEEN]
    assert view.held_until is None
    ran = run("run", "--to", "2026-03-06", date="2026-03-06")
    assert ran.exit_code == 0, ran.output
    history = kinds(uow_factory)
    assert history.count(EventKind.REPORT_HOLD_ENDED) == 1
    assert EventKind.CLOSE_SETTLED in history
    with uow_factory(builders.scope(uow_factory)) as uow:
        assert uow.debtor_contact.lapsed_report_count() == 0


def test_the_same_report_again_adds_nothing(
    case_1: None, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    scope = as_debtor(uow_factory)
    assert report_payment(1, REPORTED_ON, PAID, "", scope, uow_factory).added
    before = table_rows(database_url)
    again = report_payment(1, REPORTED_ON, Decimal("2500"), "", scope, uow_factory)
    assert not again.added and again.report.hold_until == HELD_TO
    assert table_rows(database_url) == before
    assert kinds(uow_factory).count(EventKind.PAYMENT_REPORTED) == 1


@pytest.mark.parametrize(
    ("paid_on", "amount", "field"),
    [
        (date(2026, 3, 6), PAID, "paid_on"),  # after today
        (date(2026, 2, 15), PAID, "paid_on"),  # before the invoice was issued
        (REPORTED_ON, Decimal(0), "amount"),
        (REPORTED_ON, Decimal("-1"), "amount"),
        (REPORTED_ON, Decimal("1.005"), "amount"),
    ],
)
def test_a_refused_report_names_the_field_and_writes_nothing(
    case_1: None,
    uow_factory: UnitOfWorkFactory,
    database_url: str,
    paid_on: date,
    amount: Decimal,
    field: str,
) -> None:
    before = table_rows(database_url)
    with pytest.raises(InvalidInput) as refused:
        report_payment(1, paid_on, amount, "", as_debtor(uow_factory), uow_factory)
    assert [p.field for p in refused.value.problems] == [field]
    assert table_rows(database_url) == before


def test_a_closed_case_refuses_a_report(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    closed = run("collection", "close", "1", date="2026-03-05")
    assert closed.exit_code == 0, closed.output
    before = table_rows(database_url)
    with pytest.raises(InvalidInput) as refused:
        report_payment(1, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory)
    assert refused.value.problems[0].code == "closed"
    assert table_rows(database_url) == before


def test_a_paused_case_records_the_report_and_holds_nothing(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory
) -> None:
    paused = run("collection", "pause", "1", date="2026-03-05")
    assert paused.exit_code == 0, paused.output
    done = report_payment(1, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory)
    assert done.added and done.report.status is ReportStatus.RECORDED
    assert done.report.hold_until is None


def test_a_hold_of_0_days_records_the_report_only(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory
) -> None:
    off = run("collection", "agreement", "set", "reported_payment_hold_days=0")
    assert off.exit_code == 0, off.output
    done = report_payment(1, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory)
    assert done.report.status is ReportStatus.RECORDED


def test_another_companys_case_and_another_debtors_case_are_never_reached(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    builders.cli_other_company(run)
    builders.cli_case_1(run, builders.OTHER_ORGNR)
    made = run("--company", builders.OTHER_ORGNR, "invoice", "create", "--customer", "10000",
               "--line", "Vare;1;100;25", date="2026-02-16")  # fmt: skip
    assert made.exit_code == 0, made.output
    sent = run("--company", builders.OTHER_ORGNR, "collection", "send", "2", date="2026-03-05")
    assert sent.exit_code == 0, sent.output
    before = table_rows(database_url)
    with pytest.raises(NotFound):  # company B's case 2: company A has none
        report_payment(2, REPORTED_ON, PAID, "", as_debtor(uow_factory, number=2), uow_factory)
    with pytest.raises(Forbidden):  # case 1's debtor on case 2
        report_payment(2, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory)
    reader = Scope(as_debtor(uow_factory).company_id, Actor(ActorKind.USER, "r", "read_only"),
                   REPORTED_ON)  # fmt: skip
    with pytest.raises(Forbidden):
        report_payment(1, REPORTED_ON, PAID, "", reader, uow_factory)
    assert table_rows(database_url) == before


@postgresql_only
def test_two_identical_reports_at_the_same_moment_make_one_row(
    case_1: None, uow_factory: UnitOfWorkFactory
) -> None:
    scope = as_debtor(uow_factory)
    outcome = race(
        *(lambda: report_payment(1, REPORTED_ON, PAID, "", scope, uow_factory) for _ in range(2))
    )
    assert not outcome.errors, outcome.errors
    assert sorted(r.added for r in outcome.results) == [False, True]
    assert len(case_reports(1, scope, uow_factory).reports) == 1
    assert kinds(uow_factory).count(EventKind.PAYMENT_REPORTED) == 1


def test_collection_case_shows_the_report_and_the_hold(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory
) -> None:
    report_payment(1, REPORTED_ON, PAID, "nettbank", as_debtor(uow_factory), uow_factory)
    shown = run("collection", "case", "1", date="2026-03-06")
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.output)
    assert found["steps_held_until"] == "2026-03-13"
    assert [(r["amount"], r["status"], r["note"]) for r in found["payment_reports"]] == [
        ("2500.00", "holding", "nettbank")
    ]
    human = run("collection", "case", "1", date="2026-03-06", json=False)
    assert "Steps held until 2026-03-13" in human.output
    assert "Payments the debtor reported" in human.output


def test_new_reports_never_stretch_the_hold_until_a_payment_is_seen(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory
) -> None:
    """Another amount while the first report holds, or after it lapsed with no payment
    since, is recorded and holds nothing: the reminder goes out when the first hold ends."""
    report_payment(1, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory)
    later = date(2026, 3, 10)
    again = report_payment(1, later, Decimal("2400.00"), "", as_debtor(uow_factory, later),
                           uow_factory)  # fmt: skip
    assert again.added and again.report.status is ReportStatus.RECORDED
    assert again.report.hold_until is None
    assert case_reports(1, builders.scope(uow_factory, on=later), uow_factory).held_until == HELD_TO
    ran = run("run", "--to", HELD_TO.isoformat(), date=HELD_TO.isoformat())
    assert ran.exit_code == 0, ran.output
    assert EventKind.SEND_REMINDER in kinds(uow_factory)
    after = date(2026, 3, 16)
    third = report_payment(1, after, Decimal("2300.00"), "", as_debtor(uow_factory, after),
                           uow_factory)  # fmt: skip
    assert third.report.status is ReportStatus.RECORDED and third.report.hold_until is None
    assert case_reports(1, builders.scope(uow_factory, on=after), uow_factory).held_until is None


def test_closing_the_case_ends_its_open_reports(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory
) -> None:
    """A holding report on a case closed without a payment ends with the case: no "the
    hold ended" after the closing, and Oversikt does not count it for ever."""
    report_payment(1, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory)
    closed = run("collection", "close", "1", date="2026-03-06")
    assert closed.exit_code == 0, closed.output
    ran = run("run", "--to", "2026-03-13", date="2026-03-13")
    assert ran.exit_code == 0, ran.output
    assert EventKind.REPORT_HOLD_ENDED not in kinds(uow_factory)
    view = case_reports(1, builders.scope(uow_factory, on=date(2026, 3, 13)), uow_factory)
    assert [r.status for r in view.reports] == [ReportStatus.CLOSED]
    with uow_factory(builders.scope(uow_factory)) as uow:
        assert uow.debtor_contact.open_reports([1, 2]) == []
        assert uow.debtor_contact.holds_ending(date(2100, 1, 1)) == []


def test_a_lapsed_report_ends_when_the_case_closes(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory
) -> None:
    report_payment(1, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory)
    ran = run("run", "--to", HELD_TO.isoformat(), date=HELD_TO.isoformat())
    assert ran.exit_code == 0, ran.output
    with uow_factory(builders.scope(uow_factory)) as uow:
        assert uow.debtor_contact.lapsed_report_count() == 1
    closed = run("collection", "close", "1", date=HELD_TO.isoformat())
    assert closed.exit_code == 0, closed.output
    view = case_reports(1, builders.scope(uow_factory, on=HELD_TO), uow_factory)
    assert [r.status for r in view.reports] == [ReportStatus.CLOSED]
    with uow_factory(builders.scope(uow_factory)) as uow:
        assert uow.debtor_contact.lapsed_report_count() == 0


def _paid_in_bank(run: Any, uow_factory: UnitOfWorkFactory, tmp_path: Path, amount: str) -> None:
    with uow_factory(builders.scope(uow_factory)) as uow:
        found = uow.invoices.get(1)
        assert found is not None
        kid = found.invoice.kid
    paid = ocr_file(
        tmp_path / "ocr.txt", [Paid(amount, kid, "2026-03-04")], account=builders.ACCOUNT
    )
    imported = run("payments", "import", str(paid), date="2026-03-05")
    assert imported.exit_code == 0, imported.output


def test_a_report_of_a_payment_already_booked_is_seen_at_once_and_holds_nothing(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """The bank file came first (with the payment of 03-04), the report after it: the
    report is seen in the bank at once and never lapses falsely."""
    _paid_in_bank(run, uow_factory, tmp_path, "1500.00")
    done = report_payment(1, date(2026, 3, 4), Decimal("1500.00"), "", as_debtor(uow_factory),
                          uow_factory)  # fmt: skip
    assert done.report.status is ReportStatus.SEEN and done.report.hold_until is None
    assert case_reports(1, as_debtor(uow_factory), uow_factory).held_until is None
    ran = run("run", "--to", "2026-03-13", date="2026-03-13")
    assert ran.exit_code == 0, ran.output
    assert EventKind.SEND_REMINDER in kinds(uow_factory)  # the rest is still owed
    assert EventKind.REPORT_HOLD_ENDED not in kinds(uow_factory)
    with uow_factory(builders.scope(uow_factory)) as uow:
        assert uow.debtor_contact.lapsed_report_count() == 0


def test_a_report_of_more_than_the_bank_showed_holds(
    case_1: None, run: Any, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """Less than reported is booked: the rest may still be on its way, so it holds."""
    _paid_in_bank(run, uow_factory, tmp_path, "1000.00")
    done = report_payment(1, date(2026, 3, 4), PAID, "", as_debtor(uow_factory), uow_factory)
    assert done.report.status is ReportStatus.HOLDING


def test_a_report_books_nothing(
    case_1: None, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    """A report is not a payment: only the report, its history event and the case's hold
    change; no voucher, posting, payment or charge row."""
    before = table_rows(database_url)
    assert report_payment(1, REPORTED_ON, PAID, "", as_debtor(uow_factory), uow_factory).added
    after = table_rows(database_url)
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {"payment_report", "case_event", "collection_case"}
