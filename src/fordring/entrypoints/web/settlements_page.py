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
from fordring.services.settlements import SettlementShown, list_settlements, show_settlement

router = APIRouter(include_in_schema=False)

PATH = "/settlements"
PAGE = 50  # settlements a page
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


def _shown(request: Request, number: int) -> SettlementShown:
    """The company's settlement `number`; NotFound (404) if it has none of that number."""
    try:
        return show_settlement(scope_of(user_of(request)), number, application(request).uow_factory)
    except InvalidInput as error:
        if all(p.code == "not_found" for p in error.problems):
            raise NotFound("settlement", error.problems[0].reason) from error
        raise


@router.get(PATH + "/{number}")
def settlement(request: Request, number: Number) -> Response:
    shown = _shown(request, number)
    return page(
        request,
        "settlement.html",
        user=user_of(request),
        current="settlements",
        settlement=shown.settlement,
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
