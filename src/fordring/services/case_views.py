"""What the collection cases show (C7): the cases by number, and one case with everything
it owes on the business date (interest accrued computed here, never stored), its history,
letters and, since issue 19, the debtor's payment reports, plans and objections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fordring.domain.collection.case_facts import ChargeKind
from fordring.domain.collection.payment_reports import PaymentReport, reports_held_until
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import interest_not_charged
from fordring.domain.errors import InvalidInput
from fordring.domain.law.tables import MissingRate, RateBook
from fordring.services.ports import (
    CaseEventRecord,
    CaseSummary,
    StoredLetter,
    UnitOfWorkFactory,
)
from fordring.services.ports.objections import ObjectionRecord
from fordring.services.ports.payment_plans import StoredPlan
from fordring.services.scope import Scope


def list_cases(
    state: str | None,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[CaseSummary]:
    """The cases by number (in `state` if given): all, or `limit` after number `after`."""
    with uow_factory(scope) as uow:
        return uow.collection.cases(state, after=after, limit=limit)


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as `collection case` shows it: what is owed, split, with history and letters."""

    summary: CaseSummary
    fees_open: Decimal
    salaer_open: Decimal
    interest_open: Decimal  # interest charged (interest note) and not paid
    interest_accrued: Decimal | None  # interest running, not charged yet (None: rate missing)
    history: list[CaseEventRecord]
    letters: list[StoredLetter]
    # issue 19: the payments the debtor reported, oldest first, and the day the case's
    # steps are held until for them (None: not held on the business date)
    reports: tuple[PaymentReport, ...] = ()
    held_until: date | None = None
    plans: list[StoredPlan] = field(default_factory=list)  # issue 19: the newest first
    objections: list[ObjectionRecord] = field(default_factory=list)  # issue 19: oldest first

    @property
    def owed(self) -> Decimal:
        return (
            self.summary.remaining
            + self.fees_open
            + self.salaer_open
            + self.interest_open
            + (self.interest_accrued or Decimal(0))
        )


def show_case(
    number: int,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
) -> CaseView:
    """The case with everything owed on the scope's business date. Interest accrues from
    the collection notice on (as the interest note claims it) and is computed here, never
    stored day by day."""
    with uow_factory(scope) as uow:  # one round trip reads it all (case_reading)
        found = uow.collection.case_reading(number, scope.business_date)
    if found is None:
        raise InvalidInput.one("case", f"no case number {number}", code="not_found")
    reports = found.reports
    charges = found.open_charges
    accrued: Decimal | None = Decimal(0)
    if found.summary.state != CaseState.CLOSED.value:
        try:
            accrued = interest_not_charged(found.facts, scope.business_date, book)
        except MissingRate:
            accrued = None
    return CaseView(
        found.summary,
        charges.get(ChargeKind.FEE.value, Decimal(0))
        + charges.get(ChargeKind.COMPENSATION.value, Decimal(0)),
        charges.get(ChargeKind.SALAER.value, Decimal(0)),
        charges.get(ChargeKind.INTEREST.value, Decimal(0)),
        accrued,
        found.history,
        found.letters,
        tuple(reports),
        reports_held_until(reports, scope.business_date),
        found.plans,
        found.objections,
    )
