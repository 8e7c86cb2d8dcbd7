"""What the open cases in the database will need of the law's rate tables up to a day,
and the tables lack (issue 12, `fordring law rates --missing`)."""

from __future__ import annotations

from datetime import date

from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.law.missing_rates import NeededRow, needed_rows, rates_needed
from fordring.domain.law.tables import MissingRate, RateBook
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope


def missing_rates(
    scope: Scope, until: date, uow_factory: UnitOfWorkFactory, book: RateBook
) -> list[NeededRow]:
    """Each row the tables lack for an open case followed up to `until`: late interest for
    every half-year since its claims fell due, the fee fractions and salær scale by due
    date, the inkassosats of `until`; once per row, with the cases needing it."""
    with uow_factory(scope) as uow:
        agreement = with_settings(Agreement(), uow.collection.settings())
        open_cases = [f for f in uow.collection.every_open_case_facts(until) if f.claims]
        numbers = {
            case_id: case.number
            for case_id, case in uow.collection.case_details(
                [f.case_id for f in open_cases]
            ).items()
        }
    missing: list[tuple[int, MissingRate]] = []
    for facts in open_cases:
        found = rates_needed(
            (c.due_date for c in facts.claims),
            until,
            book,
            salaer=bool(agreement.collector_name or facts.collector_name),
            business=facts.business,
            creditor_deducts_vat=agreement.creditor_deducts_vat,
        )
        missing += [(numbers[facts.case_id], error) for error in found]
    return needed_rows(missing, book)
