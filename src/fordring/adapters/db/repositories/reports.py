"""The portal's Oversikt and Rapporter read model (services/ports/reports.py): aggregate
queries of one company, each on an index (docs/portal.md, "Oversikt" says which), so a
figure costs the rows it counts, not every case:

- open cases per state and those the next run looks at: (company_id, state, wake_on),
  one index-only scan of the open states' ranges (0020_dashboard); the cases held for a
  rate: a partial index of them (0020_dashboard);
- cases opened in a period: (company_id, registered_on) (0020_dashboard);
- failed deliveries: a partial index of failed dispatches by their retries
  (0020_dashboard);
- unmatched payments: (company_id, status);
- received on the receivables per day: (company_id, received_on); settled per day:
  (company_id, day);
- closed in a period: a partial index of the closing events by day (0020_dashboard).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, select, text, type_coerce

from fordring.adapters.db.tables import case_event, collection_case, dispatch, payment, settlement
from fordring.adapters.db.tables_collection import CLOSING_EVENTS, CLOSING_KINDS
from fordring.adapters.db.types import MoneyType
from fordring.domain.collection.case import CloseReason
from fordring.domain.collection.history import EventKind
from fordring.domain.collection.states import OPEN_STATES, CaseState
from fordring.domain.payments import PaymentStatus
from fordring.services.ports.reports import DaySums, Performance

# close_settled closes a case paid or credited: the case's closed_reason says which.
assert EventKind.CLOSE_SETTLED.value in CLOSING_KINDS
# What a payment paid on the receivables (principal, interest, fees, salær), in a case or
# not: not what it left as a credit or was refunded.
_RECOVERED = payment.c.principal + payment.c.interest + payment.c.fees + payment.c.salaer


class SqlReports:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def cases_by_state(self, day: date) -> dict[str, tuple[int, int]]:
        c = collection_case.c
        waking = func.count().filter(c.wake_on <= day)
        # the open states only: the closed cases grow with the years, the open ones do not
        query = (
            select(c.state, func.count(), waking)
            .where(c.company_id == self.company_id, c.state.in_([s.value for s in OPEN_STATES]))
            .group_by(c.state)
        )
        counts = {row[0]: (int(row[1]), int(row[2])) for row in self.connection.execute(query)}
        # the held cases wait for a rate, not for the run: out of the waking ones (the
        # count above stays index-only; the held ones are few, on their partial index)
        held = (
            select(c.state, func.count()).where(*self._held(), c.wake_on <= day).group_by(c.state)
        )
        for state, n in self.connection.execute(held):
            total, due = counts[state]
            counts[state] = (total, due - int(n))
        return counts

    def held_cases(self) -> int:
        query = select(func.count()).where(*self._held())
        return int(self.connection.execute(query).scalar_one())

    def _held(self) -> list[Any]:
        c = collection_case.c
        return [
            c.company_id == self.company_id,
            c.held_reason.is_not(None),  # as the partial index says it, so it is used
            c.state != CaseState.CLOSED.value,
        ]

    def failed_deliveries(self, most: int) -> tuple[int, int]:
        d = dispatch.c
        past = d.auto_retries >= most
        query = select(func.count().filter(past), func.count().filter(~past)).where(
            d.company_id == self.company_id,
            text("state = 'failed'"),  # as the partial index says it, so it is used
        )
        waiting, retried = self.connection.execute(query).one()
        return int(waiting or 0), int(retried or 0)

    def unmatched_payments(self) -> tuple[int, Decimal]:
        query = select(func.count(), type_coerce(func.sum(payment.c.amount), MoneyType())).where(
            payment.c.company_id == self.company_id,
            payment.c.status == PaymentStatus.UNMATCHED.value,
        )
        n, total = self.connection.execute(query).one()
        return int(n), total or Decimal(0)

    def day_sums(self, first: date, last: date) -> DaySums:
        p = payment.c
        recovered = (
            select(p.received_on, type_coerce(func.sum(_RECOVERED), MoneyType()))
            .where(*self._recovered(first, last))
            .group_by(p.received_on)
        )
        s = settlement.c
        settled = select(s.day, s.paid_out).where(
            s.company_id == self.company_id, s.day >= first, s.day <= last
        )
        return DaySums(
            {day: total for day, total in self.connection.execute(recovered) if total},
            {day: total for day, total in self.connection.execute(settled) if total},
        )

    def performance(self, first: date, last: date) -> Performance:
        c = collection_case.c
        opened = select(func.count()).where(
            c.company_id == self.company_id, c.registered_on >= first, c.registered_on <= last
        )
        e = case_event.c
        # one row per case (its last closing in the period), paid or not by its reason
        closing = (
            select(
                e.case_id,
                c.closed_reason,
                c.registered_on,
                func.max(e.day).label("day"),
            )
            .select_from(case_event.join(collection_case, collection_case.c.id == e.case_id))
            .where(
                text(CLOSING_EVENTS),  # as the partial index says it, so it is used
                e.day >= first,
                e.day <= last,
                c.company_id == self.company_id,
                c.state == CaseState.CLOSED.value,  # not reopened since
            )
            .group_by(e.case_id, c.closed_reason, c.registered_on)
            .subquery()
        )
        paid = closing.c.closed_reason == CloseReason.PAID.value
        closed = select(
            func.count().filter(paid),
            func.count() - func.count().filter(paid),
            func.sum(self._days(closing.c.registered_on, closing.c.day)).filter(paid),
        ).select_from(closing)
        recovered = select(type_coerce(func.sum(_RECOVERED), MoneyType())).where(
            *self._recovered(first, last)
        )
        n_opened = self.connection.execute(opened).scalar_one()
        closed_paid, closed_otherwise, days = self.connection.execute(closed).one()
        total = self.connection.execute(recovered).scalar_one()
        return Performance(
            first,
            last,
            int(n_opened),
            int(closed_paid or 0),
            int(closed_otherwise or 0),
            total or Decimal(0),
            int(days or 0),
        )

    def _recovered(self, first: date, last: date) -> list[Any]:
        p = payment.c
        return [
            p.company_id == self.company_id,
            p.received_on >= first,
            p.received_on <= last,
            and_(p.status != PaymentStatus.REVERSED.value, p.reverses_id.is_(None)),
        ]

    def _days(self, start: Any, end: Any) -> Any:
        """Days from `start` to `end` (dates), on either database."""
        if self.connection.dialect.name == "postgresql":
            return end - start
        return func.julianday(end) - func.julianday(start)
