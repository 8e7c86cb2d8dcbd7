"""A person's acts on one collection case (C10, C11): pause, resume, object to or close it
(the one path of a case's state change by a person, the debtor's objection too), and a
message kept in its history (a note, or the thread with the debtor)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fordring.domain.collection import history as events
from fordring.domain.collection.case import CaseStatus, apply_event
from fordring.domain.collection.history import EventKind, PayloadValue
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.errors import InvalidInput, NotFound
from fordring.services.case_closing import ClosingCosts, close_case
from fordring.services.plan_decisions import end_with_case
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope


@dataclass(frozen=True, slots=True)
class CaseChange:
    """A case's new status and, when it was closed, what the closing cost (as booked)."""

    status: CaseStatus
    costs: ClosingCosts | None = None


# The creditor's acts that end a case's running plan and reject a proposal waiting (it could
# not be accepted in the new state), and the word for the history text.
_ENDS_PLANS = {
    CaseEvent.CLOSE: "closed",
    CaseEvent.OBJECT: "objected to",
    CaseEvent.PAUSE: "paused",
}


def change_case(
    number: int,
    event: CaseEvent,
    note: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> CaseChange:
    """Pause, resume, object to or close a case; refused (nothing changes) when not allowed."""
    with uow_factory(scope) as uow:
        changed = change_case_in(uow, number, event, note, scope)
        uow.commit()
    return changed


def change_case_in(
    uow: UnitOfWork,
    number: int,
    event: CaseEvent,
    note: str,
    scope: Scope,
    *,
    details: Mapping[str, PayloadValue] | None = None,
    text: str | None = None,
) -> CaseChange:
    """`change_case` inside the caller's unit of work (not committed): the one path of a
    case's state change by a person, which the debtor's objection takes too. `details`:
    more payload fields of the history event; `text`: its text instead of the note's."""
    # Locked until commit: the daily run or another person acting on the case at the
    # same moment waits, and the one after sees what the first did.
    found = uow.collection.status(number, lock=True)
    if found is None:
        raise InvalidInput.one("case", f"no case number {number}", code="not_found")
    case_id, status = found
    if status.state is CaseState.PLAN and event is CaseEvent.RESUME:
        reason = "a payment plan runs on the case: end it with `collection plan break`"
        raise InvalidInput.one("case", reason, code="plan_runs")
    costs, closing = "", None
    if event in _ENDS_PLANS:  # issue 19: the plan ends with the case, proposals too
        why = _ENDS_PLANS[event]
        end_with_case(uow, number, case_id, scope.business_date, str(scope.actor), why)
    if event is CaseEvent.CLOSE:
        changed, closing = close_case(uow, case_id, number, status, scope.business_date)
        costs = f"; {closing.text()}"
    else:
        changed = apply_event(status, event, scope.business_date)
    resumed_listed = status.resume_state is CaseState.LISTED and event is CaseEvent.RESUME
    if status.state is CaseState.OBJECTED and resumed_listed:
        uow.collection.forget_listing([case_id])  # back to notified: a new notice first
    elif status.state is CaseState.LISTED and changed.state is CaseState.PAUSED:
        # Stopped on the list: an approval given (or a list sent) before the stop no
        # longer counts, so after resuming it waits on the list for a new approval.
        uow.collection.forget_listing([case_id])
    uow.collection.save_status(case_id, changed, was=status)
    line = text or f"{status.state} → {changed.state}" + (f": {note}" if note else "")
    kind, before, after = EventKind(event.value), status.state.value, changed.state.value
    event_row = events.state_changed(case_id, kind, before, after, note, line + costs)
    if details:
        event_row = event_row._replace(payload={**event_row.payload, **details})
    uow.collection.add_event_rows([event_row], scope.business_date, str(scope.actor))
    return CaseChange(changed, closing)


def message_case(
    number: int,
    message: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    once: bool = False,
    kind: EventKind = EventKind.MESSAGE,
) -> bool:
    """A message kept in the case history (allowed in every state); whether it was added.
    `kind` MESSAGE is a note to the case handler; a message from or to the debtor
    (events.DEBTOR_THREAD) also marks the debtor as waiting for an answer, or answered.
    With `once`, a message that is already the last entry (of the history; of the thread
    with the debtor for its kinds) from the same actor the same day (a form sent twice, a
    page reloaded) is not added again; the case is locked while that is checked, so two
    at the same moment add it once."""
    text = message.strip()
    if not text:
        raise InvalidInput.one("message", "the message is empty")
    actor, today = str(scope.actor), scope.business_date
    with uow_factory(scope) as uow:
        found = uow.collection.status(number, lock=once)  # the second waits for the first
        if found is None:
            if kind in events.DEBTOR_THREAD:
                raise NotFound("case", number)
            raise InvalidInput.one("case", f"no case number {number}", code="not_found")
        if once:
            history = uow.collection.history(number)
            if kind in events.DEBTOR_THREAD:
                history = [e for e in history if e.kind in events.DEBTOR_THREAD]
            last = history[-1] if history else None
            if (
                last is not None
                and last.kind is kind
                and (last.text, last.actor, last.day) == (text, actor, today)
            ):
                return False
        uow.collection.add_events([found[0]], today, actor, kind, text)
        if kind in events.DEBTOR_THREAD:
            waiting = today if kind is EventKind.MESSAGE_FROM_DEBTOR else None
            uow.debtor_contact.set_debtor_waiting(found[0], waiting)
        uow.commit()
    return True
