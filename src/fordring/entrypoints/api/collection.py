"""`/api/v1/collection`: the collection agreement (read; changed by an administrator),
which invoices may go to collection and why not, sending them, the collection list and
approving its cases for hand-over. Each a thin call of one service (collection_agreement,
collection_sending, list_approval)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fordring.domain.api_access import Permission
from fordring.domain.collection.agreement import as_settings, parse_settings
from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import parse_business_date
from fordring.entrypoints.api.calls import call, json_answer
from fordring.entrypoints.api.schemas import (
    AgreementChangeIn,
    ApprovedOut,
    ApproveIn,
    CaseSummaryOut,
    CollectionListOut,
    EligibilityList,
    EligibilityOut,
    ListedCaseOut,
    ReasonOut,
    SendIn,
    SentOut,
    SkippedOut,
    amount,
)
from fordring.entrypoints.plain import jsonable
from fordring.services.api_requests import Answer
from fordring.services.collection_agreement import set_agreement, show_agreement
from fordring.services.collection_sending import check_eligibility, send_to_collection
from fordring.services.list_approval import approve_cases, collection_list
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["collection"])
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many (1-500)")]
After = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="the last number seen")]


def _data(value: Any, status: int = 200) -> Answer:
    return Answer(status, json.dumps(jsonable(value)).encode())


@router.get(
    "/collection/agreement", response_model=dict[str, Any], summary="The collection agreement"
)
def agreement(request: Request) -> Response:
    """Every setting of the agreement (defaults included), as `collection agreement show
    --json` shows them."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return _data(as_settings(show_agreement(scope, uows)))

    return call(request, Permission.READ, work)


@router.patch(
    "/collection/agreement", response_model=dict[str, Any], summary="Change the agreement"
)
def change_agreement(body: AgreementChangeIn, request: Request) -> Response:
    """Change settings (administrator): all validated together, every bad one named, and
    nothing changes on an error; the others keep theirs."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        if not body.settings:
            raise InvalidInput.one("settings", "give at least one setting", code="required")
        return _data(as_settings(set_agreement(parse_settings(body.settings), scope, uows)))

    return call(request, Permission.CHANGE_AGREEMENT, work, body)


@router.get("/collection/eligibility", response_model=EligibilityList, summary="May these go?")
def eligibility(
    request: Request,
    invoice: Annotated[
        list[int] | None, Query(description="invoice numbers (default: every open one)")
    ] = None,
    limit: Limit = 100,
    after: After = None,
) -> Response:
    """Whether each invoice may go to collection today and, if not, every reason why. The
    open invoices come by number a page at a time; invoices named come all at once."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        paged = not invoice
        more = limit + 1 if paged else None
        found = check_eligibility(invoice or None, scope, uows, after=after, limit=more)
        items = [
            EligibilityOut(
                invoice=e.invoice.number,
                eligible=e.eligible,
                reasons=[ReasonOut(code=r.code, text=r.text) for r in e.reasons],
            )
            for e in (found[:limit] if paged else found)
        ]
        last = items[-1].invoice if paged and len(found) > limit else None
        return json_answer(EligibilityList(items=items, next_after=last))

    return call(request, Permission.READ, work)


@router.post(
    "/collection/send", status_code=201, response_model=SentOut, summary="Send to collection"
)
def send(body: SendIn, request: Request) -> Response:
    """Open cases for the invoices given (each must be eligible, else none is sent and
    every reason is named) or, with `all_eligible`, for every eligible open invoice."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        if bool(body.invoices) == body.all_eligible:
            raise InvalidInput.one("invoices", "give invoice numbers or all_eligible (not both)")
        interrupted = None
        if body.limitation_interrupted is not None:
            text = body.limitation_interrupted
            interrupted = parse_business_date(text, "limitation_interrupted")
        result = send_to_collection(body.invoices, scope, uows, interrupted)
        out = SentOut(
            cases=[CaseSummaryOut.of(c) for c in result.cases],
            skipped=[
                SkippedOut(invoice=e.invoice.number, reasons=[r.code for r in e.reasons])
                for e in result.skipped
            ],
        )
        return json_answer(out, 201)

    return call(request, Permission.MANAGE_COLLECTION, work, body)


@router.get("/collection/list", response_model=CollectionListOut, summary="The collection list")
def listed(request: Request, limit: Limit = 100, after: After = None) -> Response:
    """Cases whose notice deadline has run out, waiting to be approved for hand-over, with
    the day their list was sent (null: not yet); by case number, a page at a time."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        found = collection_list(scope, uows, after=after, limit=limit + 1)
        items = [
            ListedCaseOut(
                case=int(line.case_number),
                debtor=line.debtor,
                invoices=list(line.invoice_numbers),
                remaining=amount(line.remaining),
                notice_date=line.notice_date,
                deadline=line.deadline,
                list_sent_on=sent,
            )
            for line, sent in found[:limit]
        ]
        last = items[-1].case if len(found) > limit else None
        return json_answer(CollectionListOut(items=items, next_after=last))

    return call(request, Permission.READ, work)


@router.post("/collection/approve", response_model=ApprovedOut, summary="Approve listed cases")
def approve(body: ApproveIn, request: Request) -> Response:
    """Approve cases on the collection list for hand-over (all named ones or, if one may
    not be handed over, none); the run of `handover_on` hands them over."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        if bool(body.cases) == body.all:
            raise InvalidInput.one("cases", "give case numbers or all (not both)")
        done = approve_cases(body.cases, scope, uows)
        return json_answer(ApprovedOut(approved=done.numbers, handover_on=done.handover_on))

    return call(request, Permission.MANAGE_COLLECTION, work, body)
