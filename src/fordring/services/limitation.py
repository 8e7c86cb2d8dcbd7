"""The limitation of a running case's claims interrupted (foreldelsesloven §§ 14-17): a new
3-year period runs from that day, so the case is not closed as time-barred before it ends
(issue 12). The creditor states it (`interrupt_limitation`); a payment plan the debtor
proposed records it when agreed (`acknowledged_by_plan`, the debtor's acknowledgement,
§ 14). Both write it one way: `record_interruption`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fordring.domain.collection.case_facts import Claim
from fordring.domain.collection.history import EventKind
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.law.limitation import limitation_last_day
from fordring.services.case_lookup import numbered_case
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope

PLAN_ACKNOWLEDGEMENT = "acknowledged by proposing a payment plan"


def record_interruption(
    uow: UnitOfWork, case_id: int, claims: Sequence[Claim], interrupted: date, note: str
) -> bool:
    """The interruption on `interrupted` recorded (one update) on each of the case's
    `claims` whose recorded one is earlier or none, the case looked at by the next run, and
    a history event naming the new last day and `note`; nothing when no claim changed
    (the same day stated again). Whether anything changed."""
    changed = [
        c.invoice_id
        for c in claims
        if c.limitation_interrupted_on is None or c.limitation_interrupted_on < interrupted
    ]
    if not changed:
        return False
    uow.collection.set_limitation_interrupted(changed, interrupted)
    uow.collection.wake_cases([case_id])
    last = limitation_last_day(interrupted)
    text = f"limitation interrupted on {interrupted}: a new 3-year period runs to {last}"
    uow.collection.add_events(
        [case_id],
        uow.scope.business_date,
        str(uow.scope.actor),
        EventKind.LIMITATION_INTERRUPTED,
        text + (f": {note}" if note else ""),
        {"interrupted_on": interrupted.isoformat(), "limitation_last_day": last.isoformat()},
    )
    return True


def interrupt_limitation(
    number: int,
    interrupted: date,
    note: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> date:
    """Record the interruption on every invoice of the open case; the last day of the new
    period. A day after today or before an invoice's due date is bad input."""
    today = scope.business_date
    if interrupted > today:
        raise InvalidInput.one("interrupted", f"{interrupted} is after today ({today})")
    with uow_factory(scope) as uow:
        case_id, status, facts = numbered_case(uow, number, today)
        if status.state is CaseState.CLOSED:
            raise RuleViolation(f"case: case {number} is closed")
        early = [c for c in facts.claims if interrupted < c.due_date]
        if early:
            raise InvalidInput(
                Problem("interrupted", f"{interrupted} is before a due date ({c.due_date})")
                for c in early
            )
        record_interruption(uow, case_id, facts.claims, interrupted, note)
        uow.commit()
    return limitation_last_day(interrupted)


def acknowledged_by_plan(uow: UnitOfWork, number: int, proposed_on: date) -> None:
    """A payment plan or deferral the debtor proposed on `proposed_on` was agreed: the
    proposal acknowledged the debt (§ 14), so the limitation of each claim of case `number`
    due by then and not yet time-barred then is interrupted on that day (an acknowledgement
    after the last day does not revive a time-barred claim), in the caller's transaction."""
    found = uow.collection.case_facts(number, uow.scope.business_date)
    if found is None:
        return
    running = [c for c in found.claims if c.due_date <= proposed_on < c.time_barred_from]
    record_interruption(uow, found.case_id, running, proposed_on, PLAN_ACKNOWLEDGEMENT)
