"""`/api/v1/cases`: collection cases, a page at a time (by state), one case with what is
owed on it today, its history and its letters; pausing, resuming, objecting to and
closing a case, and a message to its history."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fordring.domain.api_access import Permission
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.input_rules import REASON_LENGTH, check_text
from fordring.entrypoints.api.calls import application, call, json_answer, read
from fordring.entrypoints.api.lean_route import NumberRoute
from fordring.entrypoints.api.schemas import (
    CaseActionIn,
    CaseEventOut,
    CaseLetterOut,
    CaseMessageIn,
    CaseOut,
    CasePage,
    CaseStateOut,
    CaseSummaryOut,
    DebtorAnswerIn,
    DebtorAnswerOut,
    ObjectionAttachmentOut,
    ObjectionOut,
    PaymentReportOut,
    amount,
)
from fordring.entrypoints.api.schemas_plans import PlanOut
from fordring.entrypoints.downloads import attachment_response
from fordring.services.api_requests import Answer
from fordring.services.case_changes import change_case, message_case
from fordring.services.case_views import CaseView, list_cases, show_case
from fordring.services.debtor_messages import answer_debtor
from fordring.services.objections import objection_attachment, uphold
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.objections import ObjectionRecord
from fordring.services.scope import Scope

router = APIRouter(tags=["collection"])
Number = Annotated[int, Path(ge=1, le=2**63 - 1, description="the case number")]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many (1-500)")]
After = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="the last number seen")]


def objection_out(o: ObjectionRecord) -> ObjectionOut:
    stored = o.attachment
    return ObjectionOut(
        id=o.id or 0,
        day=o.day,
        actor=o.actor,
        reason=o.reason,
        text=o.text,
        addition=o.addition,
        attachment=None
        if stored is None
        else ObjectionAttachmentOut(
            name=stored.name, media_type=stored.media_type, size=stored.size, sha256=stored.sha256
        ),
    )


def case_out(view: CaseView, objections: Sequence[ObjectionRecord] = ()) -> CaseOut:
    accrued = view.interest_accrued
    return CaseOut(
        case=CaseSummaryOut.of(view.summary),
        fees_open=amount(view.fees_open),
        salaer_open=amount(view.salaer_open),
        interest_open=amount(view.interest_open),
        interest_accrued=None if accrued is None else amount(accrued),
        owed=amount(view.owed),
        history=[
            CaseEventOut(day=e.day, actor=e.actor, kind=e.kind.value, text=e.text)
            for e in view.history
        ],
        letters=[
            CaseLetterOut(
                kind=x.kind,
                day=x.day,
                deadline=x.deadline,
                charged=amount(x.charged),
                total=amount(x.total),
            )
            for x in view.letters
        ],
        payment_reports=[
            PaymentReportOut(
                paid_on=r.paid_on,
                amount=amount(r.amount),
                note=r.note,
                reported_on=r.reported_on,
                status=r.status.value,
                hold_until=r.hold_until,
                ended_on=r.ended_on,
            )
            for r in view.reports
        ],
        steps_held_until=view.held_until,
        objections=[objection_out(o) for o in objections],
        plans=[PlanOut.of(p) for p in view.plans],
    )


@router.get("/cases", response_model=CasePage, summary="List collection cases")
def list_(
    request: Request,
    limit: Limit = 100,
    after: After = None,
    state: Annotated[CaseState | None, Query(description="only cases in this state")] = None,
) -> Response:
    """The company's collection cases by number, a page at a time."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        chosen = None if state is None else state.value
        found = list_cases(chosen, scope, uows, after=after, limit=limit + 1)
        page = [CaseSummaryOut.of(c) for c in found[:limit]]
        last = page[-1].number if len(found) > limit else None
        return json_answer(CasePage(items=page, next_after=last))

    return call(request, Permission.READ, work)


def get(number: Number, request: Request) -> Response:
    """One case: what is owed today (principal, fees, salær, interest charged and running),
    its history, its letters and the debtor's objections."""
    book = application(request).rate_book

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        view = show_case(number, scope, uows, book)  # one unit of work, its objections too
        return json_answer(case_out(view, view.objections))

    return call(request, Permission.READ, work)


# the API's most frequent request (issue 17): a plainly written number skips FastAPI's
# parameter handling (lean_route.py)
router.add_api_route(
    "/cases/{number}",
    get,
    methods=["GET"],
    response_model=CaseOut,
    summary="Get a collection case",
    route_class_override=NumberRoute,
)


@router.get(
    "/cases/{number}/objections/{objection}/attachment",
    summary="An objection's attached file",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}}},
)
def objection_file(
    number: Number,
    objection: Annotated[int, Path(ge=1, le=2**31 - 1, description="the objection's id")],
    request: Request,
) -> Response:
    """The file the debtor attached to an objection, as a download (`Content-Disposition:
    attachment`, `X-Content-Type-Options: nosniff`); 404 when the case or objection is not
    the company's or has no file."""
    store = application(request).attachments
    found = read(
        request,
        Permission.READ,
        lambda s, u: objection_attachment(number, objection, s, u, store),
    )
    return attachment_response(found.stored.name, found.stored.media_type, found.content)


@router.post(
    "/cases/{number}/messages", status_code=201, response_model=CaseStateOut, summary="Message"
)
def message(number: Number, body: CaseMessageIn, request: Request) -> Response:
    """A message to the case handler, kept in the case history (in every state)."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        text = check_text(body.message, "message", REASON_LENGTH)
        message_case(number, text, scope, uows)
        view = show_case(number, scope, uows, application(request).rate_book)
        state = view.summary.state
        return json_answer(CaseStateOut(case=number, state=state, closes_by_itself_on=None), 201)

    return call(request, Permission.MANAGE_COLLECTION, work, body)


@router.post(
    "/cases/{number}/answers",
    status_code=201,
    response_model=DebtorAnswerOut,
    summary="Answer the debtor",
)
def answer(number: Number, body: DebtorAnswerIn, request: Request) -> Response:
    """An answer to the debtor's messages (issue 19): shown on the debtor's page and kept
    in the case history as `message_to_debtor` (a message to the case handler stays
    internal). The same answer again the same day is not added (`added`: false)."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        added = answer_debtor(number, body.message, scope, uows)
        return json_answer(DebtorAnswerOut(case=number, added=added), 201)

    return call(request, Permission.MANAGE_COLLECTION, work, body)


class CaseAction(StrEnum):
    """What a person (or an accounting system with the right) may do to a case."""

    PAUSE = CaseEvent.PAUSE.value
    RESUME = CaseEvent.RESUME.value
    OBJECT = CaseEvent.OBJECT.value
    CLOSE = CaseEvent.CLOSE.value


@router.post("/cases/{number}/{action}", response_model=CaseStateOut, summary="Act on a case")
def act(number: Number, action: CaseAction, body: CaseActionIn, request: Request) -> Response:
    """Pause (it closes by itself after 6 months unless resumed), resume, record the
    debtor's objection to, or close a case; refused (422, rule_violation) where its state
    does not allow it. The reason and the key's name go into the case history."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        reason = check_text(body.reason, "reason", REASON_LENGTH)
        status = change_case(number, CaseEvent(action.value), reason, scope, uows).status
        closes = status.closes_by_itself_on()
        return json_answer(
            CaseStateOut(case=number, state=status.state.value, closes_by_itself_on=closes)
        )

    return call(request, Permission.MANAGE_COLLECTION, work, body)


@router.post(
    "/cases/{number}/objection/uphold",
    response_model=CaseStateOut,
    summary="Uphold the debtor's objection",
)
def uphold_objection(number: Number, body: CaseActionIn, request: Request) -> Response:
    """The creditor finds the debtor's objection right (`collection object-upheld`): the
    case closes and the debtor owes no costs on it; refused (422, rule_violation) unless
    the case stands objected. The reason goes into the case history."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        status = uphold(number, body.reason, scope, uows).status
        return json_answer(
            CaseStateOut(case=number, state=status.state.value, closes_by_itself_on=None)
        )

    return call(request, Permission.MANAGE_COLLECTION, work, body)
