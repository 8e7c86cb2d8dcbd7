"""The daily run's plan check (issue 19): every running payment plan and deferral read
set-based with what its case owes; a missed instalment gets one reminder with the
agreement's `plan_reminder_days` deadline, a plan still behind after it (a deferral: once
its day has passed) breaks and its case resumes where it stood, a paid one completes.
Idempotent: the same day again finds each plan as the first check left it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fordring.domain.collection import history as events
from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import apply_event
from fordring.domain.collection.history import EventKind, HistoryEvent
from fordring.domain.collection.payment_plan import PlanState
from fordring.domain.collection.plan_standing import PlanAction, PlanStep, plan_action
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps_closing import letter_deadline_for
from fordring.services.ports import UnitOfWork
from fordring.services.scope import DAILY_RUN


@dataclass(frozen=True, slots=True)
class PlanChecked:
    case_number: int
    step: PlanStep
    deadline: date | None = None  # a reminder's


def _reminder(action: PlanAction, day: date, agreement: Agreement) -> tuple[HistoryEvent, date]:
    missed = action.missed
    assert missed is not None  # a reminder is about a missed instalment
    deadline = letter_deadline_for(day, agreement.plan_reminder_days, agreement).deadline
    plan = action.plan
    due = sum((i.amount for i in plan.instalments if i.seq <= missed.seq), missed.amount * 0)
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
    return HistoryEvent(plan.case_id, EventKind.PLAN_REMINDER, text, payload), deadline


def _resume(uow: UnitOfWork, case_number: int, day: date) -> str:
    """The case back where it stood before the plan (only the few plans that end are read
    one by one); its new state, or "" when it is no longer in the plan state."""
    found = uow.collection.status(case_number, lock=True)
    if found is None or found[1].state is not CaseState.PLAN:
        return ""
    resumed = apply_event(found[1], CaseEvent.RESUME, day)
    uow.collection.save_status(found[0], resumed)
    return resumed.state.value


def check_plans(uow: UnitOfWork, agreement: Agreement, day: date) -> list[PlanChecked]:
    """The day's plan check (after the day's steps, so a case they closed as paid
    completes its plan the same day)."""
    actions = [a for plan in uow.plans.running() if (a := plan_action(plan, day)) is not None]
    if not actions:
        return []
    rows: list[HistoryEvent] = []
    reminders: list[tuple[int, int, date]] = []
    ended: list[tuple[int, PlanState]] = []
    checked: list[PlanChecked] = []
    for action in actions:
        plan = action.plan
        if action.step is PlanStep.REMIND:
            row, deadline = _reminder(action, day, agreement)
            assert action.missed is not None
            reminders.append((plan.plan_id, action.missed.seq, deadline))
            rows.append(row)
            checked.append(PlanChecked(plan.case_number, action.step, deadline))
            continue
        if action.step is PlanStep.COMPLETE:
            ended.append((plan.plan_id, PlanState.COMPLETED))
            text = f"{plan.kind} kept: every instalment is paid"
            payload: events.Payload = {"kind": plan.kind.value}
            if plan.owed > 0:  # interest that ran during the plan: the steps go on for it
                to = _resume(uow, plan.case_number, day)
                text += f"; {plan.owed:.2f} is left, the case resumes as {to}" if to else ""
                payload = {**payload, "left": events.amount(plan.owed)}
            rows.append(HistoryEvent(plan.case_id, EventKind.PLAN_COMPLETED, text, payload))
            checked.append(PlanChecked(plan.case_number, action.step))
            continue
        ended.append((plan.plan_id, PlanState.BROKEN))
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
    uow.plans.remind(reminders)
    uow.plans.end(ended, day)
    uow.collection.add_event_rows(rows, day, str(DAILY_RUN))
    return checked
