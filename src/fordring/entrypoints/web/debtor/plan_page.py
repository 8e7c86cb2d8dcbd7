"""A payment plan or deferral from the debtor's page (`/d/plan`, issue 19): the debtor
proposes instalments (a count or an amount, from a first date) or a later payment date,
and sees the answer: accepted with the instalments, or waiting for the creditor. Before it
is sent the page shows what the plan costs (the instalments, and the § 2-4 addition if the
plan brings one) and asks the debtor to confirm; the addition is charged only when it was
shown (docs/law.md). The case is always the visit's (docs/debtor_page.md); sent again, the
same proposal changes nothing."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from fordring.domain.collection.plan_input import parse_proposal
from fordring.domain.errors import InvalidInput
from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import (
    DebtorVisit,
    scope_of,
    visit_of,
)
from fordring.entrypoints.web.visitor import application, redirect
from fordring.services.payment_plans import preview_plan, propose_plan
from fordring.services.plan_decisions import plans_of_case

router = APIRouter(include_in_schema=False)
Field = Annotated[str, Form(max_length=40)]


def _page(request: Request, visit: DebtorVisit, status: int = 200, **context: object) -> Response:
    plans = plans_of_case(visit.case_number, scope_of(visit), application(request).uow_factory)
    return debtor_page(
        request,
        "plan.html",
        visit,
        status=status,
        plan=plans[0] if plans else None,
        problems=context.pop("problems", {}),
        form=context.pop("form", {}),
        preview=context.pop("preview", None),
    )


@router.get("/plan")
def plan(request: Request) -> Response:
    return _page(request, visit_of(request))


@router.post("/plan")
def propose(
    request: Request,
    kind: Field = "instalments",
    first_date: Field = "",
    count: Field = "",
    amount: Field = "",
    confirm: Field = "",
) -> Response:
    """First (no `confirm`) the preview: what the plan costs, written nowhere; confirmed
    (`confirm`: the addition shown), the proposal, then back to the plan page, which shows
    the answer. Bad input or a plan that cannot be agreed: the form again with each
    problem, nothing written."""
    visit = visit_of(request)
    app = application(request)
    form = {"kind": kind, "first_date": first_date, "count": count, "amount": amount}
    try:
        if kind == "deferral":
            proposal = parse_proposal(kind, first_date)
        else:
            proposal = parse_proposal(kind, first_date, count or None, amount or None)
        number, scope, book = visit.case_number, scope_of(visit), app.rate_book
        if not confirm:
            worked = preview_plan(number, proposal, scope, app.uow_factory, book)
            return _page(request, visit, preview=worked, form=form)
        told = _told(confirm)
        propose_plan(
            number, proposal, scope, app.uow_factory, book, told, pin_key=app.debtor_pin_key
        )
    except InvalidInput as invalid:
        problems = {p.field: p.code for p in invalid.problems}
        return _page(request, visit, 422, problems=problems, form=form)
    return redirect(request, "/plan")


def _told(confirm: str) -> Decimal:
    """The addition the preview showed (0 when it showed none or the field is odd)."""
    try:
        told = Decimal(confirm)
    except InvalidOperation:
        return Decimal(0)
    return told if told.is_finite() and told >= 0 else Decimal(0)
