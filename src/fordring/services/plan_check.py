"""The daily run's plan check (issue 19): every running payment plan and deferral read
set-based with what its case owes; a missed instalment gets one reminder with the
agreement's `plan_reminder_days` deadline, a plan still behind after it (a deferral: once
its day has passed) breaks and its case resumes where it stood, a paid one completes.
The reminder is a letter (services/plan_letters.py), stored and queued with the check,
without a fee. Idempotent: the same day again finds each plan as the first check left it
(one reminder, one letter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.collection import history as events
from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CloseReason, apply_event
from fordring.domain.collection.history import EventKind, HistoryEvent
from fordring.domain.collection.letters import LetterKind, PlanTerms
from fordring.domain.collection.payment_plan import PlanState
from fordring.domain.collection.plan_standing import PlanAction, PlanStep, plan_action
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps_closing import letter_deadline_for
from fordring.services.plan_letters import PlanLetter, store_plan_letters
from fordring.services.ports import UnitOfWork
from fordring.services.scope import DAILY_RUN


@dataclass(frozen=True, slots=True)
class PlanChecked:
    case_number: int
    step: PlanStep
    deadline: date | None = None  # a reminder's


_ENDS = {PlanStep.COMPLETE: PlanState.COMPLETED, PlanStep.BREAK: PlanState.BROKEN}


def _deadline(day: date, agreement: Agreement) -> date:
    return letter_deadline_for(day, agreement.plan_reminder_days, agreement).deadline


def _reminder(
    action: PlanAction, day: date, agreement: Agreement
) -> tuple[HistoryEvent, PlanLetter]:
    """The reminder's history row and its letter (the letter's id joins the row)."""
    missed = action.missed
    assert missed is not None  # a reminder is about a missed instalment
    deadline = _deadline(day, agreement)
    plan = action.plan
    due = sum((i.amount for i in plan.instalments if i.seq <= missed.seq), Decimal(0))
    behind = due - plan.paid
    text = (
        f"instalment {missed.seq} of {missed.due_on} ({missed.amount:.2f}) is not paid: "
        f"{behind:.2f} behind the plan; paid by {deadline}, or the plan breaks and the case "
        "resumes its steps"
    )
    payload: events.Payload = {
        "instalment": missed.seq,
        "due_on": events.day(missed.due_on),
        "behind": events.amount(behind),
        "deadline": events.day(deadline),
    }
    terms = PlanTerms(
        deferral=False,
        instalments=plan.instalments,
        reminder_days=agreement.plan_reminder_days,
        missed=missed,
        due_now=behind,
        paid=plan.paid,
    )
    letter = PlanLetter(LetterKind.PLAN_REMINDER, plan.case_id, terms, deadline)
    return HistoryEvent(plan.case_id, EventKind.PLAN_REMINDER, text, payload), letter


def _resume(uow: UnitOfWork, case_number: int, day: date) -> str:
    """The case back where it stood before the plan (only the few plans that end are read
    one by one); its new state, or "" when it is no longer in the plan state."""
    found = uow.collection.status(case_number, lock=True)
    if found is None or found[1].state is not CaseState.PLAN:
        return ""
    resumed = apply_event(found[1], CaseEvent.RESUME, day)
    uow.collection.save_status(found[0], resumed)
    return resumed.state.value


def _on_closed_cases(uow: UnitOfWork, day: date) -> tuple[list[HistoryEvent], list[PlanChecked]]:
    """Plans left open on a case closed by a step, a credit note, a merge or a write-off:
    a running one completes if the case closed as paid, else ends (broken); a proposal
    waiting is rejected. History only for the plans this check changed."""
    found = uow.plans.open_on_closed_cases()
    if not found:
        return [], []
    paid = CloseReason.PAID.value
    running = [p for p in found if p.state is PlanState.RUNNING]
    ends = [(p.plan_id, PlanState.COMPLETED if p.closed_reason == paid else PlanState.BROKEN)
            for p in running]  # fmt: skip
    changed = uow.plans.end(ends, day)
    proposed = [(p.plan_id, PlanState.REJECTED) for p in found if p.state is PlanState.PROPOSED]
    changed |= uow.plans.end(proposed, day, was=PlanState.PROPOSED)
    rows: list[HistoryEvent] = []
    checked: list[PlanChecked] = []
    for plan in (p for p in found if p.plan_id in changed):
        why = f"the case was closed ({plan.closed_reason})"
        payload: events.Payload = {"kind": plan.kind.value}
        step: PlanStep | None
        if plan.state is PlanState.PROPOSED:
            kind, text, step = EventKind.PLAN_REJECTED, f"{plan.kind} rejected: {why}", None
        elif plan.closed_reason == paid:
            kind, text, step = (
                EventKind.PLAN_COMPLETED,
                f"{plan.kind} kept: {why}",
                PlanStep.COMPLETE,
            )
        else:
            kind, text, step = EventKind.PLAN_BROKEN, f"{plan.kind} ended: {why}", PlanStep.BREAK
        rows.append(HistoryEvent(plan.case_id, kind, text, payload))
        if step is not None:
            checked.append(PlanChecked(plan.case_number, step))
    return rows, checked


def check_plans(
    uow: UnitOfWork, agreement: Agreement, day: date, pin_key: bytes
) -> list[PlanChecked]:
    """The day's plan check (after the day's steps, so a case they closed as paid
    completes its plan the same day; any other closing ends it); each reminder's letter
    prints a new code and PIN, the PIN kept under `pin_key`."""
    rows, checked = _on_closed_cases(uow, day)
    actions = [a for plan in uow.plans.running() if (a := plan_action(plan, day)) is not None]
    if not actions:
        uow.collection.add_event_rows(rows, day, str(DAILY_RUN))
        return checked
    # The guarded writes first: a plan a concurrent break or decision ended (or a reminder
    # already written) is not changed, and gets no history, resume or webhook below.
    reminded = uow.plans.remind(
        [(a.plan.plan_id, a.missed.seq, _deadline(day, agreement))
         for a in actions if a.step is PlanStep.REMIND and a.missed is not None]
    )  # fmt: skip
    ended = uow.plans.end(
        [(a.plan.plan_id, _ENDS[a.step]) for a in actions if a.step is not PlanStep.REMIND], day
    )
    reminders = [
        _reminder(a, day, agreement)
        for a in actions
        if a.step is PlanStep.REMIND and a.plan.plan_id in reminded
    ]
    letter_ids = store_plan_letters(uow, agreement, day, [x for _, x in reminders], pin_key)
    for row, _ in reminders:
        letter_id = letter_ids.get(row.case_id)
        with_id = row.payload if letter_id is None else {**row.payload, "letter_id": letter_id}
        rows.append(row._replace(payload=with_id))
    for action in actions:
        plan = action.plan
        if plan.plan_id not in (reminded if action.step is PlanStep.REMIND else ended):
            continue
        if action.step is PlanStep.REMIND:
            deadline = _deadline(day, agreement)
            checked.append(PlanChecked(plan.case_number, action.step, deadline))
            continue
        if action.step is PlanStep.COMPLETE:
            text = f"{plan.kind} kept: every instalment is paid"
            payload: events.Payload = {"kind": plan.kind.value}
            if plan.owed > 0:  # interest that ran during the plan: the steps go on for it
                to = _resume(uow, plan.case_number, day)
                text += f"; {plan.owed:.2f} is left, the case resumes as {to}" if to else ""
                payload = {**payload, "left": events.amount(plan.owed)}
            rows.append(HistoryEvent(plan.case_id, EventKind.PLAN_COMPLETED, text, payload))
            checked.append(PlanChecked(plan.case_number, action.step))
            continue
        to = _resume(uow, plan.case_number, day)
        missed = action.missed
        assert missed is not None
        text = f"{plan.kind} broken: instalment {missed.seq} of {missed.due_on} is not paid" + (
            f"; the case resumes as {to}" if to else ""
        )
        payload = {"kind": plan.kind.value, "instalment": missed.seq}
        if to:
            payload = {**payload, "to": to}
        rows.append(HistoryEvent(plan.case_id, EventKind.PLAN_BROKEN, text, payload))
        checked.append(PlanChecked(plan.case_number, action.step))
    uow.collection.add_event_rows(rows, day, str(DAILY_RUN))
    return checked
