"""The debtor's reports of payments and the debtor's messages waiting for an answer
(issue 19), for the scope's company only: every statement names the company."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, case, func, insert, select, update

from fordring.adapters.db.chunks import CHUNK, rows_where_in
from fordring.adapters.db.locks import lock_rows
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import case_event, case_invoice, collection_case, invoice
from fordring.adapters.db.tables_debtor_reports import payment_report
from fordring.domain.collection.history import EventKind
from fordring.domain.collection.payment_reports import PaymentReport, ReportStatus
from fordring.domain.collection.states import CaseState
from fordring.services.ports.debtor_contact import OpenReport

_OPEN = (ReportStatus.HOLDING.value, ReportStatus.LAPSED.value)
_OPEN_COLUMNS = (
    payment_report.c.id,
    payment_report.c.case_id,
    payment_report.c.status,
    payment_report.c.reported_on,
    payment_report.c.hold_until,
)


def payment_report_of(r: Any) -> PaymentReport:
    """A report's row as the service reads it."""
    return PaymentReport(
        r.paid_on, r.amount, r.note, r.reported_on, ReportStatus(r.status), r.hold_until, r.ended_on
    )


def _open(r: Row[Any] | Any) -> OpenReport:
    return OpenReport(r.id, r.case_id, ReportStatus(r.status), r.reported_on, r.hold_until)


def close_open_reports(connection: Connection, company_id: int, case_ids: Sequence[int]) -> None:
    """The cases closed: their reports still holding or lapsed end as `closed` (nothing
    more to wait for; Oversikt no longer counts them). Every closing saves its status
    through `collection_run_status.save_steps`, which calls this."""
    wanted = sorted(set(case_ids))
    for start in range(0, len(wanted), CHUNK):
        connection.execute(
            update(payment_report)
            .where(
                payment_report.c.case_id.in_(wanted[start : start + CHUNK])
                & (payment_report.c.company_id == company_id)
                & payment_report.c.status.in_(_OPEN)
            )
            .values(status=ReportStatus.CLOSED.value)
        )


class SqlDebtorContact:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def first_invoice_on(self, case_id: int) -> date | None:
        """The issue date of the case's first invoice."""
        return self.connection.execute(
            select(func.min(invoice.c.issue_date))
            .join(case_invoice, case_invoice.c.invoice_id == invoice.c.id)
            .where(
                (case_invoice.c.case_id == case_id)
                & own(case_invoice.c.company_id, self.company_id)
            )
        ).scalar()

    def add_payment_report(self, case_id: int, report: PaymentReport, actor: str) -> bool:
        """Store the report unless the case has the same one (day paid and amount);
        whether it was added. The caller holds the case's lock."""
        owned = self.connection.execute(
            select(collection_case.c.id).where(
                (collection_case.c.id == case_id)
                & own(collection_case.c.company_id, self.company_id)
            )
        ).first()
        if owned is None:
            return False
        same = self.connection.execute(
            select(payment_report.c.id).where(
                (payment_report.c.case_id == case_id)
                & (payment_report.c.company_id == self.company_id)
                & (payment_report.c.paid_on == report.paid_on)
                & (payment_report.c.amount == report.amount)
            )
        ).first()
        if same is not None:
            return False
        self.connection.execute(
            insert(payment_report).values(
                company_id=self.company_id,
                case_id=case_id,
                paid_on=report.paid_on,
                amount=report.amount,
                note=report.note,
                reported_on=report.reported_on,
                actor=actor,
                status=report.status.value,
                hold_until=report.hold_until,
                ended_on=report.ended_on,
            )
        )
        return True

    def paid_since(self, case_id: int, day: date) -> Decimal:
        """What payments booked to the case with a bank day on or after `day` paid in all
        (its history's payment events, by the case's index; a case has few)."""
        payloads = self.connection.execute(
            select(case_event.c.payload)
            .join(collection_case, collection_case.c.id == case_event.c.case_id)
            .where(
                (case_event.c.case_id == case_id)
                & own(collection_case.c.company_id, self.company_id)
                & (case_event.c.kind == EventKind.PAYMENT.value)
                & (case_event.c.day >= day)
            )
        ).scalars()
        return sum((Decimal(json.loads(p).get("amount", "0")) for p in payloads), Decimal(0))

    def payment_reports(self, number: int) -> list[PaymentReport]:
        """The reports of the company's case `number`, oldest first."""
        rows = self.connection.execute(
            select(payment_report)
            .join(collection_case, collection_case.c.id == payment_report.c.case_id)
            .where(
                (collection_case.c.company_id == self.company_id)
                & (collection_case.c.number == number)
                & (payment_report.c.company_id == self.company_id)
            )
            .order_by(payment_report.c.id)
        )
        return [payment_report_of(r) for r in rows]

    def hold_steps(self, case_id: int, until: date) -> None:
        """The case's letters, fees and hand-over wait until `until` (a later hold kept)."""
        held = collection_case.c.steps_held_until
        self.connection.execute(
            update(collection_case)
            .where(
                (collection_case.c.id == case_id)
                & own(collection_case.c.company_id, self.company_id)
            )
            .values(steps_held_until=case((held.is_(None) | (held < until), until), else_=held))
        )

    def release_steps(self, case_ids: Sequence[int]) -> None:
        """The cases' steps go on as before the report (the bank showed the payment)."""
        if case_ids:
            self.connection.execute(
                update(collection_case)
                .where(
                    collection_case.c.id.in_(sorted(set(case_ids)))
                    & own(collection_case.c.company_id, self.company_id)
                )
                .values(steps_held_until=None)
            )

    def open_reports(self, case_ids: Sequence[int], *, lock: bool = False) -> list[OpenReport]:
        """The reports of these cases still holding or lapsed (`IN` chunks on the report's
        case index); with `lock`, the cases' rows are locked first (a payment's import
        and a report at the same moment: one waits for the other)."""
        if lock:
            lock_rows(self.connection, collection_case, case_ids, self.company_id)
        query = select(*_OPEN_COLUMNS).where(
            (payment_report.c.company_id == self.company_id) & payment_report.c.status.in_(_OPEN)
        )
        rows = rows_where_in(self.connection, query, payment_report.c.case_id, case_ids)
        return sorted((_open(r) for r in rows), key=lambda r: r.id)

    def holds_ending(self, day: date) -> list[OpenReport]:
        """The reports holding whose hold ends on or before `day` (the open reports'
        index: company, status, hold_until)."""
        rows = self.connection.execute(
            select(*_OPEN_COLUMNS)
            .where(
                (payment_report.c.company_id == self.company_id)
                & (payment_report.c.status == ReportStatus.HOLDING.value)
                & (payment_report.c.hold_until <= day)
            )
            .order_by(payment_report.c.id)
        )
        return [_open(r) for r in rows]

    def end_reports(self, report_ids: Sequence[int], status: ReportStatus, day: date) -> None:
        if report_ids:
            self.connection.execute(
                update(payment_report)
                .where(
                    payment_report.c.id.in_(sorted(set(report_ids)))
                    & (payment_report.c.company_id == self.company_id)
                    & payment_report.c.status.in_(_OPEN)
                )
                .values(status=status.value, ended_on=day)
            )

    def lapsed_report_count(self) -> int:
        """The open cases' reports whose hold ran out without a payment: a person should
        look (the open reports' index, then each one's case by id)."""
        return int(
            self.connection.execute(
                select(func.count())
                .select_from(payment_report)
                .join(collection_case, collection_case.c.id == payment_report.c.case_id)
                .where(
                    (payment_report.c.company_id == self.company_id)
                    & (payment_report.c.status == ReportStatus.LAPSED.value)
                    & (collection_case.c.state != CaseState.CLOSED.value)
                    & own(collection_case.c.company_id, self.company_id)
                )
            ).scalar_one()
        )

    def set_debtor_waiting(self, case_id: int, since: date | None) -> None:
        """The debtor's message waits for an answer from `since` (kept if one waits
        already); None: answered."""
        waiting = collection_case.c.debtor_waiting_since
        value = None if since is None else func.coalesce(waiting, since)
        self.connection.execute(
            update(collection_case)
            .where(
                (collection_case.c.id == case_id)
                & own(collection_case.c.company_id, self.company_id)
            )
            .values(debtor_waiting_since=value)
        )

    def waiting_message_count(self) -> int:
        """The company's cases with a debtor's message not answered yet."""
        return int(
            self.connection.execute(
                select(func.count())
                .select_from(collection_case)
                .where(
                    (collection_case.c.company_id == self.company_id)
                    & collection_case.c.debtor_waiting_since.is_not(None)
                )
            ).scalar_one()
        )
