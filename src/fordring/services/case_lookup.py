"""Finding one case of a company by its number for a creditor's action: its id, status and
the steps' view of it on a day, or bad input naming the case."""

from __future__ import annotations

from datetime import date

from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.case_facts import CaseFacts
from fordring.domain.errors import InvalidInput
from fordring.services.ports import UnitOfWork


def numbered_case(uow: UnitOfWork, number: int, today: date) -> tuple[int, CaseStatus, CaseFacts]:
    """The company's case `number`: (id, status, facts on `today`); InvalidInput if none."""
    facts = uow.collection.case_facts(number, today)
    if facts is None:
        raise InvalidInput.one("case", f"no case number {number}")
    return facts.case_id, facts.status, facts
