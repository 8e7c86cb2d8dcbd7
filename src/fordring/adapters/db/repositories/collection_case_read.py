"""One case as `collection show` and the API's case detail show it, in seven statements
(eight when interest needs the payments on a reduced invoice; four of them issue 19's
reports, plans and objections, collection_case_contact.py). The statements are built once per
process, with the company and the number as bound parameters; on PostgreSQL the seven
are sent through psycopg in one round trip, their SQL compiled once (driver_reads.py:
the API's case lookup is the hottest read there is), on SQLite through SQLAlchemy."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Connection, Integer, bindparam, func, select, type_coerce
from sqlalchemy.orm import aliased

from fordring.adapters.db.driver_reads import DriverRead, read_together
from fordring.adapters.db.repositories.collection_case_contact import CONTACT_READS, contact_of
from fordring.adapters.db.repositories.collection_run_rows import case_status
from fordring.adapters.db.tables import (
    case_event,
    case_invoice,
    case_letter,
    charge,
    collection_case,
    customer,
    dispatch,
    invoice,
    posting,
    voucher,
)
from fordring.adapters.db.types import MoneyType
from fordring.domain.collection.case_facts import (
    INTEREST_CLAIMED_FROM,
    CaseFacts,
    ChargeKind,
    Claim,
    SentLetter,
)
from fordring.domain.collection.history import event_kind
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseState
from fordring.domain.ledger import RECEIVABLES
from fordring.services.ports.collection_views import (
    CaseEventRecord,
    CaseReading,
    CaseSummary,
    StoredLetter,
)

_COMPANY = bindparam("company_id", type_=Integer)
_NUMBER = bindparam("number", type_=BigInteger)  # the column's: the API takes up to 2**63-1
_THE_CASE = (collection_case.c.company_id == _COMPANY) & (collection_case.c.number == _NUMBER)


def _charges(column: Any, kind: ChargeKind) -> Any:
    """What the case's charges of `kind` add up to in `column` (None: none charged)."""
    return (
        select(type_coerce(func.sum(column), MoneyType()))
        .where((charge.c.case_id == collection_case.c.id) & (charge.c.kind == kind.value))
        .scalar_subquery()
    )


_INTO = aliased(collection_case)
_OPEN = {kind: _charges(charge.c.open_amount, kind) for kind in ChargeKind}
# Only the columns the case's view and its status need: every column fetched costs the
# driver a column description and the row a value (a letter's content is its whole data).
_CASE = collection_case.c
_CASE_COLUMNS = (
    *(_CASE.id, _CASE.number, _CASE.kid, _CASE.state, _CASE.registered_on),
    *(_CASE.held_reason, _CASE.held_on),
    # case_status's
    *(_CASE.resume_state, _CASE.paused_on, _CASE.closed_reason, _CASE.letter_asked_on),
)
# The case with its customer, its charges per kind and one row per invoice (a case merged
# into another keeps none: one row then, without an invoice).
_HEAD = (
    select(
        *_CASE_COLUMNS,
        customer.c.number.label("customer_number"),
        customer.c.name.label("customer_name"),
        _INTO.c.number.label("merged_into_number"),
        invoice.c.id.label("invoice_id"),
        invoice.c.number.label("invoice_number"),
        invoice.c.due_date,
        invoice.c.total_nok,
        invoice.c.open_amount,
        _charges(charge.c.amount, ChargeKind.INTEREST).label("interest_charged"),
        *(_OPEN[kind].label(f"open_{kind.value}") for kind in ChargeKind),
    )
    .join(customer, customer.c.id == collection_case.c.customer_id)
    .outerjoin(_INTO, _INTO.c.id == collection_case.c.merged_into)
    .outerjoin(case_invoice, case_invoice.c.case_id == collection_case.c.id)
    .outerjoin(invoice, invoice.c.id == case_invoice.c.invoice_id)
    .where(_THE_CASE)
    .order_by(invoice.c.number)
)
_EVENT, _LETTER = case_event.c, case_letter.c
_HISTORY = (
    select(_EVENT.day, _EVENT.recorded_at, _EVENT.actor, _EVENT.kind, _EVENT.text, _EVENT.payload)
    .join(collection_case, collection_case.c.id == case_event.c.case_id)
    .where(_THE_CASE)
    .order_by(case_event.c.id)
)
_LETTERS = (
    select(
        *(_LETTER.kind, _LETTER.letter_date, _LETTER.deadline),
        *(_LETTER.fee_total, _LETTER.total, _LETTER.location),
        (dispatch.c.state == "sent").label("sent"),
    )
    .join(collection_case, collection_case.c.id == case_letter.c.case_id)
    .outerjoin(dispatch, dispatch.c.letter_id == case_letter.c.id)  # unique: one row
    .where(_THE_CASE)
    .order_by(case_letter.c.letter_date, case_letter.c.id)
)
_TOGETHER = (DriverRead(_HEAD), DriverRead(_LETTERS), DriverRead(_HISTORY), *CONTACT_READS)
# What payments and credit notes took off the case's invoices, per invoice and day (as
# RunFactsReads._reductions reads them).
_REDUCTIONS = (
    select(
        posting.c.invoice_id,
        voucher.c.date,
        type_coerce(-func.sum(posting.c.amount), MoneyType()).label("amount"),
    )
    .join(voucher, voucher.c.id == posting.c.voucher_id)
    .where(
        (posting.c.account == RECEIVABLES)
        & (posting.c.amount < 0)
        & posting.c.invoice_id.in_(
            select(case_invoice.c.invoice_id)
            .join(collection_case, collection_case.c.id == case_invoice.c.case_id)
            .where(_THE_CASE)
        )
    )
    .group_by(posting.c.invoice_id, voucher.c.date)
    .order_by(posting.c.invoice_id, voucher.c.date)
)


class CaseReads:
    """One case read whole; mixed into SqlCollection."""

    connection: Connection
    company_id: int

    def case_reading(self, number: int, day: date) -> CaseReading | None:
        """The case numbered `number` with its charges, history and letters, and the facts
        its interest needs on `day` (claims, letters, interest charged); None: no such case."""
        params = {"company_id": self.company_id, "number": number}
        # The letters, history, reports, plans and objections of a case that is not there
        # are none: reading them in the same round trip costs less than a round trip each.
        rows, letter_rows, event_rows, *contact = read_together(self.connection, _TOGETHER, params)
        if not rows:
            return None
        head = rows[0]
        lines = [r for r in rows if r.invoice_id is not None]
        letters = [
            StoredLetter(
                r.kind, r.letter_date, r.deadline, r.fee_total, r.total, r.location, bool(r.sent)
            )
            for r in letter_rows
        ]
        history = [
            CaseEventRecord(
                r.day, r.recorded_at, r.actor, event_kind(r.kind), r.text, json.loads(r.payload)
            )
            for r in event_rows
        ]
        sent = tuple(SentLetter(LetterKind(x.kind), x.day, x.deadline) for x in letters)
        # Like the daily run: only an invoice whose open amount is not its total has
        # reductions to look at (and interest only matters once a notice claims it).
        reduced = {r.invoice_id for r in lines if r.open_amount != r.total_nok}
        paid: dict[int, list[tuple[date, Decimal]]] = {}
        interest_claimed = any(x.kind in INTEREST_CLAIMED_FROM for x in sent)
        if reduced and interest_claimed and head.state != CaseState.CLOSED.value:
            for r in self.connection.execute(_REDUCTIONS, params):
                if r.invoice_id in reduced:
                    on = r.date if isinstance(r.date, date) else date.fromisoformat(r.date)
                    paid.setdefault(r.invoice_id, []).append((on, r.amount))
        claims = []
        for r in lines:
            reductions = paid.get(r.invoice_id, [])
            later = sum((amount for on, amount in reductions if on > day), Decimal(0))
            claims.append(
                Claim(
                    r.invoice_id,
                    r.due_date,
                    r.open_amount + later,
                    reductions=tuple((on, amount) for on, amount in reductions if on <= day),
                )
            )
        interest = head.interest_charged
        facts = CaseFacts(
            case_id=head.id,
            status=case_status(head),
            claims=tuple(claims),
            letters=sent,
            charged=() if interest is None else ((ChargeKind.INTEREST, interest),),
        )
        summary = CaseSummary(
            number=head.number,
            state=head.state,
            customer_number=head.customer_number,
            customer_name=head.customer_name,
            kid=head.kid,
            registered_on=head.registered_on,
            invoice_numbers=tuple(r.invoice_number for r in lines),
            principal=sum((r.total_nok for r in lines), Decimal(0)),
            remaining=sum((r.open_amount for r in lines), Decimal(0)),
            merged_into=head.merged_into_number,
            held_reason=head.held_reason,
            held_on=head.held_on,
        )
        open_charges = {
            kind.value: amount
            for kind in ChargeKind
            if (amount := getattr(head, f"open_{kind.value}")) is not None
        }
        reports, plans, objections = contact_of(contact)
        return CaseReading(
            summary, open_charges, facts, history, letters, reports, plans, objections
        )
