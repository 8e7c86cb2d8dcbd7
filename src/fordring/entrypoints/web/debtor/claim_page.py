"""See the claim (`/d/`): the signed-in debtor's case as the debtor reads it (creditor and
collector, each invoice's amounts with their explanation, what is owed today and on the
deadline, where to pay, the letters as PDF, the history that concerns the debtor). The
case is the visit's; a letter is named by its position within that case."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fordring.domain.errors import NotFound
from fordring.entrypoints.api.calls import RENDERING
from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import (
    scope_of,
    visit_of,
)
from fordring.entrypoints.web.security import finish
from fordring.entrypoints.web.visitor import application
from fordring.services.debtor_claim import debtor_letter, see_claim

router = APIRouter(include_in_schema=False)


@router.get("/")
def claim(request: Request) -> Response:
    visit = visit_of(request)
    app = application(request)
    found = see_claim(scope_of(visit), visit.case_number, app.uow_factory, app.rate_book)
    return debtor_page(request, "claim.html", visit, claim=found)


@router.get("/letters/{position}.pdf")
def letter(request: Request, position: str) -> Response:
    """The case's letter at `position` as PDF, printed again: the code, the PIN masked."""
    visit = visit_of(request)
    if not (position.isascii() and position.isdigit()) or len(position) > 6:
        raise NotFound("letter", position)
    app = application(request)
    found = debtor_letter(scope_of(visit), visit.case_number, int(position), app.uow_factory)
    with RENDERING:
        (content,) = app.letters.render_letters([found])
    name = f"sak-{visit.case_number}-brev-{position}.pdf"
    # finish: no-store, the CSP and the other headers of every debtor page
    return finish(
        request,
        Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        ),
    )
