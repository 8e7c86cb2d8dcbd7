""" "I have paid" (`/d/paid`, issue 19 point 3): the debtor reports a payment of the visit's
case (day paid, amount, an optional note) and sees each report as a receipt, with what it
holds. The case is always the visit's; `services/payment_reports.py` does the work."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import parse_amount, parse_iso_date
from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import (
    DebtorVisit,
    scope_of,
    visit_of,
)
from fordring.entrypoints.web.visitor import application, redirect
from fordring.services.payment_reports import case_reports, report_payment

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]


def _page(
    request: Request,
    visit: DebtorVisit,
    *,
    problems: list[Problem] | None = None,
    form: dict[str, str] | None = None,
    receipt: bool = False,
) -> Response:
    scope = scope_of(visit)
    view = case_reports(visit.case_number, scope, application(request).uow_factory)
    return debtor_page(
        request,
        "paid.html",
        visit,
        reports=list(reversed(view.reports)),  # the newest first: the receipt on top
        held_until=view.held_until,
        receipt=receipt and bool(view.reports),
        problems={p.field: p.code for p in problems or []},
        form=form or {"paid_on": scope.business_date.isoformat(), "amount": "", "note": ""},
        today=scope.business_date,
        status=422 if problems else 200,
    )


@router.get("/paid")
def paid_form(request: Request, receipt: Annotated[str, Query()] = "") -> Response:
    return _page(request, visit_of(request), receipt=receipt == "1")


def _read(paid_on: str, amount: str) -> tuple[date, Decimal]:
    """The form's day and amount, or InvalidInput with both problems at once."""
    problems: list[Problem] = []
    day, paid = None, None
    try:
        day = parse_iso_date(paid_on, "paid_on")
    except InvalidInput as wrong:
        problems += wrong.problems
    try:
        paid = parse_amount(amount, "amount")
    except InvalidInput as wrong:
        problems += wrong.problems
    if problems or day is None or paid is None:
        raise InvalidInput(problems)
    return day, paid


@router.post("/paid")
def report(request: Request, paid_on: Field = "", amount: Field = "", note: Field = "") -> Response:
    """Report the payment; a 303 to the receipt. The same report again adds nothing."""
    visit = visit_of(request)
    try:
        day, paid = _read(paid_on, amount)
        report_payment(
            visit.case_number, day, paid, note, scope_of(visit), application(request).uow_factory
        )
    except InvalidInput as invalid:
        form = {"paid_on": paid_on, "amount": amount, "note": note}
        return _page(request, visit, problems=list(invalid.problems), form=form)
    return redirect(request, "/paid?receipt=1")
