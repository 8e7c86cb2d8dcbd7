"""The portal's case list (issue 18) and a case's letter as the run decided it: a page of
cases by number, filtered by state or customer, with what is owed on each, in one
statement (the page's numbers first, by the indexes (company_id, number), (company_id,
state, number) and (company_id, customer_id, number); then each case's sums by its own
keys), so a page costs the same at 1,000,000 cases as at ten."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, and_, func, select, type_coerce

from fordring.adapters.db.letter_codec import decode_letter
from fordring.adapters.db.tables import (
    case_invoice,
    case_letter,
    case_letter_invoice,
    charge,
    collection_case,
    customer,
    invoice,
)
from fordring.adapters.db.tables_debtor_reports import payment_report
from fordring.adapters.db.types import MoneyType
from fordring.domain.collection.case_facts import ChargeKind
from fordring.domain.collection.letters import Letter
from fordring.domain.collection.payment_reports import (
    NEEDS_ANSWER,
    NEEDS_LOOK_AT_REPORT,
    ReportStatus,
)
from fordring.services.ports.collection_views import CaseRow, LetterDetail

_CASE = collection_case.c


def _sum(column: Any, where: Any) -> Any:
    return select(type_coerce(func.sum(column), MoneyType())).where(where).scalar_subquery()


def _invoices(column: Any) -> Any:
    return _sum(
        column, (invoice.c.id == case_invoice.c.invoice_id) & (case_invoice.c.case_id == _CASE.id)
    )


def _open(*kinds: ChargeKind) -> Any:
    return _sum(
        charge.c.open_amount,
        (charge.c.case_id == _CASE.id) & charge.c.kind.in_([k.value for k in kinds]),
    )


_ROW = (
    _CASE.number,
    _CASE.state,
    customer.c.number.label("customer_number"),
    customer.c.name.label("customer_name"),
    _invoices(invoice.c.total_nok).label("principal"),
    _invoices(invoice.c.open_amount).label("remaining"),
    _open(ChargeKind.FEE, ChargeKind.COMPENSATION).label("fees_open"),
    _open(ChargeKind.SALAER).label("salaer_open"),
    _open(ChargeKind.INTEREST).label("interest_open"),
    _CASE.wake_on,
    _CASE.paused_on,
    _CASE.held_reason,
)


def _money(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


class CaseListReads:
    """The portal's reads of cases; mixed into SqlCollection."""

    connection: Connection
    company_id: int

    def case_rows(
        self,
        *,
        state: str | None = None,
        customer_number: int | None = None,
        numbers: Sequence[int] | None = None,
        after: int | None = None,
        limit: int | None = None,
        needs: str | None = None,
    ) -> list[CaseRow]:
        condition = _CASE.company_id == self.company_id
        if state is not None:
            condition = and_(condition, _CASE.state == state)
        if customer_number is not None:
            condition = and_(
                condition,
                _CASE.customer_id
                == select(customer.c.id)
                .where(
                    (customer.c.company_id == self.company_id)
                    & (customer.c.number == customer_number)
                )
                .scalar_subquery(),
            )
        if numbers is not None:
            condition = and_(condition, _CASE.number.in_(list(numbers)))
        if needs == NEEDS_ANSWER:  # the debtor-waiting index
            condition = and_(condition, _CASE.debtor_waiting_since.is_not(None))
        elif needs == NEEDS_LOOK_AT_REPORT:  # the open reports' index
            lapsed = select(payment_report.c.case_id).where(
                (payment_report.c.company_id == self.company_id)
                & (payment_report.c.status == ReportStatus.LAPSED.value)
            )
            condition = and_(condition, _CASE.id.in_(lapsed))
        if after is not None:
            condition = and_(condition, _CASE.number > after)
        page = select(_CASE.id).where(condition).order_by(_CASE.number)
        if limit is not None:
            page = page.limit(limit)
        chosen = page.subquery()
        rows = self.connection.execute(
            select(*_ROW)
            .select_from(chosen)
            .join(collection_case, _CASE.id == chosen.c.id)
            .join(customer, customer.c.id == _CASE.customer_id)
            .order_by(_CASE.number)
        ).all()
        return [
            CaseRow(
                number=r.number,
                state=r.state,
                customer_number=r.customer_number,
                customer_name=r.customer_name,
                principal=_money(r.principal),
                remaining=_money(r.remaining),
                fees_open=_money(r.fees_open),
                salaer_open=_money(r.salaer_open),
                interest_open=_money(r.interest_open),
                wake_on=r.wake_on,
                paused_on=r.paused_on,
                held_reason=r.held_reason,
            )
            for r in rows
        ]

    def case_letter(self, number: int, position: int) -> Letter | None:
        row = self.connection.execute(
            select(case_letter.c.content)
            .join(collection_case, _CASE.id == case_letter.c.case_id)
            .where((_CASE.company_id == self.company_id) & (_CASE.number == number))
            .order_by(case_letter.c.letter_date, case_letter.c.id)
            .offset(position)
            .limit(1)
        ).first()
        if row is None or not row.content:
            return None
        return decode_letter(row.content)

    def case_letter_details(self, number: int) -> list[LetterDetail]:
        # one statement: each letter with its fees' rows (none: one row without)
        rows = self.connection.execute(
            select(
                case_letter.c.id,
                case_letter.c.content,
                invoice.c.number.label("invoice_number"),
                case_letter_invoice.c.fee,
                case_letter_invoice.c.fee_reason,
            )
            .join(collection_case, _CASE.id == case_letter.c.case_id)
            .outerjoin(case_letter_invoice, case_letter_invoice.c.letter_id == case_letter.c.id)
            .outerjoin(invoice, invoice.c.id == case_letter_invoice.c.invoice_id)
            .where((_CASE.company_id == self.company_id) & (_CASE.number == number))
            .order_by(case_letter.c.letter_date, case_letter.c.id, invoice.c.number)
        ).all()
        details = []
        for _, group in groupby(rows, key=lambda r: r.id):
            lines = list(group)
            content = lines[0].content
            details.append(
                LetterDetail(
                    decode_letter(content) if content else None,
                    tuple(
                        (r.invoice_number, r.fee, r.fee_reason)
                        for r in lines
                        if r.invoice_number is not None
                    ),
                )
            )
        return details
