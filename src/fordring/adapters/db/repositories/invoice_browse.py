"""The portal's reads of invoices (Fakturaer): the list with its filters and search, an
invoice's payments and credits, its delivery and case; and purrefritak set or lifted on
an invoice or customer, with the reason in the change log."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, exists, func, insert, select, union, update
from sqlalchemy.orm import aliased

from fordring.adapters import clock
from fordring.adapters.db.tables import (
    case_invoice,
    change_log,
    collection_case,
    customer,
    delivery_attempt,
    dispatch,
    invoice,
    posting,
    voucher,
)
from fordring.domain import kid
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import Conflict
from fordring.domain.ledger import RECEIVABLES
from fordring.services.ports.invoice_views import (
    DeliveryAttempt,
    ExemptionNote,
    InvoiceDelivery,
    InvoiceHits,
    InvoiceMovement,
    InvoiceRow,
    InvoiceSearch,
)

_CREDIT = aliased(invoice)
_LINK = aliased(case_invoice)
_CASE = aliased(collection_case)
_KID = re.compile(r"[0-9]+[0-9-]")  # digits, the last a MOD10 or MOD11 check digit or '-'
EXEMPTION = "reminder_exempt"  # the change log's field of a purrefritak change


def _in_open_case(company_id: int) -> Any:
    """Whether the invoice of the enclosing query is in a case not closed: the company's
    links by (company_id, invoice_id) (ix_case_invoice_company, 0019), then the case."""
    return exists().where(
        (_LINK.c.company_id == company_id)
        & (_LINK.c.invoice_id == invoice.c.id)
        & (_CASE.c.id == _LINK.c.case_id)
        & (_CASE.c.state != CaseState.CLOSED.value)
    )


def _rows(company_id: int) -> Any:
    """Every invoice (not credit note) of the company with what the list shows; its case
    the latest it was sent in (closed or not), in collection only while that is open."""
    credited = exists().where(_CREDIT.c.credits_invoice_id == invoice.c.id)

    def latest_case(column: Any) -> Any:
        # a probe of the page's rows each (an EXISTS here PostgreSQL hashes over all the
        # company's links: 350 ms a page with 100,000 of them)
        return (
            select(column)
            .join(case_invoice, case_invoice.c.case_id == collection_case.c.id)
            .where(
                (case_invoice.c.company_id == company_id)
                & (case_invoice.c.invoice_id == invoice.c.id)
            )
            .order_by(collection_case.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return (
        select(
            invoice.c.id,
            invoice.c.number,
            invoice.c.kind,
            invoice.c.issue_date,
            invoice.c.due_date,
            invoice.c.total_nok,
            invoice.c.open_amount,
            invoice.c.kid,
            invoice.c.reminder_exempt,
            customer.c.number.label("customer_number"),
            customer.c.name.label("customer_name"),
            customer.c.reminder_exempt.label("customer_exempt"),
            latest_case(collection_case.c.number).label("case_number"),
            latest_case(collection_case.c.state).label("case_state"),
            credited.label("credited"),
            dispatch.c.state.label("delivery"),
        )
        .join(customer, customer.c.id == invoice.c.customer_id)
        .outerjoin(dispatch, dispatch.c.invoice_id == invoice.c.id)
        .where((invoice.c.company_id == company_id) & (invoice.c.kind == "invoice"))
    )


def _row(r: Any) -> InvoiceRow:
    return InvoiceRow(
        number=r.number,
        kind=r.kind,
        customer_number=r.customer_number,
        customer_name=r.customer_name,
        issue_date=r.issue_date,
        due_date=r.due_date,
        total_nok=r.total_nok,
        open_amount=r.open_amount,
        kid=r.kid,
        invoice_exempt=bool(r.reminder_exempt),
        customer_exempt=bool(r.customer_exempt),
        case_number=r.case_number,
        # sent again only once its case closed: the latest case is the one that may be open
        in_collection=r.case_state is not None and r.case_state != CaseState.CLOSED.value,
        credited=bool(r.credited),
        delivery=r.delivery,
    )


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlInvoiceBrowser:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def search(self, search: InvoiceSearch, today: date) -> InvoiceHits:
        query = _rows(self.company_id)
        in_case = _in_open_case(self.company_id)  # a closed case is collection over
        credited = exists().where(_CREDIT.c.credits_invoice_id == invoice.c.id)
        state = search.state
        if state == "in_collection":
            query = query.where(in_case)
        elif state in ("open", "overdue"):
            query = query.where((invoice.c.open_amount != 0) & ~in_case)
            if state == "overdue":
                query = query.where(invoice.c.due_date < today)
        elif state in ("paid", "credited"):
            query = query.where((invoice.c.open_amount == 0) & ~in_case)
            query = query.where(credited if state == "credited" else ~credited)
        if search.customer_number is not None:
            # by the customer's id: the invoices' customer index, not a walk by number
            one = select(customer.c.id).where(
                (customer.c.company_id == self.company_id)
                & (customer.c.number == search.customer_number)
            )
            query = query.where(invoice.c.customer_id == one.scalar_subquery())
        if search.due_from is not None:
            query = query.where(invoice.c.due_date >= search.due_from)
        if search.due_to is not None:
            query = query.where(invoice.c.due_date <= search.due_to)
        text = search.text.strip()
        compact = "".join(text.split())  # a KID or number is often typed in groups
        plain = compact.isascii() and compact.isdecimal() and len(compact) <= 18
        kid_like = len(compact) <= kid.MAX_LENGTH and _KID.fullmatch(compact) is not None
        if plain or kid_like:
            # the ids each on an index of its own: (company, kid), (company, number), the
            # customer's number and then its invoices; a number only of plain digits that
            # fit (a KID has up to 25 characters, its MOD11 check digit may be '-')
            own = (invoice.c.company_id == self.company_id) & (invoice.c.kind == "invoice")
            looked_up = [select(invoice.c.id).where(own & (invoice.c.kid == compact))]
            if plain:
                number = int(compact)
                by_customer = (
                    select(invoice.c.id)
                    .join(customer, customer.c.id == invoice.c.customer_id)
                    .where(own & (customer.c.company_id == self.company_id))
                    .where(customer.c.number == number)
                )
                looked_up += [select(invoice.c.id).where(own & (invoice.c.number == number))]
                looked_up += [by_customer]
            found = union(*looked_up).subquery()
            query = query.where(invoice.c.id.in_(select(found.c.id)))
        elif text:
            if self.connection.dialect.name == "sqlite":  # casefold(): engine.py, any letter
                holds = func.casefold(customer.c.name).like(
                    "%" + _escaped(text.casefold()) + "%", escape="\\"
                )
            else:  # PostgreSQL's ILIKE folds by the database's locale (Æ, Ø, Å too)
                holds = customer.c.name.ilike("%" + _escaped(text) + "%", escape="\\")
            named = select(customer.c.id).where((customer.c.company_id == self.company_id) & holds)
            query = query.where(invoice.c.customer_id.in_(named))
        if search.before is not None:
            query = query.where(invoice.c.number < search.before)
        lowest = None
        if search.window is not None:
            lowest = self._window_end(search.before, search.window)
            if lowest is not None:
                query = query.where(invoice.c.number >= lowest)
        query = query.order_by(invoice.c.number.desc()).limit(search.limit)
        return InvoiceHits([_row(r) for r in self.connection.execute(query)], lowest)

    def _window_end(self, before: int | None, window: int) -> int | None:
        """The number `window` invoices below `before` (an index-only walk), None if the
        company has no more than that left."""
        numbers = select(invoice.c.number).where(invoice.c.company_id == self.company_id)
        if before is not None:
            numbers = numbers.where(invoice.c.number < before)
        last = numbers.order_by(invoice.c.number.desc()).offset(window - 1).limit(1)
        found: int | None = self.connection.execute(last).scalar_one_or_none()
        return found

    def row(self, number: int) -> InvoiceRow | None:
        query = _rows(self.company_id).where(invoice.c.number == number)
        found = self.connection.execute(query).first()
        return None if found is None else _row(found)

    def movements(self, invoice_id: int, issued_voucher: int) -> list[InvoiceMovement]:
        """Each voucher's sum on the invoice's open item (1500, the customer ledger)."""
        query = (
            select(
                voucher.c.number,
                voucher.c.date,
                voucher.c.text,
                func.sum(posting.c.amount).label("amount"),
            )
            .join(voucher, voucher.c.id == posting.c.voucher_id)
            .where(
                (posting.c.invoice_id == invoice_id)
                & (posting.c.account == RECEIVABLES)  # a write-down's provision (1580) is none
                & (voucher.c.company_id == self.company_id)
                & (voucher.c.number != issued_voucher)
            )
            .group_by(voucher.c.number, voucher.c.date, voucher.c.text)
            .order_by(voucher.c.date, voucher.c.number)
        )
        return [
            InvoiceMovement(r.number, r.date, r.text, r.amount)
            for r in self.connection.execute(query)
        ]

    def delivery(self, invoice_id: int) -> InvoiceDelivery | None:
        found = self.connection.execute(
            select(dispatch).where(
                (dispatch.c.invoice_id == invoice_id) & (dispatch.c.company_id == self.company_id)
            )
        ).first()
        if found is None:
            return None
        attempts = self.connection.execute(
            select(delivery_attempt)
            .where(delivery_attempt.c.dispatch_id == found.id)
            .order_by(delivery_attempt.c.at, delivery_attempt.c.id)
        )
        return InvoiceDelivery(
            queued_on=found.queued_on,
            state=found.state,
            channel=found.channel,
            delivered_on=found.delivered_on,
            attempts=tuple(DeliveryAttempt(a.channel, a.at, a.outcome, a.detail) for a in attempts),
        )

    def case_state(self, case_number: int) -> str | None:
        state: str | None = self.connection.execute(
            select(collection_case.c.state).where(
                (collection_case.c.company_id == self.company_id)
                & (collection_case.c.number == case_number)
            )
        ).scalar_one_or_none()
        return state

    def set_exempt(self, subject: str, number: int, exempt: bool) -> bool | None:
        table = invoice if subject == "invoice" else customer
        where = (table.c.company_id == self.company_id) & (table.c.number == number)
        if subject == "invoice":
            where &= invoice.c.kind == "invoice"
        before = self.connection.execute(
            select(table.c.reminder_exempt).where(where)
        ).scalar_one_or_none()
        if before is None:
            return None
        if bool(before) != exempt:
            # only over the value read: a change between the read and the write is a lost race
            changed = self.connection.execute(
                update(table)
                .where(where & (table.c.reminder_exempt == before))
                .values(reminder_exempt=exempt)
            )
            if changed.rowcount != 1:
                raise Conflict(f"{subject} {number}: its purrefritak changed meanwhile")
        return bool(before)

    def in_open_case(self, number: int) -> bool:
        one = select(_in_open_case(self.company_id)).where(
            (invoice.c.company_id == self.company_id) & (invoice.c.number == number)
        )
        return bool(self.connection.execute(one).scalar_one_or_none())

    def note_exemption(self, subject: str, number: int, note: ExemptionNote) -> None:
        change = {EXEMPTION: [str(not note.exempt), str(note.exempt)], "reason": ["", note.reason]}
        self.connection.execute(
            insert(change_log).values(
                company_id=self.company_id,
                subject=subject,
                subject_key=str(number),
                changes=json.dumps(change, ensure_ascii=False, sort_keys=True),
                business_date=note.day,
                actor=note.actor,
                changed_at=clock.now_in_oslo(),
            )
        )

    def last_exemption(self, subject: str, number: int) -> ExemptionNote | None:
        rows = self.connection.execute(
            select(change_log)
            .where(
                and_(
                    change_log.c.company_id == self.company_id,
                    change_log.c.subject == subject,
                    change_log.c.subject_key == str(number),
                )
            )
            .order_by(change_log.c.id.desc())
        )
        for r in rows:
            fields = json.loads(r.changes)
            if EXEMPTION in fields:
                reason = str(fields.get("reason", ["", ""])[1])
                exempt = str(fields[EXEMPTION][1]) == "True"
                return ExemptionNote(exempt, reason, r.actor, r.business_date)
        return None
