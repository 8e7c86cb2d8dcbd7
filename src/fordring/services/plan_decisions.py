"""The creditor's side of payment plans (issue 19): accept or reject a proposal waiting
for it, break a running plan, and the plans of a case and the proposals waiting (reads)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from fordring.domain.api_access import Permission
from fordring.domain.collection.case import apply_event
from fordring.domain.collection.history import EventKind, HistoryEvent
from fordring.domain.collection.payment_plan import (
    Decision,
    Outcome,
    PlanFacts,
    PlanState,
    Proposal,
    case_state,
    nothing_owed,
)
from fordring.domain.collection.states import CaseEvent
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.law.tables import RateBook
from fordring.services.collection_agreement import agreement_of
from fordring.services.form_once import claim_once
from fordring.services.limitation import acknowledged_by_plan
from fordring.services.payment_plans import (
    PlanAnswer,
    confirm_plan,
    debtors_proposal,
    locked_case,
    plan_payload,
    schedule_text,
    scheduled,
    start_plan,
    with_letter,
)
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.ports.payment_plans import StoredPlan
from fordring.services.scope import Scope, require


def plans_of_case(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> list[StoredPlan]:
    """The case's plans, the newest first (the debtor: only the own case's)."""
    with uow_factory(scope) as uow:
        locked_case(uow, number, scope, lock=False)  # a read: no lock (a read-only one)
        return uow.plans.plans(number)


def waiting_plans(scope: Scope, uow_factory: UnitOfWorkFactory) -> list[StoredPlan]:
    """The proposals waiting for the creditor, the oldest first."""
    require(scope, Permission.READ)
    with uow_factory(scope) as uow:
        return uow.plans.waiting()


def decide_plan(
    number: int,
    accept: bool,
    note: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
    once: str | None = None,
    *,
    pin_key: bytes,
) -> PlanAnswer:
    """Accept (the schedule worked out anew over what is owed today, from the proposed
    first date or today if that has passed; the confirmation letter stored and queued with
    it, its PIN kept under `pin_key`) or reject the proposal waiting on case `number`.
    Deciding the same way again changes nothing (no second letter); a portal form's `once`
    token sent again is AlreadyDone."""
    require(scope, Permission.MANAGE_COLLECTION)
    today, actor = scope.business_date, str(scope.actor)
    with uow_factory(scope) as uow:
        case = locked_case(uow, number, scope)
        claim_once(uow, once, today)
        plans = uow.plans.plans(number)
        waiting = next((p for p in plans if p.state is PlanState.PROPOSED), None)
        if waiting is None:
            done = PlanState.RUNNING if accept else PlanState.REJECTED
            if plans and plans[0].state is done and plans[0].decided_by == actor:
                outcome = Outcome.ACCEPTED if accept else Outcome.REFUSED
                return PlanAnswer(Decision(outcome, ()), plans[0], repeated=True)
            raise InvalidInput.one("plan", "no payment plan waits for a decision", code="not_found")
        if not accept:
            uow.plans.settle(waiting.id, PlanState.REJECTED, today, actor, was=PlanState.PROPOSED)
            text = f"{waiting.kind} rejected" + (f": {note}" if note else "")
            row = HistoryEvent(case.case_id, EventKind.PLAN_REJECTED, text, {"kind": waiting.kind})
            uow.collection.add_event_rows([row], today, actor)
            stored = uow.plans.plans(number)[0]
            uow.commit()
            return PlanAnswer(Decision(Outcome.REFUSED, ()), stored)
        agreement = agreement_of(uow)
        facts = PlanFacts(
            case.status.state, case.owed, case.business, False, False, agreement, today
        )
        refused = [
            r for check in (case_state, nothing_owed) if (r := check(_asked(waiting), (), facts))
        ]
        if refused:
            raise InvalidInput(Problem("case", r.text, code=r.code.lower()) for r in refused)
        proposal = replace(_asked(waiting), first_date=max(waiting.first_date, today))
        # The addition only when the debtor was told it before proposing (then the proposal
        # recorded it); the case may have come to collection while it waited: none then.
        told = waiting.addition
        instalments, addition, invoice_id = scheduled(uow, case, proposal, agreement, book, told)
        total = sum((i.amount for i in instalments), Decimal(0))
        added = addition.amount if addition else Decimal(0)
        uow.plans.settle(
            waiting.id,
            PlanState.RUNNING,
            today,
            actor,
            was=PlanState.PROPOSED,
            schedule=(total, added, instalments),
        )
        text = f"{waiting.kind} accepted by the creditor: " + schedule_text(instalments)
        text += start_plan(uow, case, addition, invoice_id, agreement) + (
            f"; {note}" if note else ""
        )
        stored = uow.plans.plans(number)[0]
        letter_id = confirm_plan(
            uow, case.case_id, stored.kind, instalments, added, agreement, pin_key
        )
        payload = with_letter(plan_payload(stored, instalments), letter_id)
        row = HistoryEvent(case.case_id, EventKind.PLAN_ACCEPTED, text, payload)
        uow.collection.add_event_rows([row], today, actor)
        if debtors_proposal(number, waiting.proposed_by):  # acknowledged the day proposed
            acknowledged_by_plan(uow, number, waiting.proposed_on)
        uow.commit()
    return PlanAnswer(Decision(Outcome.ACCEPTED, ()), stored)


def _asked(plan: StoredPlan) -> Proposal:
    return Proposal(plan.kind, plan.first_date, plan.count, plan.amount)


def break_plan(number: int, note: str, scope: Scope, uow_factory: UnitOfWorkFactory) -> StoredPlan:
    """The creditor ends the running plan of case `number`: the case resumes its steps
    where it stood before the plan. Asked again the same day, nothing changes."""
    require(scope, Permission.MANAGE_COLLECTION)
    today, actor = scope.business_date, str(scope.actor)
    with uow_factory(scope) as uow:
        case = locked_case(uow, number, scope)
        plans = uow.plans.plans(number)
        running = next((p for p in plans if p.state is PlanState.RUNNING), None)
        if running is None:
            if plans and plans[0].state is PlanState.BROKEN and plans[0].ended_on == today:
                return plans[0]  # ended already today: the same request again
            raise InvalidInput.one("plan", "no payment plan runs on the case", code="not_found")
        uow.plans.settle(running.id, PlanState.BROKEN, today, actor, was=PlanState.RUNNING)
        resumed = apply_event(case.status, CaseEvent.RESUME, today)
        uow.collection.save_status(case.case_id, resumed, was=case.status)
        text = f"{running.kind} ended by the creditor; the case resumes as {resumed.state}"
        text += f": {note}" if note else ""
        payload = {"kind": running.kind.value, "to": resumed.state.value}
        uow.collection.add_event_rows(
            [HistoryEvent(case.case_id, EventKind.PLAN_BROKEN, text, payload)], today, actor
        )
        stored = uow.plans.plans(number)[0]
        uow.commit()
    return stored


def end_with_case(
    uow: UnitOfWork, number: int, case_id: int, day: date, actor: str, why: str = "closed"
) -> None:
    """The case is closed, objected to or paused (`why`): its running plan ends with it
    (broken) and a proposal still waiting is rejected, in the same transaction."""
    rows = []
    for plan in uow.plans.plans(number):
        payload = {"kind": plan.kind.value}
        if plan.state is PlanState.RUNNING:
            uow.plans.settle(plan.id, PlanState.BROKEN, day, actor, was=PlanState.RUNNING)
            text = f"{plan.kind} ended: the case was {why}"
            rows.append(HistoryEvent(case_id, EventKind.PLAN_BROKEN, text, payload))
        elif plan.state is PlanState.PROPOSED:
            uow.plans.settle(plan.id, PlanState.REJECTED, day, actor, was=PlanState.PROPOSED)
            text = f"{plan.kind} rejected: the case was {why}"
            rows.append(HistoryEvent(case_id, EventKind.PLAN_REJECTED, text, payload))
    if rows:
        uow.collection.add_event_rows(rows, day, actor)
