"""Under behandling (the case list, bulk actions with a confirmation, the case page with
its history, letters as PDF, payments and explained amounts) and Inkassoliste (this
week's collection list: approve all or some, stop one). Reading is every signed-in
user's; acting is checked by the services (`case_desk`): a read-only user sees no
buttons and is refused (403, nothing written) if it posts anyway."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response

from fordring.domain.collection.history import DEBTOR_THREAD
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import InvalidInput, NotFound, RuleViolation
from fordring.entrypoints.api.calls import RENDERING
from fordring.entrypoints.web.paths import path_number
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services.case_desk import (
    MAX_CASES,
    Action,
    act_on_cases,
    approval_list,
    approve,
    case_letter,
    case_list,
    case_page,
    cases_to_act_on,
    closing_cost,
    may_act,
    must_act,
)
from fordring.services.debtor_messages import answer_debtor
from fordring.services.form_once import new_once

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]
Numbers = Annotated[list[str], Form()]
PAGE_SIZE = 50
LIST_PAGE_SIZE = 100
PAYMENT_KINDS = ("payment", "payment_reversed")


def _whole(value: str | None, field: str) -> int | None:
    """A positive whole number from a form or query (None: not given)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise InvalidInput.one(field, f"not a number: {value}")
    return int(text)


def _case_numbers(values: list[str]) -> list[int]:
    """The posted case numbers, each once, in the order posted; read until one more than
    the most allowed at once (the service refuses that many), so a number posted twice
    counts once and a long post is not read to its end."""
    numbers: dict[int, None] = {}
    for value in values:
        number = _whole(value, "cases")
        if number is not None:
            numbers[number] = None
            if len(numbers) > MAX_CASES:
                break
    return list(numbers)


def _action(value: str) -> Action:
    try:
        return Action(value)
    except ValueError as wrong:
        raise InvalidInput.one("action", f"no action {value}") from wrong


@router.get("/cases")
def cases(
    request: Request,
    state: Annotated[str, Query()] = "",
    customer: Annotated[str, Query()] = "",
    after: Annotated[str, Query()] = "",
    needs: Annotated[str, Query()] = "",
) -> Response:
    user = user_of(request)
    scope = scope_of(user)
    filters = {"state": state, "customer": customer, "needs": needs}
    problem = None
    rows: list[Any] = []
    try:
        rows = case_list(
            scope,
            application(request).uow_factory,
            state=state or None,
            customer_number=_whole(customer, "customer"),
            after=_whole(after, "after"),
            limit=PAGE_SIZE + 1,
            needs=needs or None,
        )
    except InvalidInput as invalid:
        problem = invalid.problems[0].field
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    query = urlencode({k: v for k, v in filters.items() if v and problem is None})
    return page(
        request,
        "cases.html",
        user=user,
        current="cases",
        rows=rows,
        states=[s.value for s in CaseState],
        filters=filters,
        problem=problem,
        path="/cases" + (f"?{query}" if query else ""),
        after=rows[-1][0].number if more else None,
        can_act=may_act(scope),
        status=422 if problem else 200,
    )


@router.get("/cases/confirm")
def confirm(
    request: Request,
    action: Annotated[str, Query()] = "",
    case: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies it)
    back: Annotated[str, Query()] = "",
) -> Response:
    """What the action will do to the chosen cases and what it will cost (closing)."""
    user = user_of(request)
    scope = scope_of(user)
    try:
        chosen = _action(action)
        rows = cases_to_act_on(_case_numbers(case), scope, application(request).uow_factory)
    except InvalidInput as invalid:
        return page(
            request,
            "cases_confirm.html",
            user=user,
            current="cases",
            problem=invalid.problems[0].field,
            status=422,
        )
    costs = [closing_cost(r) for r in rows]
    return page(
        request,
        "cases_confirm.html",
        user=user,
        current="cases",
        problem=None,
        action=chosen.value,
        rows=list(zip(rows, costs, strict=True)),
        cancelled=sum((c.cancelled for c in costs), Decimal(0)),
        creditor_owes=sum((c.creditor_owes for c in costs), Decimal(0)),
        back=back if back in ("case", "list") else "",
        can_act=may_act(scope),
    )


@router.post("/cases/act")
def act(
    request: Request,
    action: Field = "",
    case: Numbers = [],  # noqa: B006 (FastAPI copies it)
    text: Field = "",
    back: Field = "",
) -> Response:
    """Do the action to each chosen case; the result per case (or, from a case's own page,
    back to it: its history shows what was done)."""
    user = user_of(request)
    scope = scope_of(user)
    must_act(scope)  # a read-only user is refused (403) whatever it posts, bad input or not
    try:
        numbers = _case_numbers(case)
        chosen = _action(action)
        outcomes = act_on_cases(numbers, chosen, text, scope, application(request).uow_factory)
    except InvalidInput as invalid:
        return page(
            request,
            "cases_done.html",
            user=user,
            current="cases",
            problem=invalid.problems[0].field,
            outcomes=[],
            action=action,
            status=422,
        )
    if back == "case" and len(outcomes) == 1 and outcomes[0].done:
        return redirect(request, f"/cases/{outcomes[0].number}")
    if back == "list" and all(o.done for o in outcomes):
        return redirect(request, "/collection-list")
    refused = not any(o.done for o in outcomes)
    return page(
        request,
        "cases_done.html",
        user=user,
        current="cases",
        problem=None,
        outcomes=outcomes,
        action=chosen.value,
        status=409 if refused else 200,
    )


def _number(value: str) -> int:
    return path_number(value, "case")


@router.get("/cases/{number}")
def case(
    request: Request,
    number: str,
    refused: Annotated[str, Query()] = "",
    plan_problem: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The case; `refused`: why upholding its objection was refused; `plan_problem`: why
    deciding its payment plan was refused (issue 19)."""
    return _case(request, number, refused=refused, plan_problem=plan_problem)


def _case(
    request: Request,
    number: str,
    problem: str | None = None,
    answer: str = "",
    refused: str = "",
    plan_problem: str = "",
) -> Response:
    user = user_of(request)
    scope = scope_of(user)
    app = application(request)
    found = case_page(_number(number), scope, app.uow_factory, app.rate_book)
    view = found.view
    status = view.summary
    thread = [e for e in view.history if e.kind in DEBTOR_THREAD]
    return page(
        request,
        "case.html",
        user=user,
        current="cases",
        view=view,
        letters=list(zip(view.letters, found.letters, strict=False)),
        history=list(reversed(view.history)),
        payments=[e for e in view.history if e.kind.value in PAYMENT_KINDS],
        thread=thread,
        waiting=bool(thread) and thread[-1].kind.value == "message_from_debtor",
        can_act=may_act(scope),
        closed=status.state == CaseState.CLOSED.value,
        problem=problem,
        answer=answer,
        status=422 if problem else 200,
        objections=list(reversed(found.objections)),
        objected=status.state == CaseState.OBJECTED.value,
        refused=refused if refused in ("uphold", "reason") else "",
        plan_once=new_once(),  # the plan decision's single-use token (issue 19)
        plan_problem=plan_problem,
    )


@router.post("/cases/{number}/answer")
def answer(request: Request, number: str, message: Field = "") -> Response:
    """The creditor's answer to the debtor (the debtor's page shows it); the same answer
    sent twice is added once. A read-only user is refused (403), nothing written."""
    scope = scope_of(user_of(request))
    must_act(scope)
    case_number = _number(number)
    try:
        answer_debtor(case_number, message, scope, application(request).uow_factory)
    except InvalidInput as invalid:
        return _case(request, number, invalid.problems[0].field, message)
    return redirect(request, f"/cases/{case_number}#messages")


@router.get("/cases/{number}/letters/{position}.pdf")
def letter(request: Request, number: str, position: str) -> Response:
    """The case's letter as PDF (rendered from what the run decided)."""
    scope = scope_of(user_of(request))
    app = application(request)
    which = _number(position)
    if which < 1:
        raise NotFound("letter", position)
    found = case_letter(_number(number), which - 1, scope, app.uow_factory)
    with RENDERING:
        (content,) = app.letters.render_letters([found])
    name = f"sak-{number}-brev-{position}.pdf"
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/collection-list")
def collection_list_page(
    request: Request,
    after: Annotated[str, Query()] = "",
    approved: Annotated[str, Query()] = "",
) -> Response:
    user = user_of(request)
    scope = scope_of(user)
    try:
        start = _whole(after, "after")
    except InvalidInput:
        start = None
    found = approval_list(
        scope, application(request).uow_factory, after=start, limit=LIST_PAGE_SIZE + 1
    )
    lines = found.lines[:LIST_PAGE_SIZE]
    return page(
        request,
        "collection_list.html",
        user=user,
        current="collection_list",
        lines=lines,
        automatic_handover=found.automatic_handover,
        after=int(lines[-1].line.case_number) if len(found.lines) > LIST_PAGE_SIZE else None,
        can_act=may_act(scope),
        approved=approved,
        problem=None,
    )


@router.post("/collection-list/approve")
def approve_post(
    request: Request,
    case: Numbers = [],  # noqa: B006 (FastAPI copies it)
    shown: Numbers = [],  # noqa: B006 (FastAPI copies it)
    every: Field = "",
) -> Response:
    """Approve the chosen cases or, with `every`, all the cases the page showed (its hidden
    `shown` fields: never a case the user has not seen) for hand-over."""
    user = user_of(request)
    scope = scope_of(user)
    try:
        numbers = _case_numbers(shown if every == "yes" else case)
    except InvalidInput:
        numbers = []
    try:  # the service checks the role first: a read-only user's post is a 403 whatever it holds
        done = approve(numbers, scope, application(request).uow_factory)
    except InvalidInput as invalid:
        problem = invalid.problems[0].field
    except RuleViolation:
        problem = "not_listed"
    else:
        return redirect(request, f"/collection-list?approved={len(done.numbers)}")
    found = approval_list(scope, application(request).uow_factory, limit=LIST_PAGE_SIZE + 1)
    return page(
        request,
        "collection_list.html",
        user=user,
        current="collection_list",
        lines=found.lines[:LIST_PAGE_SIZE],
        automatic_handover=found.automatic_handover,
        after=None,
        can_act=may_act(scope),
        approved="",
        problem=problem,
        status=422,
    )
