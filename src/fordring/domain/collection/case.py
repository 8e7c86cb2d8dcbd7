"""A case's status and how the creditor's actions change it (SPEC C7, C10).

Pausing or an objection remembers the state to resume to; a paused case closes by itself
six months after it was paused (DOMAIN.md § 2, product rule). A case resumed after an
objection gets its stage's letter again, with a new deadline (issue 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fordring.domain.collection.states import BEFORE_COLLECTION, CaseEvent, CaseState, next_state
from fordring.domain.errors import RuleViolation
from fordring.domain.law.deadlines import paused_case_closes_on


class CloseReason(StrEnum):
    PAID = "paid"
    CREDITED = "credited"
    STOPPED = "stopped"  # the creditor closed the claim
    WRITTEN_OFF = "written_off"
    PAUSE_EXPIRED = "pause_expired"  # paused for 6 months without being resumed
    MERGED = "merged"  # its claims moved into the debtor's case in collection (issue 12)
    OBJECTION_UPHELD = "objection_upheld"  # the creditor found the debtor's objection right
    TIME_BARRED = "time_barred"  # the claim became time-barred (foreldelsesloven §§ 2-3)


@dataclass(frozen=True, slots=True)
class CaseStatus:
    state: CaseState
    resume_state: CaseState | None = None
    paused_on: date | None = None
    closed_reason: CloseReason | None = None
    # The stage's letter is to be sent from this day, before any other step of the stage:
    # again after an objection (resumed), a new payment demand or the notice of enforcement
    # (asked by the creditor). Sending it clears this (issue 12; docs/law.md).
    letter_asked_on: date | None = None

    def closes_by_itself_on(self) -> date | None:
        """The day a paused case closes unless resumed."""
        if self.state is CaseState.PAUSED and self.paused_on is not None:
            return paused_case_closes_on(self.paused_on)
        return None


# States that hold a case: stopped again from one of them, the case keeps the state the
# first hold left (a plan case objected resumes where it stood before the plan).
_HOLDS = (CaseState.PLAN, CaseState.PAUSED)


def _state_before_hold(status: CaseStatus) -> CaseState | None:
    """The state a case stopped now resumes to: the state before any hold it is in."""
    return status.resume_state if status.state in _HOLDS else status.state


def apply_event(
    status: CaseStatus, event: CaseEvent, today: date, close_reason: CloseReason | None = None
) -> CaseStatus:
    """The status after `event`; RuleViolation (nothing changes) when it is not allowed.
    A letter asked for (`letter_asked_on`) stays asked for through a plan or pause."""
    state = next_state(status.state, event, status.resume_state)
    asked = status.letter_asked_on
    if event is CaseEvent.PAUSE:
        was = _state_before_hold(status)
        if was not in BEFORE_COLLECTION:  # once in collection no pause (SPEC C7)
            raise RuleViolation(f"state: a case that was {was} before its plan cannot pause")
        return CaseStatus(state, resume_state=was, paused_on=today, letter_asked_on=asked)
    if event in (CaseEvent.OBJECT, CaseEvent.PLAN):
        return CaseStatus(state, resume_state=_state_before_hold(status), letter_asked_on=asked)
    if event is CaseEvent.RESUME and status.state is CaseState.OBJECTED:
        letter_again = state is not CaseState.REGISTERED  # no letter was sent yet
        return CaseStatus(state, letter_asked_on=today if letter_again else None)
    if event is CaseEvent.RESUME:
        return CaseStatus(state, letter_asked_on=asked)
    if event is CaseEvent.CLOSE:
        # A case closed as paid remembers where it was: a reversed payment reopens it there
        # (a plan's case where it stood before the plan: the plan ended with the closing).
        was = status.state if close_reason is CloseReason.PAID else None
        if was is CaseState.PLAN:
            was = status.resume_state
        return CaseStatus(
            state, resume_state=was, closed_reason=close_reason or CloseReason.STOPPED
        )
    return CaseStatus(state)
