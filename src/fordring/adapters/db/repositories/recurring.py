"""Recurring invoice agreements in storage: the agreements with their lines, the due ones
(one indexed query), the periods issued, and each recurring invoice's period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from fordring.adapters.db.bulk import Encoders, write_rows
from fordring.adapters.db.chunks import rows_where_in
from fordring.adapters.db.scoping import own, owned_ids
from fordring.adapters.db.tables import (
    customer,
    invoice,
    recurring_agreement,
    recurring_issue,
    recurring_line,
)
from fordring.domain.errors import NotFound
from fordring.domain.invoices import line
from fordring.domain.language import Language
from fordring.domain.recurring import Interval, Period, RecurringAgreement
from fordring.services.ports import IssuedPeriodRecord, RecurringIssue, StoredAgreement

ISSUE_COLUMNS = ("agreement_id", "period_start", "period_end", "period_text", "invoice_id")
_a = recurring_agreement.c


class SqlRecurring:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id
        self.encode = Encoders(connection.dialect.name)

    def add(
        self,
        number: int,
        customer_id: int,
        agreement: RecurringAgreement,
        first: Period | None,
    ) -> int:
        company_id = self.company_id
        if not owned_ids(self.connection, customer, [customer_id], company_id):
            raise NotFound("customer", customer_id)
        agreement_id = int(
            self.connection.execute(
                insert(recurring_agreement)
                .values(
                    company_id=company_id,
                    number=number,
                    customer_id=customer_id,
                    text=agreement.text,
                    interval_months=agreement.interval.months,
                    issue_day=agreement.issue_day,
                    advance_months=agreement.advance_months,
                    terms_days=agreement.terms_days,
                    start_date=agreement.start,
                    end_date=agreement.end,
                    stopped_on=agreement.stopped_on,
                    next_period=first.start if first else None,
                    next_issue_on=first.issue_on if first else None,
                )
                .returning(_a.id)
            ).scalar_one()
        )
        self.connection.execute(
            insert(recurring_line),
            [
                {
                    "agreement_id": agreement_id,
                    "position": position,
                    "description": item.description,
                    "quantity": item.quantity,
                    "unit_price": item.unit_price,
                    "vat_rate": item.vat_rate,
                }
                for position, item in enumerate(agreement.lines, start=1)
            ],
        )
        return agreement_id

    def agreements(self, number: int | None = None, *, lock: bool = False) -> list[StoredAgreement]:
        company_id = self.company_id
        query = _with_lines().where(_a.company_id == company_id)
        if number is not None:
            query = query.where(_a.number == number)
        if lock:
            query = query.with_for_update(of=recurring_agreement)
        return _stored(self.connection.execute(query))

    def due(self, day: date) -> list[StoredAgreement]:
        # (company_id, next_issue_on) is indexed: a day with nothing due reads nothing.
        # The rows are locked (PostgreSQL) so a concurrent stop waits for the day to commit.
        company_id = self.company_id
        query = (
            _with_lines()
            .where((_a.company_id == company_id) & (_a.next_issue_on <= day))
            .with_for_update(of=recurring_agreement)
        )
        return _stored(self.connection.execute(query))

    def issued(self, agreement_id: int) -> list[IssuedPeriodRecord]:
        rows = self.connection.execute(
            select(
                recurring_issue,
                invoice.c.number,
                invoice.c.issue_date,
                invoice.c.due_date,
                invoice.c.total,
            )
            .join(invoice, invoice.c.id == recurring_issue.c.invoice_id)
            .where(
                (recurring_issue.c.agreement_id == agreement_id)
                & own(invoice.c.company_id, self.company_id)
            )
            .order_by(recurring_issue.c.period_start)
        )
        return [
            IssuedPeriodRecord(
                r.period_start,
                r.period_end,
                r.period_text,
                r.invoice_id,
                r.number,
                r.issue_date,
                r.due_date,
                r.total,
            )
            for r in rows
        ]

    def add_issues(self, issues: Sequence[RecurringIssue]) -> None:
        ours = owned_ids(
            self.connection, recurring_agreement, (i.agreement_id for i in issues), self.company_id
        )
        issues = [i for i in issues if i.agreement_id in ours]
        day = self.encode.day
        write_rows(
            self.connection,
            "recurring_issue",
            ISSUE_COLUMNS,
            [
                (i.agreement_id, day(i.period_start), day(i.period_end), i.text, i.invoice_id)
                for i in issues
            ],
        )

    def set_next(self, changes: Sequence[tuple[int, Period | None]]) -> None:
        if not changes:
            return
        self.connection.execute(
            update(recurring_agreement)
            .where((_a.id == bindparam("agreement")) & own(_a.company_id, self.company_id))
            .values(next_period=bindparam("period"), next_issue_on=bindparam("issue_on")),
            [
                {
                    "agreement": agreement_id,
                    "period": period.start if period else None,
                    "issue_on": period.issue_on if period else None,
                }
                for agreement_id, period in changes
            ],
        )

    def stop(self, agreement_id: int, on: date, next_period: Period | None) -> None:
        self.connection.execute(
            update(recurring_agreement)
            .where((_a.id == agreement_id) & own(_a.company_id, self.company_id))
            .values(
                stopped_on=on,
                next_period=next_period.start if next_period else None,
                next_issue_on=next_period.issue_on if next_period else None,
            )
        )

    def periods_of(self, invoice_ids: Iterable[int]) -> dict[int, tuple[date, date, str]]:
        query = (
            select(
                recurring_issue.c.invoice_id,
                recurring_issue.c.period_start,
                recurring_issue.c.period_end,
                recurring_issue.c.period_text,
            )
            .join(invoice, invoice.c.id == recurring_issue.c.invoice_id)
            .where(own(invoice.c.company_id, self.company_id))
        )
        rows = rows_where_in(self.connection, query, recurring_issue.c.invoice_id, invoice_ids)
        return {r.invoice_id: (r.period_start, r.period_end, r.period_text) for r in rows}


def _with_lines() -> Any:
    """Agreements joined with their customer and lines: one row per line, in order."""
    return (
        select(
            recurring_agreement,
            customer.c.number.label("customer_number"),
            customer.c.name.label("customer_name"),
            customer.c.language,
            customer.c.reminder_exempt,
            recurring_line.c.description,
            recurring_line.c.quantity,
            recurring_line.c.unit_price,
            recurring_line.c.vat_rate,
        )
        .join(customer, customer.c.id == _a.customer_id)
        .join(recurring_line, recurring_line.c.agreement_id == _a.id)
        .order_by(_a.number, recurring_line.c.position)
    )


def _stored(rows: Iterable[Any]) -> list[StoredAgreement]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.id, []).append(row)
    return [_agreement(found) for found in grouped.values()]


def _agreement(rows: list[Any]) -> StoredAgreement:
    r = rows[0]
    agreement = RecurringAgreement(
        text=r.text,
        lines=tuple(line(x.description, x.quantity, x.unit_price, x.vat_rate) for x in rows),
        interval=Interval(r.interval_months),
        issue_day=r.issue_day,
        start=r.start_date,
        end=r.end_date,
        advance_months=r.advance_months,
        terms_days=r.terms_days,
        stopped_on=r.stopped_on,
    )
    return StoredAgreement(
        id=r.id,
        number=r.number,
        customer_id=r.customer_id,
        customer_number=r.customer_number,
        customer_name=r.customer_name,
        language=Language(r.language),
        reminder_exempt=r.reminder_exempt,
        agreement=agreement,
        next_period=r.next_period,
        next_issue_on=r.next_issue_on,
    )
