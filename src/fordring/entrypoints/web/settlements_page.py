"""Oppgjør: the settlements the collector paid out to the company, a page at a time, and
one with each payment's principal, interest, fees and salær, its statement as PDF or CSV
(the same documents as the API and `fordring settlement`). Read by every role; another
company's settlement is not found (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from fordring import bootstrap
from fordring.domain.errors import InvalidInput, NotFound
from fordring.entrypoints.api.calls import RENDERING
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.security import finish
from fordring.entrypoints.web.visitor import application, scope_of, user_of
from fordring.services.settlements import (
    SettlementShown,
    list_settlements,
    show_settlement,
    show_settlement_page,
)

router = APIRouter(include_in_schema=False)

PATH = "/settlements"
PAGE = 50  # settlements a page
LINES = 200  # a settlement's payments a page (the PDF and CSV have them all)
After = Annotated[int | None, Query(ge=0, le=2**63 - 1)]
Number = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get(PATH)
def settlements(request: Request, after: After = None) -> Response:
    user = user_of(request)
    found = list_settlements(
        scope_of(user), application(request).uow_factory, after=after, limit=PAGE + 1
    )
    rows = found[:PAGE]
    return page(
        request,
        "settlements.html",
        user=user,
        current="settlements",
        settlements=rows,
        after=after,
        next_after=rows[-1].number if len(found) > PAGE else None,
    )


def _not_found(error: InvalidInput) -> None:
    """The service's "no settlement number N" is the page's 404."""
    if all(p.code == "not_found" for p in error.problems):
        raise NotFound("settlement", error.problems[0].reason) from error


def _shown(request: Request, number: int) -> SettlementShown:
    """The company's settlement `number`, whole (its documents); NotFound (404) if it has
    none of that number."""
    try:
        return show_settlement(scope_of(user_of(request)), number, application(request).uow_factory)
    except InvalidInput as error:
        _not_found(error)
        raise


@router.get(PATH + "/{number}")
def settlement(request: Request, number: Number, after: After = None) -> Response:
    """Its totals and a page of its payments."""
    user = user_of(request)
    try:
        shown = show_settlement_page(
            scope_of(user), number, application(request).uow_factory, after=after, limit=LINES
        )
    except InvalidInput as error:
        _not_found(error)
        raise
    return page(
        request,
        "settlement.html",
        user=user,
        current="settlements",
        record=shown.record,
        settlement=shown.settlement,
        next_after=shown.next_after,
    )


def _download(request: Request, content: bytes, media_type: str, name: str) -> Response:
    response = Response(content, media_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return finish(request, response)


@router.get(PATH + "/{number}/pdf")
def pdf(request: Request, number: Number) -> Response:
    """The settlement statement as PDF (rendered after the read's transaction)."""
    shown = _shown(request, number)
    with RENDERING:
        content = bootstrap.settlement_documents().pdf(shown.settlement)
    return _download(request, content, "application/pdf", f"oppgjor-{number}.pdf")


@router.get(PATH + "/{number}/csv")
def csv(request: Request, number: Number) -> Response:
    """The settlement statement as CSV, one line per payment."""
    shown = _shown(request, number)
    content = bootstrap.settlement_documents().csv(shown.settlement)
    return _download(request, content, "text/csv; charset=utf-8", f"oppgjor-{number}.csv")
