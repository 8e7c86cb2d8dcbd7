"""`/api/v1/settlements`: what the collector paid out to the creditor (oppgjør), a page
at a time, one with each payment's principal, interest, fees and salær, and its
statement as PDF or CSV (rendered after the request's transaction)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fordring import bootstrap
from fordring.domain.api_access import Permission
from fordring.domain.settlement import Settlement
from fordring.entrypoints.api.calls import RENDERING, call, json_answer, read
from fordring.entrypoints.api.schemas import (
    SettledLineOut,
    SettlementOut,
    SettlementPage,
    SettlementSummaryOut,
    amount,
)
from fordring.services.api_requests import Answer
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope
from fordring.services.settlements import list_settlements, show_settlement

router = APIRouter(tags=["settlements"])
Number = Annotated[int, Path(ge=1, le=2**63 - 1, description="the settlement number")]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many (1-500)")]
After = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="the last number seen")]


@router.get("/settlements", response_model=SettlementPage, summary="List settlements")
def list_(request: Request, limit: Limit = 100, after: After = None) -> Response:
    """Every settlement by number, a page at a time: day, payments, received, kept by the
    collector, paid out."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        found = list_settlements(scope, uows, after=after, limit=limit + 1)
        page = [
            SettlementSummaryOut(
                settlement=s.number,
                day=s.day,
                payments=s.payments,
                received=amount(s.received),
                kept=amount(s.kept),
                paid_out=amount(s.paid_out),
            )
            for s in found[:limit]
        ]
        last = page[-1].settlement if len(found) > limit else None
        return json_answer(SettlementPage(items=page, next_after=last))

    return call(request, Permission.READ, work)


def settlement_out(s: Settlement) -> SettlementOut:
    return SettlementOut(
        settlement=s.number,
        day=s.day,
        creditor=s.creditor.name,
        collector=s.collector.name,
        received=amount(s.received),
        principal=amount(s.principal),
        interest=amount(s.interest),
        fees=amount(s.fees),
        salaer=amount(s.salaer),
        credit=amount(s.credit),
        kept=amount(s.kept),
        paid_out=amount(s.paid_out),
        payments=[
            SettledLineOut(
                received_on=p.received_on,
                kid=p.kid or None,
                payer=p.payer or None,
                customer=p.customer_number,
                case=p.case_number,
                invoices=list(p.invoice_numbers),
                amount=amount(p.amount),
                principal=amount(p.principal),
                interest=amount(p.interest),
                fees=amount(p.fees),
                salaer=amount(p.salaer),
                credit=amount(p.credit),
                paid_out=amount(p.paid_out),
            )
            for p in s.payments
        ],
    )


@router.get("/settlements/{number}", response_model=SettlementOut, summary="Get a settlement")
def get(number: Number, request: Request) -> Response:
    """One settlement with each payment's principal, interest, fees and salær."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(settlement_out(show_settlement(scope, number, uows).settlement))

    return call(request, Permission.READ, work)


def _document(
    request: Request, number: int, media_type: str, render: Callable[[Settlement], bytes]
) -> Response:
    """The settlement `number`, read in the request's transaction, rendered after it."""
    shown = read(request, Permission.READ, lambda s, u: show_settlement(s, number, u))
    return Response(render(shown.settlement), media_type=media_type)


def _pdf(settlement: Settlement) -> bytes:
    with RENDERING:
        return bootstrap.settlement_documents().pdf(settlement)


@router.get(
    "/settlements/{number}/pdf",
    summary="The settlement as PDF",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def pdf(number: Number, request: Request) -> Response:
    """The settlement statement as PDF."""
    return _document(request, number, "application/pdf", _pdf)


@router.get(
    "/settlements/{number}/csv",
    summary="The settlement as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def csv(number: Number, request: Request) -> Response:
    """The settlement statement as CSV, one line per payment."""
    render = bootstrap.settlement_documents().csv
    return _document(request, number, "text/csv; charset=utf-8", render)
