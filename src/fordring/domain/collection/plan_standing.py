"""How a running payment plan or deferral stands on a day, given what has been paid on the
case since it was agreed, and what the daily run's plan check does about it (issue 19):
nothing, a reminder of the missed instalment, breaking it, or marking it completed.

Paid since the plan = every payment booked on the case from the day it was agreed (the
law's order may put part of it on interest charged as it is paid; the plan counts what the
debtor paid). An instalment is missed when, after its day, the cumulative paid is below the
cumulative due up to it. Every instalment paid while something is still owed (interest that
ran during the plan) completes the plan too: the case resumes its steps for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from fordring.domain.calendar import is_banking_day
from fordring.domain.collection.payment_plan import Instalment, PlanKind


class PlanStep(StrEnum):
    REMIND = "remind"  # an instalment missed: one reminder with a deadline
    BREAK = "break"  # still missed after the reminder's deadline (a deferral: at once)
    COMPLETE = "complete"  # everything paid


@dataclass(frozen=True, slots=True)
class RunningPlan:
    plan_id: int
    case_id: int
    case_number: int
    kind: PlanKind
    total: Decimal  # what the schedule pays
    owed: Decimal  # what the case owes today (0 once closed)
    paid: Decimal  # paid on the case since the plan was agreed
    instalments: tuple[Instalment, ...]
    reminded_for: int | None = None  # the instalment the last reminder was about
    reminder_deadline: date | None = None


def first_missed(
    instalments: Sequence[Instalment], paid: Decimal, today: date
) -> Instalment | None:
    """The first instalment whose day has passed (before today) while the cumulative paid
    is below the cumulative due up to it; None when the plan is kept."""
    due = Decimal(0)
    for instalment in instalments:
        if instalment.due_on >= today:
            return None
        due += instalment.amount
        if paid < due:
            return instalment
    return None


@dataclass(frozen=True, slots=True)
class PlanAction:
    step: PlanStep
    plan: RunningPlan
    missed: Instalment | None = None  # the instalment missed (REMIND, BREAK)


def plan_action(plan: RunningPlan, today: date) -> PlanAction | None:
    """What the plan check does with the plan today; None: nothing (kept, the reminder's
    deadline still running, or a reminder due on a day that is no banking day: it goes on
    the next). Running it twice on a day does nothing the second time, as the
    first's result (reminder sent, plan broken or completed) is stored."""
    if plan.owed <= 0 or plan.paid >= plan.total:
        return PlanAction(PlanStep.COMPLETE, plan)
    missed = first_missed(plan.instalments, plan.paid, today)
    if missed is None:
        return None
    if plan.kind is PlanKind.DEFERRAL:
        return PlanAction(PlanStep.BREAK, plan, missed)
    if plan.reminded_for is None or plan.reminded_for < missed.seq:
        # the reminder is a letter: dated on a day the post goes, as every letter is
        return PlanAction(PlanStep.REMIND, plan, missed) if is_banking_day(today) else None
    if plan.reminder_deadline is not None and today > plan.reminder_deadline:
        return PlanAction(PlanStep.BREAK, plan, missed)
    return None
