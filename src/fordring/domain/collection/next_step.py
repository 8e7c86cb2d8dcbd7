"""What a case waits for next, as the portal's case list shows it (issue 18): the step
its state leads to and the first day the daily run may take it (the case's wake-up day;
a paused case's is the day it closes by itself unless resumed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fordring.domain.collection.states import CaseState
from fordring.domain.law.deadlines import paused_case_closes_on

# The state → the step the daily run takes next (a name the portal translates).
STEPS: dict[CaseState, str] = {
    CaseState.REGISTERED: "reminder_or_notice",
    CaseState.REMINDED: "notice",
    CaseState.NOTIFIED: "collection_list",
    CaseState.LISTED: "hand_over",  # once the creditor approves it
    CaseState.IN_COLLECTION: "collection_step",
    CaseState.PAUSED: "closes_by_itself",
    CaseState.OBJECTED: "objection_resolved",  # a person's: resume or uphold
    CaseState.PLAN: "plan_kept",  # the payment plan's instalments (the plan check)
}
# A listed case when the agreement hands over by itself (`automatic_handover`): on the
# Thursday after its list is sent, unless approved before or stopped.
AUTOMATIC_HANDOVER = "hand_over_automatic"


@dataclass(frozen=True, slots=True)
class NextStep:
    step: str | None  # None: none (closed, legal)
    on: date | None  # None: by a person, or no step
    next_run: bool = False  # the next daily run may take it


def next_step(
    state: str, wake_on: date, paused_on: date | None, *, automatic_handover: bool = False
) -> NextStep:
    """The case's next step and its day; a listed case's hand-over waits for the creditor's
    approval unless the agreement hands over by itself (`automatic_handover`)."""
    known = CaseState(state)
    step = STEPS.get(known)
    if known is CaseState.LISTED and automatic_handover:
        step = AUTOMATIC_HANDOVER
    if step is None:
        return NextStep(None, None)
    if known is CaseState.PAUSED:
        return NextStep(step, None if paused_on is None else paused_case_closes_on(paused_on))
    if known in (CaseState.OBJECTED, CaseState.PLAN) or wake_on == date.max:
        return NextStep(step, None)
    if wake_on == date.min:
        return NextStep(step, None, next_run=True)
    return NextStep(step, wake_on)
