"""A debtor's "I have paid" (issue 19 point 3): the report stored, the case's further steps
held a few banking days (agreement setting `reported_payment_hold_days`) until the bank
file shows the payment (services/report_holds.py ends the hold). Nothing is booked: a
report is not a payment. The debtor reports on its own case only; a person who may act on
cases may record a report made by phone too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.api_access import Permission
from fordring.domain.collection.history import EventKind, HistoryEvent, PayloadValue, amount
from fordring.domain.collection.payment_reports import (
    PaymentReport,
    ReportStatus,
    check_report,
    hold_until,
    reports_held_until,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import Forbidden, InvalidInput, NotFound
from fordring.services.collection_agreement import agreement_of
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import ActorKind, Scope, debtors_own_case, may


@dataclass(frozen=True, slots=True)
class Reported:
    """The report as stored (the one stored before, when the same was reported again)."""

    report: PaymentReport
    added: bool


def must_be_the_cases(scope: Scope, number: int) -> None:
    """Forbidden unless the actor is case `number`'s debtor or may act on cases."""
    debtors_own_case(scope, number)
    if scope.actor.kind is ActorKind.DEBTOR:
        return
    if not may(scope, Permission.MANAGE_COLLECTION):
        raise Forbidden(f"the role {scope.actor.role} may not act on cases")


def report_payment(
    number: int,
    paid_on: date,
    paid: Decimal,
    note: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> Reported:
    """Store the debtor's report that `paid` was paid on `paid_on` and hold the case's
    letters, fees and hand-over until the hold's last day (none in a paused or objected
    case, whose steps are stopped already, nor while an earlier report of the case is
    open: one hold until the bank shows a payment). The same report again adds nothing; a closed
    case refuses it; bad input names the field, and nothing is written."""
    must_be_the_cases(scope, number)
    today = scope.business_date
    with uow_factory(scope) as uow:
        found = uow.collection.status(number, lock=True)  # the same report at once: one row
        if found is None:
            raise NotFound("case", number)
        case_id, status = found
        if status.state is CaseState.CLOSED:
            raise InvalidInput.one("case", f"case {number} is closed", code="closed")
        first = uow.debtor_contact.first_invoice_on(case_id) or today
        paid, note = check_report(paid_on, paid, note, today, first)
        agreement = agreement_of(uow)
        earlier = uow.debtor_contact.payment_reports(number)
        days = agreement.reported_payment_hold_days
        until = hold_until(status.state, today, days, earlier)
        if uow.debtor_contact.paid_since(case_id, paid_on) >= paid:
            # the bank showed it before the report came; less than reported: the rest may
            # still be on its way, so the report holds (the kinder reading)
            report = PaymentReport(paid_on, paid, note, today, ReportStatus.SEEN, None, today)
            until = None
        else:
            kind = ReportStatus.HOLDING if until is not None else ReportStatus.RECORDED
            report = PaymentReport(paid_on, paid, note, today, kind, until)
        if not uow.debtor_contact.add_payment_report(case_id, report, str(scope.actor)):
            same = [r for r in earlier if (r.paid_on, r.amount) == (paid_on, paid)]
            return Reported(same[0] if same else report, False)
        if until is not None:
            uow.debtor_contact.hold_steps(case_id, until)
        uow.collection.add_event_rows([_reported_event(case_id, report)], today, str(scope.actor))
        uow.commit()
    return Reported(report, True)


def _reported_event(case_id: int, report: PaymentReport) -> HistoryEvent:
    text = f"the debtor reports {report.amount} paid on {report.paid_on}"
    payload: dict[str, PayloadValue] = {
        "amount": amount(report.amount),
        "paid_on": report.paid_on.isoformat(),
    }
    if report.status is ReportStatus.SEEN:
        text += "; payments since that day are booked already: seen in the bank, nothing held"
    elif report.hold_until is not None:
        text += f"; letters, fees and hand-over wait until {report.hold_until}"
        payload["hold_until"] = report.hold_until.isoformat()
    else:
        text += (
            "; nothing held (the case's steps are stopped already, holds are off, or an"
            " earlier report held the case and no payment has been seen since)"
        )
    if report.note:
        text += f": {report.note}"
        payload["note"] = report.note
    return HistoryEvent(case_id, EventKind.PAYMENT_REPORTED, text[:1000], payload)


@dataclass(frozen=True, slots=True)
class ReportsView:
    """A case's reports, oldest first, and the day its steps are held until (None: not
    held on the scope's business date)."""

    reports: list[PaymentReport]
    held_until: date | None


def case_reports(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> ReportsView:
    """What the creditor (or the case's debtor) sees of the case's reports."""
    debtors_own_case(scope, number)
    with uow_factory(scope) as uow:
        reports = uow.debtor_contact.payment_reports(number)
    return ReportsView(reports, reports_held_until(reports, scope.business_date))
