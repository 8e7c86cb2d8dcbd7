"""The debtor's objection on the portal's case page (issue 19): its attached file, handed
out only to a signed-in user of the case's company as a download (never shown inline, its
type fixed by what it was found to be), and upholding the objection (the creditor's
answer in the debtor's favour; the other answer, rejecting it, is the case's "Resume")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from fordring.domain.errors import InvalidInput, NotFound, RuleViolation
from fordring.entrypoints.downloads import attachment_response
from fordring.entrypoints.web.paths import path_number
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services.case_desk import must_act
from fordring.services.objections import objection_attachment, uphold

router = APIRouter(include_in_schema=False)


@router.get("/cases/{number}/objections/{objection}/attachment")
def attachment(request: Request, number: str, objection: str) -> Response:
    scope = scope_of(user_of(request))
    app = application(request)
    found = objection_attachment(
        path_number(number, "case"),
        path_number(objection, "objection"),
        scope,
        app.uow_factory,
        app.attachments,
    )
    stored = found.stored
    return attachment_response(stored.name, stored.media_type, found.content)


@router.post("/cases/{number}/uphold")
def uphold_post(request: Request, number: str, reason: Annotated[str, Form()] = "") -> Response:
    """Uphold the objection: the case closes and the debtor owes no costs; back to the
    case page, which shows it (or says why not)."""
    user = user_of(request)
    scope = scope_of(user)
    must_act(scope)  # a read-only user is refused (403) whatever it posts
    case = path_number(number, "case")
    try:
        uphold(case, reason, scope, application(request).uow_factory)
    except RuleViolation:
        return redirect(request, f"/cases/{case}?refused=uphold")
    except InvalidInput as invalid:
        if any(p.code == "not_found" for p in invalid.problems):
            raise NotFound("case", case) from invalid
        return redirect(request, f"/cases/{case}?refused=reason")
    return redirect(request, f"/cases/{case}")
