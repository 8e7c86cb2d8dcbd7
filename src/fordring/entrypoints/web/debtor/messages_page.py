"""Messages (`/d/messages`, issue 19 point 6): the debtor writes to the case handler and
reads the answers, for the visit's case only; `services/debtor_messages.py` does the work
(the creditor's internal notes are never shown here)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from fordring.domain.errors import InvalidInput
from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import (
    DebtorVisit,
    scope_of,
    visit_of,
)
from fordring.entrypoints.web.visitor import application, redirect
from fordring.services.debtor_messages import thread, write_to_handler

router = APIRouter(include_in_schema=False)


def _page(request: Request, visit: DebtorVisit, problem: str = "", text: str = "") -> Response:
    messages = thread(visit.case_number, scope_of(visit), application(request).uow_factory)
    return debtor_page(
        request,
        "messages.html",
        visit,
        messages=messages,
        problem=problem,
        text=text,
        status=422 if problem else 200,
    )


@router.get("/messages")
def messages(request: Request) -> Response:
    return _page(request, visit_of(request))


@router.post("/messages")
def write(request: Request, message: Annotated[str, Form()] = "") -> Response:
    """Send the message; a 303 back to the thread (sent twice, it is added once)."""
    visit = visit_of(request)
    try:
        write_to_handler(
            visit.case_number, message, scope_of(visit), application(request).uow_factory
        )
    except InvalidInput as invalid:
        return _page(request, visit, invalid.problems[0].code, message)
    return redirect(request, "/messages#sent")
