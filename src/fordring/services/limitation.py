"""The creditor states that the limitation of a running case's claims was interrupted
(foreldelsesloven §§ 14-17, e.g. the debtor acknowledged the debt): a new 3-year period
runs from that day, so the case is not closed as time-barred before it ends (issue 12)."""

from __future__ import annotations

from datetime import date

from fordring.domain.collection.history import EventKind
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.law.limitation import limitation_last_day
from fordring.services.case_lookup import numbered_case
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope


def interrupt_limitation(
    number: int,
    interrupted: date,
    note: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> date:
    """Record the interruption on every invoice of the open case; the last day of the new
    period. A day after today or before an invoice's due date is bad input."""
    today, actor = scope.business_date, str(scope.actor)
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
        changed = [
            c.invoice_id
            for c in facts.claims
            if c.limitation_interrupted_on is None or c.limitation_interrupted_on < interrupted
        ]
        uow.collection.set_limitation_interrupted(changed, interrupted)
        uow.collection.wake_cases([case_id])
        last = limitation_last_day(interrupted)
        text = f"limitation interrupted on {interrupted}: a new 3-year period runs to {last}"
        uow.collection.add_events(
            [case_id],
            today,
            actor,
            EventKind.LIMITATION_INTERRUPTED,
            text + (f": {note}" if note else ""),
            {"interrupted_on": interrupted.isoformat(), "limitation_last_day": last.isoformat()},
        )
        uow.commit()
    return last
