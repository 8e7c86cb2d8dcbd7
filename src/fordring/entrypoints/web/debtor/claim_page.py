"""See the claim (`/d/`): the signed-in debtor's case as the debtor reads it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import visit_of

router = APIRouter(include_in_schema=False)


@router.get("/")
def claim(request: Request) -> Response:
    visit = visit_of(request)
    return debtor_page(request, "claim.html", visit)
