"""Payment plans and deferrals (issue 19): the debtor (or the creditor for the debtor)
proposes one, accepted at once inside the agreement's limits or left for the creditor to
accept or reject; the creditor may break a running one. While a plan runs the case is in
the `plan` state and its steps stop; the daily run checks the instalments (plan_check.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fordring.domain.api_access import Permission
from fordring.domain.collection import history as events
from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import apply_event
from fordring.domain.collection.case_facts import Charge, ChargeKind
from fordring.domain.collection.history import EventKind, HistoryEvent, PayloadValue
from fordring.domain.collection.letters import LetterKind, PlanTerms
from fordring.domain.collection.payment_plan import (
    OPEN_PLAN_STATES,
    Decision,
    Instalment,
    Outcome,
    PlanFacts,
    PlanKind,
    PlanState,
    Proposal,
    decide,
    schedule,
)
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.law.salaer import PlanAddition, payment_plan_addition
from fordring.domain.law.tables import RateBook
from fordring.services.collection_agreement import agreement_of
from fordring.services.day_bookings import book_case_charges
from fordring.services.limitation import acknowledged_by_plan
from fordring.services.plan_letters import PlanLetter, store_plan_letters
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.ports.payment_plans import NewPlan, PlanCase, StoredPlan
from fordring.services.scope import ActorKind, Scope, debtor, require

AUTOMATIC = "agreement (automatic)"  # who decided a plan accepted at once
FIELDS = {"FIRST_DATE_PAST": "first_date"}  # a refusal's field; the others: the case


@dataclass(frozen=True, slots=True)
class PlanAnswer:
    """What proposing or deciding gave: the decision with its reasons and the plan."""

    decision: Decision
    plan: StoredPlan
    repeated: bool = False  # the same request again: nothing changed


def debtors_proposal(number: int, proposed_by: str) -> bool:
    """Whether the debtor of case `number` made the proposal (signed in on the debtor's
    page): only that is the debtor's acknowledgement of the debt (foreldelsesloven § 14).
    One a user or API key entered is recorded as theirs, not the debtor's: it interrupts
    nothing unless the creditor states the interruption (`interrupt_limitation`)."""
    return proposed_by == str(debtor(number))


def locked_case(uow: UnitOfWork, number: int, scope: Scope, *, lock: bool = True) -> PlanCase:
    """The case, locked until commit (not for a read: `lock` False); a debtor reaches only
    the case signed in to."""
    actor = scope.actor
    found = None
    if actor.kind is not ActorKind.DEBTOR or actor.name == debtor(number).name:
        found = uow.plans.plan_case(number, lock=lock)
    if found is None:
        raise InvalidInput.one("case", f"no case number {number}", code="not_found")
    return found


# A plan in these states was accepted: its addition (if any) was booked as it started.
_STARTED = (PlanState.RUNNING, PlanState.BROKEN, PlanState.COMPLETED)


def _addition_booked(uow: UnitOfWork, number: int) -> bool:
    """Whether an earlier plan of the case booked the payment-plan addition."""
    return any(p.state in _STARTED and p.addition > 0 for p in uow.plans.plans(number))


def _addition(
    uow: UnitOfWork, case: PlanCase, count: int, today: date, book: RateBook, told: Decimal
) -> tuple[PlanAddition | None, int]:
    """The payment-plan addition to salær (forskriften § 2-4) where the law gives one: a
    case in collection whose salær is open, a plan of more than 4 instalments; and the
    invoice it is charged on. The kinder reading: no salær open, no addition; and once
    only on a case: no addition when an earlier plan of the case booked one; and only when
    the debtor was told it before agreeing (`told`: the addition the debtor saw, 0 when not
    told; the 1996 letter, docs/law.md)."""
    if case.status.state is not CaseState.IN_COLLECTION or _addition_booked(uow, case.number):
        return None, 0
    details = uow.collection.case_details([case.case_id])[case.case_id]
    if details.salaer_open <= 0 or not details.invoices:
        return None, 0
    first = min(details.invoices, key=lambda i: i.due_date)
    addition = payment_plan_addition(count, due=first.due_date, on=today, book=book)
    if addition is None or addition.amount > told:
        return None, 0
    return addition, first.invoice_id


def scheduled(
    uow: UnitOfWork,
    case: PlanCase,
    proposal: Proposal,
    agreement: Agreement,
    book: RateBook,
    told: Decimal,
) -> tuple[tuple[Instalment, ...], PlanAddition | None, int]:
    """The schedule over what is owed plus the addition its length brings (if told). With
    the addition, a proposal giving both a count and an amount keeps the amount and lets
    the count follow (the schedule, shown to the debtor, says how many)."""
    today = uow.scope.business_date
    move = agreement.move_deadlines
    instalments = schedule(case.owed, proposal, move=move)
    addition, invoice_id = _addition(uow, case, len(instalments), today, book, told)
    if addition is not None:
        if proposal.amount is not None:
            proposal = replace(proposal, count=None)
        instalments = schedule(case.owed + addition.amount, proposal, move=move)
        addition, invoice_id = _addition(uow, case, len(instalments), today, book, told)
        if addition is not None:
            instalments = schedule(case.owed + addition.amount, proposal, move=move)
    return instalments, addition, invoice_id


def plan_payload(plan: NewPlan, instalments: tuple[Instalment, ...]) -> dict[str, PayloadValue]:
    payload: dict[str, PayloadValue] = {
        "kind": plan.kind.value,
        "total": events.amount(sum((i.amount for i in instalments), Decimal(0))),
        "instalments": {events.day(i.due_on): events.amount(i.amount) for i in instalments},
    }
    if plan.addition:
        payload["addition"] = events.amount(plan.addition)
        if plan.state is PlanState.RUNNING:  # booked as the plan starts: `fee.charged` too
            payload["charged"] = {"salaer": events.amount(plan.addition)}
    return payload


def schedule_text(instalments: tuple[Instalment, ...]) -> str:
    return ", ".join(f"{i.due_on} {i.amount:.2f}" for i in instalments)


def start_plan(
    uow: UnitOfWork,
    case: PlanCase,
    addition: PlanAddition | None,
    invoice_id: int,
    agreement: Agreement,
) -> str:
    """The case into the plan state (its steps stop) and the addition booked as salær."""
    today = uow.scope.business_date
    uow.collection.save_status(
        case.case_id, apply_event(case.status, CaseEvent.PLAN, today), was=case.status
    )
    if addition is None:
        return ""
    details = uow.collection.case_details([case.case_id])
    charge = Charge(invoice_id, ChargeKind.SALAER, addition.amount, addition.text)
    book_case_charges(uow, agreement, today, [(case.case_id, charge)], details, {})
    return f"; salær {addition.text}"


def confirm_plan(
    uow: UnitOfWork,
    case_id: int,
    kind: PlanKind,
    instalments: tuple[Instalment, ...],
    addition: Decimal,
    agreement: Agreement,
    pin_key: bytes,
) -> int | None:
    """The confirmation letter of a plan that starts (after `start_plan`, so it shows the
    addition booked), stored and queued in the plan's transaction; its id (None: the case
    had a confirmation dated today already, see `store_plan_letters`)."""
    terms = PlanTerms(
        deferral=kind is PlanKind.DEFERRAL,
        instalments=instalments,
        addition=addition,
        reminder_days=agreement.plan_reminder_days,
    )
    wanted = PlanLetter(LetterKind.PLAN_CONFIRMATION, case_id, terms, instalments[0].due_on)
    day = uow.scope.business_date
    return store_plan_letters(uow, agreement, day, [wanted], pin_key).get(case_id)


def with_letter(payload: dict[str, PayloadValue], letter_id: int | None) -> dict[str, PayloadValue]:
    """The history payload with the letter it sent (as a step's event has it)."""
    return payload if letter_id is None else {**payload, "letter_id": letter_id}


def _same(plan: StoredPlan, proposal: Proposal) -> bool:
    asked = (proposal.kind, proposal.first_date, proposal.count, proposal.amount)
    return (plan.kind, plan.first_date, plan.count, plan.amount) == asked


@dataclass(frozen=True, slots=True)
class WorkedOut:
    """A proposal worked out over the case as it stands: the decision, the schedule and
    the addition it brings (`preview_plan` gives it to the debtor before confirming)."""

    decision: Decision
    instalments: tuple[Instalment, ...]
    addition: PlanAddition | None
    invoice_id: int
    agreement: Agreement

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), Decimal(0))


SHOWN = Decimal("Infinity")  # a preview: the addition as it would be told to the debtor


def _work_out(
    uow: UnitOfWork, case: PlanCase, proposal: Proposal, known: bool, book: RateBook, told: Decimal
) -> WorkedOut:
    """The decision and schedule; InvalidInput with every reason when it is refused."""
    agreement = agreement_of(uow)
    facts = PlanFacts(
        case.status.state, case.owed, case.business, known, case.broken_before, agreement,
        uow.scope.business_date,
    )  # fmt: skip
    decision, _ = decide(proposal, facts)
    if decision.outcome is Outcome.REFUSED:
        raise InvalidInput(
            Problem(FIELDS.get(r.code, "case"), r.text, code=r.code.lower())
            for r in decision.reasons
        )
    instalments, addition, invoice_id = scheduled(uow, case, proposal, agreement, book, told)
    if addition is not None:  # the limits are those of the schedule with the addition
        if proposal.amount is not None:  # the count follows from the amount (scheduled)
            proposal = replace(proposal, count=None)
        decision, _ = decide(proposal, replace(facts, owed=case.owed + addition.amount))
    return WorkedOut(decision, instalments, addition, invoice_id, agreement)


def preview_plan(
    number: int, proposal: Proposal, scope: Scope, uow_factory: UnitOfWorkFactory, book: RateBook
) -> WorkedOut:
    """What proposing would give, written nowhere: the schedule and the addition the debtor
    is told of before confirming (the debtor's page); refused as `propose_plan` refuses."""
    if scope.actor.kind is not ActorKind.DEBTOR:
        require(scope, Permission.MANAGE_COLLECTION)
    with uow_factory(scope) as uow:
        case = locked_case(uow, number, scope, lock=False)
        known = any(p.state in OPEN_PLAN_STATES for p in uow.plans.plans(number))
        return _work_out(uow, case, proposal, known, book, SHOWN)


def propose_plan(
    number: int,
    proposal: Proposal,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
    told: Decimal = Decimal(0),
    *,
    pin_key: bytes,
) -> PlanAnswer:
    """A plan or deferral for case `number`: accepted at once inside the agreement's limits
    (its confirmation letter stored and queued with it, with a code and PIN kept under
    `pin_key`), else stored to wait for the creditor; refused (InvalidInput with every
    reason, nothing written) when it cannot be agreed. The same proposal again changes
    nothing (no second letter). The debtor
    proposes on the own case; anyone else needs to manage collection (for the debtor).
    The § 2-4 addition is charged only up to `told`, the addition the debtor was shown
    before agreeing (the debtor's page's preview); 0, as from the CLI, API or portal: none."""
    if scope.actor.kind is not ActorKind.DEBTOR:
        require(scope, Permission.MANAGE_COLLECTION)
    with uow_factory(scope) as uow:
        case = locked_case(uow, number, scope)  # locked: two proposals at once make one plan
        today, actor = scope.business_date, str(scope.actor)
        known = [p for p in uow.plans.plans(number) if p.state in OPEN_PLAN_STATES]
        if known and _same(known[0], proposal):
            outcome = Outcome.ACCEPTED if known[0].state is PlanState.RUNNING else Outcome.WAITING
            return PlanAnswer(Decision(outcome, ()), known[0], repeated=True)
        worked = _work_out(uow, case, proposal, bool(known), book, told)
        decision, instalments, addition = worked.decision, worked.instalments, worked.addition
        accepted = decision.outcome is Outcome.ACCEPTED
        plan = NewPlan(
            case.case_id,
            proposal.kind,
            PlanState.RUNNING if accepted else PlanState.PROPOSED,
            proposal.first_date,
            proposal.count,
            proposal.amount,
            sum((i.amount for i in instalments), Decimal(0)),
            addition.amount if addition else Decimal(0),
            today,
            actor,
            "; ".join(f"{r.code}: {r.text}" for r in decision.reasons),
            instalments,
            today if accepted else None,
            AUTOMATIC if accepted else None,
        )
        uow.plans.add(plan)
        letter_id = None
        if accepted:
            kind = EventKind.PLAN_ACCEPTED
            started = start_plan(uow, case, addition, worked.invoice_id, worked.agreement)
            text = f"{proposal.kind} accepted at once: {schedule_text(instalments)}{started}"
            letter_id = confirm_plan(
                uow, case.case_id, proposal.kind, instalments, plan.addition, worked.agreement,
                pin_key,
            )  # fmt: skip
        else:
            kind = EventKind.PLAN_PROPOSED
            why = "; ".join(r.text for r in decision.reasons)
            text = f"{proposal.kind} proposed: {schedule_text(instalments)}; waits for the "
            text += f"creditor: {why}"
        payload = with_letter(plan_payload(plan, instalments), letter_id)
        row = HistoryEvent(case.case_id, kind, text, payload)
        uow.collection.add_event_rows([row], today, actor)
        if accepted and debtors_proposal(number, actor):  # the debtor acknowledged the debt
            acknowledged_by_plan(uow, number, today)
        stored = uow.plans.plans(number)[0]
        uow.commit()
    return PlanAnswer(decision, stored)
