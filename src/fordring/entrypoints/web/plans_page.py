"""Payment plans in the portal (issue 19): the proposals waiting for the creditor (a list
linked from Under behandling) and the accept/reject form of a case's page (single-use: the
form sent again decides nothing more). Reading is every signed-in user's; deciding needs
the role that manages collection (refused with 403, nothing written)."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response

from fordring.domain.errors import InvalidInput, NotFound
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services.case_desk import must_act
from fordring.services.form_once import MAX_LENGTH, AlreadyDone
from fordring.services.plan_decisions import decide_plan, waiting_plans

router = APIRouter(include_in_schema=False)


@router.get("/plans")
def plans(request: Request) -> Response:
    user = user_of(request)
    found = waiting_plans(scope_of(user), application(request).uow_factory)
    return page(request, "plans.html", user=user, current="cases", plans=found)


@router.post("/cases/{number}/plan")
def decide(
    request: Request,
    number: int,
    decision: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    once: Annotated[str, Form(max_length=MAX_LENGTH)] = "",
) -> Response:
    """Accept or reject the plan waiting on the case, then back to the case's page (its
    plan and history show what was done)."""
    user = user_of(request)
    scope = scope_of(user)
    must_act(scope)  # a read-only user is refused (403) whatever it posts
    if decision not in ("accept", "reject"):
        raise NotFound("decision", decision)
    app = application(request)
    # Sent before: the case's page shows how it stands. Refused (nothing waits any more,
    # the case cannot have a plan now): the case's page says why.
    with suppress(AlreadyDone):
        try:
            decide_plan(
                number, decision == "accept", note, scope, app.uow_factory, app.rate_book,
                once or None, pin_key=app.debtor_pin_key,
            )  # fmt: skip
        except InvalidInput as invalid:
            code = quote(invalid.problems[0].code or "invalid")
            return redirect(request, f"/cases/{number}?plan_problem={code}")
    return redirect(request, f"/cases/{number}")
