"""Payment plans and deferrals in storage (issue 19): a case's plans, the proposals waiting
for the creditor, and the running plans with what their cases owe, read set-based."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, literal, select, type_coerce, update
from sqlalchemy.exc import IntegrityError

from fordring.adapters.db.repositories.collection_run import case_status
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import (
    case_invoice,
    charge,
    collection_case,
    customer,
    invoice,
    payment,
    payment_plan,
    payment_plan_instalment,
)
from fordring.adapters.db.types import MoneyType
from fordring.domain.collection.payment_plan import (
    OPEN_PLAN_STATES,
    Instalment,
    PlanKind,
    PlanState,
)
from fordring.domain.collection.plan_standing import RunningPlan
from fordring.domain.collection.states import CaseState
from fordring.domain.customers import CustomerKind
from fordring.domain.errors import Conflict
from fordring.services.ports.payment_plans import ClosedCasePlan, NewPlan, PlanCase, StoredPlan


def _money(expression: Any) -> Any:
    return type_coerce(func.coalesce(func.sum(expression), literal(0)), MoneyType())


def paid_since_query(plans: Any) -> Any:
    """The query of `_paid_since` (a test reads its plan: it uses the payment index by
    company, case and received_on)."""
    p = payment_plan
    return (
        select(p.c.id, _money(payment.c.amount))
        .join(
            payment,
            (payment.c.company_id == p.c.company_id)
            & (payment.c.case_id == p.c.case_id)
            & (payment.c.received_on >= p.c.decided_on),
        )
        .where(plans)
        .group_by(p.c.id)
    )


def stored_plan(r: Any, count: int | None, instalments: tuple[Instalment, ...]) -> StoredPlan:
    """A plan's row (its columns and `case_number`) as the service reads it; `count` apart:
    a SQLAlchemy row's `count` is the tuple's method."""
    return StoredPlan(
        r.case_id,
        PlanKind(r.kind),
        PlanState(r.state),
        r.first_date,
        count,
        None if r.amount is None else Decimal(r.amount),
        Decimal(r.total),
        Decimal(r.addition),
        r.proposed_on,
        r.proposed_by,
        r.reasons,
        instalments,
        r.decided_on,
        r.decided_by,
        id=r.id,
        case_number=r.case_number,
        ended_on=r.ended_on,
        reminded_for=r.reminded_for,
        reminder_deadline=r.reminder_deadline,
    )


class SqlPaymentPlans:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def _owed(self, ids: Any) -> dict[int, Decimal]:
        """Open principal and open charges per case of `ids` (a list or a subquery), two
        grouped queries; a case with nothing open is left out."""
        cid = self.company_id
        owed: dict[int, Decimal] = {}
        principal = (
            select(case_invoice.c.case_id, _money(invoice.c.open_amount))
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where((case_invoice.c.company_id == cid) & case_invoice.c.case_id.in_(ids))
            .group_by(case_invoice.c.case_id)
        )
        charges = (
            select(charge.c.case_id, _money(charge.c.open_amount))
            .where((charge.c.company_id == cid) & charge.c.case_id.in_(ids))
            .group_by(charge.c.case_id)
        )
        for query in (principal, charges):
            for case_id, amount in self.connection.execute(query):
                owed[case_id] = owed.get(case_id, Decimal(0)) + Decimal(amount)
        return owed

    def plan_case(self, number: int, *, lock: bool = False) -> PlanCase | None:
        cid = self.company_id
        query = select(collection_case).where(
            (collection_case.c.company_id == cid) & (collection_case.c.number == number)
        )
        row = self.connection.execute(
            query.with_for_update(key_share=True) if lock else query
        ).first()
        if row is None:
            return None
        kind = self.connection.execute(
            select(customer.c.kind).where(
                own(customer.c.company_id, cid) & (customer.c.id == row.customer_id)
            )
        ).scalar_one()
        broken = self.connection.execute(
            select(func.count()).where(
                (payment_plan.c.company_id == cid)
                & (payment_plan.c.case_id == row.id)
                & (payment_plan.c.state == PlanState.BROKEN.value)
            )
        ).scalar_one()
        owed = self._owed([row.id]).get(row.id, Decimal(0))
        business = kind == CustomerKind.BUSINESS.value
        return PlanCase(row.id, row.number, case_status(row), business, owed, broken > 0)

    def _instalments(self, plan_ids: Any) -> dict[int, tuple[Instalment, ...]]:
        """The instalments of the plans of `plan_ids` (a list or a subquery) by plan."""
        found: dict[int, list[Instalment]] = {}
        t = payment_plan_instalment
        rows = self.connection.execute(
            select(t.c.plan_id, t.c.seq, t.c.due_on, t.c.amount)
            .where((t.c.company_id == self.company_id) & t.c.plan_id.in_(plan_ids))
            .order_by(t.c.plan_id, t.c.seq)
        )
        for plan_id, seq, due_on, amount in rows:
            found.setdefault(plan_id, []).append(Instalment(seq, due_on, Decimal(amount)))
        return {i: tuple(x) for i, x in found.items()}

    def _stored(self, where: Any, order: Any) -> list[StoredPlan]:
        p = payment_plan
        rows = list(
            self.connection.execute(
                select(p, collection_case.c.number.label("case_number"))
                .join(collection_case, collection_case.c.id == p.c.case_id)
                .where((p.c.company_id == self.company_id) & where)
                .order_by(order)
            )
        )
        instalments = self._instalments([r.id for r in rows])
        return [stored_plan(r, r._mapping["count"], instalments.get(r.id, ())) for r in rows]

    def plans(self, case_number: int) -> list[StoredPlan]:
        return self._stored(collection_case.c.number == case_number, payment_plan.c.id.desc())

    def waiting(self) -> list[StoredPlan]:
        return self._stored(payment_plan.c.state == PlanState.PROPOSED.value, payment_plan.c.id)

    def add(self, plan: NewPlan) -> int:
        values = {
            "company_id": self.company_id,
            "case_id": plan.case_id,
            "kind": plan.kind.value,
            "state": plan.state.value,
            "first_date": plan.first_date,
            "count": plan.count,
            "amount": plan.amount,
            "total": plan.total,
            "addition": plan.addition,
            "proposed_on": plan.proposed_on,
            "proposed_by": plan.proposed_by,
            "reasons": plan.reasons,
            "decided_on": plan.decided_on,
            "decided_by": plan.decided_by,
        }
        try:
            with self.connection.begin_nested():
                plan_id = int(
                    self.connection.execute(
                        insert(payment_plan).values(**values).returning(payment_plan.c.id)
                    ).scalar_one()
                )
        except IntegrityError as error:
            raise Conflict(
                "plan: the case already has a payment plan proposed or running"
            ) from error
        self._add_instalments(plan_id, plan.instalments)
        return plan_id

    def _add_instalments(self, plan_id: int, instalments: Sequence[Instalment]) -> None:
        self.connection.execute(
            insert(payment_plan_instalment),
            [
                {
                    "plan_id": plan_id,
                    "seq": i.seq,
                    "company_id": self.company_id,
                    "due_on": i.due_on,
                    "amount": i.amount,
                }
                for i in instalments
            ],
        )

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
        p = payment_plan
        values: dict[str, Any] = {"state": state.value}
        if was is PlanState.PROPOSED:
            values |= {"decided_on": day, "decided_by": actor}
        if state not in (PlanState.PROPOSED, PlanState.RUNNING):
            values["ended_on"] = day
        if schedule is not None:
            values |= {"total": schedule[0], "addition": schedule[1]}
        changed = self.connection.execute(
            update(p)
            .where(
                (p.c.company_id == self.company_id) & (p.c.id == plan_id) & (p.c.state == was.value)
            )
            .values(**values)
        ).rowcount
        if changed != 1:
            raise Conflict("plan: someone else decided the plan first; nothing was done")
        if schedule is not None:
            t = payment_plan_instalment
            self.connection.execute(
                t.delete().where((t.c.company_id == self.company_id) & (t.c.plan_id == plan_id))
            )
            self._add_instalments(plan_id, schedule[2])

    def running(self) -> list[RunningPlan]:
        p = payment_plan
        is_running = (p.c.company_id == self.company_id) & (p.c.state == PlanState.RUNNING.value)
        rows = list(
            self.connection.execute(
                select(p, collection_case.c.number.label("case_number"))
                .join(collection_case, collection_case.c.id == p.c.case_id)
                .where(is_running & (collection_case.c.state != CaseState.CLOSED.value))
                .order_by(p.c.id)
            )
        )
        if not rows:  # most days of most companies: one query
            return []
        owed = self._owed(select(p.c.case_id).where(is_running))
        paid = self._paid_since(is_running)
        instalments = self._instalments(select(p.c.id).where(is_running))
        return [
            RunningPlan(
                r.id,
                r.case_id,
                r.case_number,
                PlanKind(r.kind),
                Decimal(r.total),
                owed.get(r.case_id, Decimal(0)),
                paid.get(r.id, Decimal(0)),
                instalments.get(r.id, ()),
                r.reminded_for,
                r.reminder_deadline,
            )
            for r in rows
        ]

    def _paid_since(self, plans: Any) -> dict[int, Decimal]:
        """Per plan of `plans` (a condition on payment_plan), what was paid on its case
        from the day it was agreed (a reversal counts negative), one grouped query."""
        query = paid_since_query(plans)
        return {plan_id: Decimal(amount) for plan_id, amount in self.connection.execute(query)}

    def open_on_closed_cases(self) -> list[ClosedCasePlan]:
        p, c = payment_plan, collection_case
        rows = self.connection.execute(
            select(p.c.id, p.c.case_id, c.c.number, p.c.kind, p.c.state, c.c.closed_reason)
            .join(c, c.c.id == p.c.case_id)
            .where(
                own(p.c.company_id, self.company_id)
                & p.c.state.in_([s.value for s in OPEN_PLAN_STATES])
                & (c.c.state == CaseState.CLOSED.value)
            )
            .order_by(p.c.id)
        )
        return [
            ClosedCasePlan(r.id, r.case_id, r.number, PlanKind(r.kind), PlanState(r.state), r[5])
            for r in rows
        ]

    def remind(self, reminders: Sequence[tuple[int, int, date]]) -> set[int]:
        p = payment_plan
        by_seq: dict[tuple[int, date], list[int]] = {}
        for plan_id, seq, deadline in reminders:
            by_seq.setdefault((seq, deadline), []).append(plan_id)
        changed: set[int] = set()
        for (seq, deadline), ids in by_seq.items():  # one statement per instalment number
            not_reminded = p.c.reminded_for.is_(None) | (p.c.reminded_for < seq)
            changed.update(
                self.connection.execute(
                    update(p)
                    .where(
                        own(p.c.company_id, self.company_id)
                        & p.c.id.in_(ids)
                        & (p.c.state == PlanState.RUNNING.value)
                        & not_reminded
                    )
                    .values(reminded_for=seq, reminder_deadline=deadline)
                    .returning(p.c.id)
                ).scalars()
            )
        return changed

    def end(
        self,
        ended: Sequence[tuple[int, PlanState]],
        day: date,
        *,
        was: PlanState = PlanState.RUNNING,
    ) -> set[int]:
        p = payment_plan
        by_state: dict[PlanState, list[int]] = {}
        for plan_id, state in ended:
            by_state.setdefault(state, []).append(plan_id)
        changed: set[int] = set()
        for state, ids in by_state.items():  # one statement per new state
            changed.update(
                self.connection.execute(
                    update(p)
                    .where(
                        own(p.c.company_id, self.company_id)
                        & p.c.id.in_(ids)
                        & (p.c.state == was.value)
                    )
                    .values(state=state.value, ended_on=day)
                    .returning(p.c.id)
                ).scalars()
            )
        return changed
