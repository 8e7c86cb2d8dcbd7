"""What a business day wrote, read back for its report (services/day_report.py)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Connection, func, select

from fordring.adapters.db.list_codec import decode_list
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import (
    case_event,
    collection_case,
    collection_list,
    delivery_attempt,
    dispatch,
    invoice,
    recurring_agreement,
    recurring_issue,
    run_log,
    settlement,
)
from fordring.services.ports.day_reads import (
    IssuedRow,
    ListRow,
    QueuedRow,
    RunEventRow,
    SettledRow,
)


class SqlDayReads:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def has_run(self, day: date) -> bool:
        found = self.connection.execute(
            select(run_log.c.day).where(
                own(run_log.c.company_id, self.company_id) & (run_log.c.day == day)
            )
        ).first()
        return found is not None

    def last_run(self) -> date | None:
        found: date | None = self.connection.execute(
            select(func.max(run_log.c.day)).where(own(run_log.c.company_id, self.company_id))
        ).scalar()
        return found

    def run_events(self, day: date, actor: str) -> list[RunEventRow]:
        rows = self.connection.execute(
            select(collection_case.c.number, case_event.c.kind, case_event.c.payload)
            .join(collection_case, collection_case.c.id == case_event.c.case_id)
            .where(
                own(collection_case.c.company_id, self.company_id)
                & (case_event.c.day == day)
                & (case_event.c.actor == actor)
            )
            .order_by(case_event.c.id)
        ).all()
        return [RunEventRow(int(r.number), r.kind, json.loads(r.payload or "{}")) for r in rows]

    def issued_on(self, day: date) -> list[IssuedRow]:
        rows = self.connection.execute(
            select(invoice.c.number, recurring_agreement.c.number.label("agreement"))
            .add_columns(recurring_issue.c.period_text)
            .join(invoice, invoice.c.id == recurring_issue.c.invoice_id)
            .join(recurring_agreement, recurring_agreement.c.id == recurring_issue.c.agreement_id)
            .where(own(invoice.c.company_id, self.company_id) & (invoice.c.issue_date == day))
            .order_by(invoice.c.number)
        ).all()
        return [IssuedRow(int(r.number), int(r.agreement), r.period_text) for r in rows]

    def settlement_on(self, day: date) -> SettledRow | None:
        r = self.connection.execute(
            select(settlement).where(
                own(settlement.c.company_id, self.company_id) & (settlement.c.day == day)
            )
        ).first()
        if r is None:
            return None
        return SettledRow(int(r.number), int(r.payments), r.received, r.kept, r.pdf, r.csv)

    def list_on(self, day: date) -> ListRow | None:
        r = self.connection.execute(
            select(collection_list.c.id, collection_list.c.content).where(
                own(collection_list.c.company_id, self.company_id)
                & (collection_list.c.list_date == day)
            )
        ).first()
        if r is None:
            return None
        document = decode_list(r.content)
        where = self.connection.execute(
            select(delivery_attempt.c.detail)
            .join(dispatch, dispatch.c.id == delivery_attempt.c.dispatch_id)
            .where(
                own(dispatch.c.company_id, self.company_id)
                & (dispatch.c.collection_list_id == r.id)
                & (delivery_attempt.c.channel == "paper")
                & (delivery_attempt.c.outcome == "sent")
            )
            .order_by(delivery_attempt.c.id.desc())
            .limit(1)
        ).scalar()
        return ListRow(
            tuple(int(c.case_number) for c in document.cases), document.handover_date, where
        )

    def queued_on(self, day: date) -> list[QueuedRow]:
        rows = self.connection.execute(
            select(
                dispatch.c.state, dispatch.c.channel, dispatch.c.print_batch, dispatch.c.post_day
            )
            .where(own(dispatch.c.company_id, self.company_id) & (dispatch.c.queued_on == day))
            .order_by(dispatch.c.id)
        ).all()
        return [QueuedRow(r.state, r.channel, r.print_batch, r.post_day) for r in rows]
