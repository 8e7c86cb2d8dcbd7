"""Storage of payment plans and deferrals (issue 19): what proposing one needs to know about
a case, the plans of a case, and the running plans the daily run's plan check looks at."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.payment_plan import Instalment, PlanKind, PlanState
from fordring.domain.collection.plan_standing import RunningPlan


@dataclass(frozen=True, slots=True)
class PlanCase:
    """A case as proposing or deciding a plan reads it."""

    case_id: int
    number: int
    status: CaseStatus
    business: bool  # the debtor is a business customer
    owed: Decimal  # principal and booked costs open on the case
    broken_before: bool  # a plan of the case broke


@dataclass(frozen=True, slots=True)
class ClosedCasePlan:
    """A plan still proposed or running on a case that was closed (issue 19)."""

    plan_id: int
    case_id: int
    case_number: int
    kind: PlanKind
    state: PlanState
    closed_reason: str | None


@dataclass(frozen=True, slots=True)
class NewPlan:
    """A plan's terms as proposing one stores them (decided at once when accepted)."""

    case_id: int
    kind: PlanKind
    state: PlanState
    first_date: date
    count: int | None
    amount: Decimal | None
    total: Decimal
    addition: Decimal
    proposed_on: date
    proposed_by: str
    reasons: str
    instalments: tuple[Instalment, ...]
    decided_on: date | None = None
    decided_by: str | None = None


@dataclass(frozen=True, slots=True)
class StoredPlan(NewPlan):
    """A plan as stored: its terms, its id and case number, and what happened since (its
    end, the instalment last reminded of and that reminder's deadline)."""

    _: KW_ONLY
    id: int
    case_number: int
    ended_on: date | None = None
    reminded_for: int | None = None
    reminder_deadline: date | None = None


class PlanRepository(Protocol):
    def plan_case(self, number: int, *, lock: bool = False) -> PlanCase | None:
        """The case numbered `number` (locked until commit with `lock`); None: not the
        company's."""
        ...

    def plans(self, case_number: int) -> list[StoredPlan]:
        """The case's plans with their instalments, the newest first."""
        ...

    def waiting(self) -> list[StoredPlan]:
        """The proposals waiting for the creditor, the oldest first."""
        ...

    def add(self, plan: NewPlan) -> int:
        """Store a plan and its instalments; Conflict when the case has an open one."""
        ...

    def settle(
        self,
        plan_id: int,
        state: PlanState,
        day: date,
        actor: str,
        *,
        was: PlanState,
        schedule: tuple[Decimal, Decimal, tuple[Instalment, ...]] | None = None,
    ) -> None:
        """A decision or end: the plan's new state, only if it is still `was` (else
        Conflict); with `schedule` (total, addition, instalments) its schedule anew."""
        ...

    def running(self) -> list[RunningPlan]:
        """Every running plan of an open case with what its case owes today and its
        instalments (read set-based: a few queries, whatever the number of plans)."""
        ...

    def open_on_closed_cases(self) -> list[ClosedCasePlan]:
        """Plans still proposed or running whose case is closed (one query)."""
        ...

    def remind(self, reminders: Sequence[tuple[int, int, date]]) -> set[int]:
        """(plan id, instalment reminded of, the reminder's deadline) for each plan still
        running and not yet reminded of that instalment; the ids of the plans changed."""
        ...

    def end(
        self, ended: Sequence[tuple[int, PlanState]], day: date, *, was: PlanState = ...
    ) -> set[int]:
        """Plans still in state `was` (running unless said) ended on `day`; the ids of the
        plans changed (one a concurrent break or decision ended first is left out)."""
        ...
