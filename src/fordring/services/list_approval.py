"""The collection list as the creditor reads and approves it (C9): the listed cases with the
day their list was sent, and the approval that lets the run hand them over with the
payment demand. The Tuesday list itself is made and sent by collection_list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from fordring.domain.collection import history as events
from fordring.domain.collection.case import apply_event
from fordring.domain.collection.letters import ListedCase
from fordring.domain.collection.states import CaseEvent
from fordring.domain.errors import InvalidInput
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope


def collection_list(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[tuple[ListedCase, date | None]]:
    """The cases on the collection list by number (those after `after`, at most `limit`),
    with the day their list was sent (None: not yet)."""
    with uow_factory(scope) as uow:
        listed = uow.collection.listed_cases(unsent_only=False, after=after, limit=limit)
        return [(line, sent) for _, line, sent in listed]


@dataclass(frozen=True, slots=True)
class Approved:
    numbers: list[int]
    handover_on: date  # the day whose run hands them over with the payment demand


def approve_cases(
    numbers: Sequence[int],
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> Approved:
    """Approve listed cases for collection (all of them when `numbers` is empty): all the
    named ones or, if one may not be handed over, none. The run of the approval day hands
    them over with the payment demand or, when that day has been run already, the run of
    the first day not yet run (the day the hand-over step first sees the approval)."""
    today = scope.business_date
    with uow_factory(scope) as uow:
        last_run = uow.collection.last_run()
        handover_on = today if last_run is None else max(today, last_run + timedelta(days=1))
        if not numbers:
            numbers = [
                int(line.case_number)
                for _, line, _ in uow.collection.listed_cases(unsent_only=False)
            ]
        approved = []
        for number in numbers:
            found = uow.collection.status(number, lock=True)  # the run waits, or ran
            if found is None:
                raise InvalidInput.one("case", f"no case number {number}", code="not_found")
            case_id, status = found
            apply_event(status, CaseEvent.HAND_OVER, today)  # refused unless on the list
            approved.append(case_id)
        fresh = uow.collection.approve(approved, today)  # approving again changes nothing
        uow.collection.add_event_rows(events.approved(fresh, handover_on), today, str(scope.actor))
        uow.commit()
    return Approved(list(numbers), handover_on)
