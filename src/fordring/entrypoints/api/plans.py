"""`/api/v1/cases/{number}/plans`: a case's payment plans (nedbetalingsavtale) and
deferrals (issue 19): list them, propose one for the debtor (accepted at once inside the
agreement's limits, else waiting), decide one that waits, end a running one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from fordring.domain.api_access import Permission
from fordring.domain.collection.plan_input import parse_proposal
from fordring.domain.input_rules import REASON_LENGTH, check_text
from fordring.entrypoints.api.calls import application, call, json_answer
from fordring.entrypoints.api.schemas import CaseActionIn
from fordring.entrypoints.api.schemas_plans import (
    PlanAnswerOut,
    PlanDecisionIn,
    PlanList,
    PlanOut,
    PlanProposalIn,
)
from fordring.services.api_requests import Answer
from fordring.services.payment_plans import PlanAnswer, propose_plan
from fordring.services.plan_decisions import break_plan, decide_plan, plans_of_case
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["collection"])
Number = Annotated[int, Path(ge=1, le=2**63 - 1, description="the case number")]


def _answer(answer: PlanAnswer, status: int = 200) -> Answer:
    out = PlanAnswerOut(
        outcome=answer.decision.outcome.value,
        repeated=answer.repeated,
        plan=PlanOut.of(answer.plan),
    )
    return json_answer(out, status)


@router.get("/cases/{number}/plans", response_model=PlanList, summary="A case's plans")
def list_(number: Number, request: Request) -> Response:
    """The case's payment plans and deferrals with their instalments, the newest first."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        found = plans_of_case(number, scope, uows)
        return json_answer(PlanList(items=[PlanOut.of(p) for p in found]))

    return call(request, Permission.READ, work)


@router.post(
    "/cases/{number}/plans/proposals",
    status_code=201,
    response_model=PlanAnswerOut,
    summary="Propose a payment plan",
)
def propose(number: Number, body: PlanProposalIn, request: Request) -> Response:
    """A plan or deferral for the debtor: `accepted` (it runs; the case's steps stop)
    inside the agreement's limits, else `waiting` for the creditor's decision; refused
    (422, every reason) when it cannot be agreed. The same proposal again changes nothing."""
    app = application(request)
    book, pin_key = app.rate_book, app.debtor_pin_key

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        if body.kind == "deferral":
            proposal = parse_proposal(body.kind, body.first_date)
        else:
            proposal = parse_proposal(body.kind, body.first_date, body.count, body.amount)
        answer = propose_plan(number, proposal, scope, uows, book, pin_key=pin_key)
        return _answer(answer, 200 if answer.repeated else 201)

    return call(request, Permission.MANAGE_COLLECTION, work, body)


@router.post(
    "/cases/{number}/plans/decision", response_model=PlanAnswerOut, summary="Decide a plan"
)
def decide(number: Number, body: PlanDecisionIn, request: Request) -> Response:
    """Accept or reject the plan waiting on the case (accepted: its confirmation letter
    is stored and queued, delivered with the next delivery)."""
    app = application(request)
    book, pin_key = app.rate_book, app.debtor_pin_key

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        reason = check_text(body.reason, "reason", REASON_LENGTH)
        accept = body.decision == "accept"
        return _answer(decide_plan(number, accept, reason, scope, uows, book, pin_key=pin_key))

    return call(request, Permission.MANAGE_COLLECTION, work, body)


@router.post("/cases/{number}/plans/break", response_model=PlanOut, summary="End a plan")
def break_(number: Number, body: CaseActionIn, request: Request) -> Response:
    """End the running plan: the case resumes its steps where it stood."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        reason = check_text(body.reason, "reason", REASON_LENGTH)
        return json_answer(PlanOut.of(break_plan(number, reason, scope, uows)))

    return call(request, Permission.MANAGE_COLLECTION, work, body)
