"""Collection: the agreement's settings, the invoices eligibility looks at, cases, history."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    delete,
    insert,
    select,
    text,
)
from sqlalchemy.orm import aliased

from fordring.adapters.db.chunks import rows_where_any, rows_where_in
from fordring.adapters.db.locks import lock_rows
from fordring.adapters.db.repositories.case_list_read import CaseListReads
from fordring.adapters.db.repositories.collection_case_read import CaseReads
from fordring.adapters.db.repositories.collection_run import SqlCollectionRun, case_status
from fordring.adapters.db.repositories.merging import SqlMerging
from fordring.adapters.db.scoping import own, owned_ids
from fordring.adapters.db.tables import (
    case_event,
    case_invoice,
    collection_case,
    collection_setting,
    customer,
    invoice,
    voucher,
    voucher_type,
)
from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.history import (
    NO_PAYLOAD,
    EventKind,
    HistoryEvent,
    Payload,
    event_kind,
)
from fordring.domain.collection.registration import NewCase
from fordring.domain.errors import Conflict
from fordring.domain.ledger import CollectionMapping
from fordring.services.ports import (
    CaseEventRecord,
    CaseSummary,
    InvoiceForCollection,
)

CLAIM_CASE_KID = text(
    "INSERT INTO company_kid (company_id, kid, case_id) VALUES (:company, :kid, :case) "
    "ON CONFLICT DO NOTHING"
)


class SqlCollection(SqlCollectionRun, SqlMerging, CaseReads, CaseListReads):
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id
        self.own_cases: set[int] = set()  # read as the company's in this unit of work

    def settings(self) -> dict[str, str]:
        company_id = self.company_id
        rows = self.connection.execute(
            select(collection_setting.c.key, collection_setting.c.value).where(
                collection_setting.c.company_id == company_id
            )
        )
        return {row.key: row.value for row in rows}

    def save_settings(self, settings: dict[str, str]) -> None:
        company_id = self.company_id
        self.connection.execute(
            delete(collection_setting).where(collection_setting.c.company_id == company_id)
        )
        if settings:
            self.connection.execute(
                insert(collection_setting),
                [{"company_id": company_id, "key": k, "value": v} for k, v in settings.items()],
            )

    def _invoice_query(self) -> Any:
        company_id = self.company_id
        return (
            select(
                invoice.c.id,
                invoice.c.number,
                invoice.c.kind,
                invoice.c.currency,
                invoice.c.due_date,
                invoice.c.total_nok,
                invoice.c.open_amount,
                invoice.c.kid,
                invoice.c.reminder_exempt,
                voucher_type.c.collection,
                invoice.c.customer_id,
                customer.c.kind.label("customer_kind"),
                customer.c.orgnr,
                customer.c.street,
                customer.c.postcode,
                customer.c.city,
                customer.c.reminder_exempt.label("customer_exempt"),
                collection_case.c.number.label("case_number"),
            )
            .join(customer, customer.c.id == invoice.c.customer_id)
            .join(voucher, voucher.c.id == invoice.c.voucher_id)
            .outerjoin(
                voucher_type,
                and_(
                    voucher_type.c.company_id == voucher.c.company_id,
                    voucher_type.c.code == voucher.c.type_code,
                ),
            )
            .outerjoin(case_invoice, case_invoice.c.invoice_id == invoice.c.id)
            .outerjoin(collection_case, collection_case.c.id == case_invoice.c.case_id)
            .where(invoice.c.company_id == company_id)
            .order_by(invoice.c.number)
        )

    def invoices(
        self, numbers: Sequence[int] | None, *, after: int | None = None, limit: int | None = None
    ) -> list[InvoiceForCollection]:
        query = self._invoice_query()
        if numbers is None:
            query = query.where((invoice.c.open_amount != 0) & (invoice.c.kind == "invoice"))
            if after is not None:
                query = query.where(invoice.c.number > after)
            rows = list(self.connection.execute(query.limit(limit)))
        else:
            rows = rows_where_in(self.connection, query, invoice.c.number, numbers)
        return [
            InvoiceForCollection(
                invoice_id=r.id,
                number=r.number,
                kind=r.kind,
                currency=r.currency,
                due_date=r.due_date,
                total_nok=r.total_nok,
                open_amount=r.open_amount,
                kid=r.kid,
                invoice_exempt=r.reminder_exempt,
                voucher_collection=CollectionMapping(r.collection or "none"),
                customer_id=r.customer_id,
                customer_kind=r.customer_kind,
                customer_orgnr=r.orgnr,
                customer_address_complete=bool(r.street and r.postcode and r.city),
                customer_exempt=r.customer_exempt,
                case_number=r.case_number,
            )
            for r in rows
        ]

    def add_cases(self, cases: Sequence[NewCase], on: date) -> list[int]:
        """Store new cases (state registered) with their invoices; returns their ids. A case
        naming another company's customer or invoice is not stored."""
        company_id = self.company_id
        c = self.connection
        customers = owned_ids(c, customer, (x.customer_id for x in cases), company_id)
        invoices = owned_ids(c, invoice, (i for x in cases for i in x.invoice_ids), company_id)
        cases = [
            x for x in cases if x.customer_id in customers and invoices.issuperset(x.invoice_ids)
        ]
        if not cases:
            return []
        self.connection.execute(
            insert(collection_case),
            [
                {
                    "company_id": company_id,
                    "number": case.number,
                    "customer_id": case.customer_id,
                    "kid": case.kid,
                    "state": "registered",
                    "registered_on": on,
                }
                for case in cases
            ],
        )
        numbers = [case.number for case in cases]
        rows = self.connection.execute(
            select(collection_case.c.number, collection_case.c.id).where(
                (collection_case.c.company_id == company_id)
                & collection_case.c.number.between(min(numbers), max(numbers))
            )
        )
        id_by_number = {row.number: row.id for row in rows}
        ids = [id_by_number[number] for number in numbers]
        links = [
            {"company_id": company_id, "case_id": case_id, "invoice_id": invoice_id}
            for case_id, case in zip(ids, cases, strict=True)
            for invoice_id in case.invoice_ids
        ]
        self.connection.execute(insert(case_invoice), links)
        self._claim_kids(cases, ids)
        return ids

    def taken_for_cases(self, invoice_ids: Sequence[int]) -> set[int]:
        lock_rows(self.connection, invoice, invoice_ids, self.company_id)
        query = (
            select(case_invoice.c.invoice_id)
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where(own(invoice.c.company_id, self.company_id))
        )
        found = rows_where_any(self.connection, query, case_invoice.c.invoice_id, invoice_ids)
        return {row.invoice_id for row in found}

    def _claim_kids(self, cases: Sequence[NewCase], ids: Sequence[int]) -> None:
        """A case's KID names the case, unless it is its own invoice's (a case of one
        invoice paid to the creditor keeps that KID): then both name the same debt. Issuing
        refuses an invoice KID a case would get, so a KID taken here is one an invoice was
        given before that rule (issue 14): the case does not claim it, the run goes on, and
        `ledger check` lists the KID."""
        invoice_ids = {i for case in cases for i in case.invoice_ids}
        query = select(invoice.c.id, invoice.c.kid)
        kid_of = {
            r.id: r.kid for r in rows_where_any(self.connection, query, invoice.c.id, invoice_ids)
        }
        rows = [
            {"company": self.company_id, "kid": case.kid, "case": case_id}
            for case_id, case in zip(ids, cases, strict=True)
            if case.kid not in {kid_of.get(i) for i in case.invoice_ids}
        ]
        if rows:
            self.connection.execute(CLAIM_CASE_KID, rows)

    def add_events(
        self,
        case_ids: Sequence[int],
        day: date,
        actor: str,
        kind: EventKind,
        text: str,
        payload: Payload = NO_PAYLOAD,
    ) -> None:
        self.add_event_rows(
            [HistoryEvent(case_id, kind, text, payload) for case_id in case_ids], day, actor
        )

    def _cases(self, condition: Any) -> list[CaseSummary]:
        into = aliased(collection_case)
        rows = self.connection.execute(
            select(
                collection_case.c.number,
                collection_case.c.state,
                collection_case.c.kid,
                collection_case.c.registered_on,
                collection_case.c.held_reason,
                collection_case.c.held_on,
                customer.c.number.label("customer_number"),
                customer.c.name,
                invoice.c.number.label("invoice_number"),
                invoice.c.total_nok,
                invoice.c.open_amount,
                into.c.number.label("merged_into"),
            )
            .join(customer, customer.c.id == collection_case.c.customer_id)
            .outerjoin(into, into.c.id == collection_case.c.merged_into)
            # Outer: a case merged into another (issue 12) keeps no invoices of its own.
            .outerjoin(case_invoice, case_invoice.c.case_id == collection_case.c.id)
            .outerjoin(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where(condition)
            .order_by(collection_case.c.number, invoice.c.number)
        ).all()
        summaries = []
        for _, group in groupby(rows, key=lambda r: r.number):
            everything = list(group)
            head = everything[0]
            lines = [r for r in everything if r.invoice_number is not None]
            summaries.append(
                CaseSummary(
                    number=head.number,
                    state=head.state,
                    customer_number=head.customer_number,
                    customer_name=head.name,
                    kid=head.kid,
                    registered_on=head.registered_on,
                    invoice_numbers=tuple(r.invoice_number for r in lines),
                    principal=sum((r.total_nok for r in lines), Decimal(0)),
                    remaining=sum((r.open_amount for r in lines), Decimal(0)),
                    merged_into=head.merged_into,
                    held_reason=head.held_reason,
                    held_on=head.held_on,
                )
            )
        return summaries

    def cases(
        self, state: str | None, *, after: int | None = None, limit: int | None = None
    ) -> list[CaseSummary]:
        company_id = self.company_id
        condition = collection_case.c.company_id == company_id
        if state is not None:
            condition = and_(condition, collection_case.c.state == state)
        if after is not None:
            condition = and_(condition, collection_case.c.number > after)
        if limit is not None:  # a page of cases, not of their invoice rows
            page = (
                select(collection_case.c.number)
                .where(condition)
                .order_by(collection_case.c.number)
                .limit(limit)
            )
            condition = and_(condition, collection_case.c.number.in_(page.scalar_subquery()))
        return self._cases(condition)

    def case(self, number: int) -> CaseSummary | None:
        company_id = self.company_id
        found = self._cases(
            (collection_case.c.company_id == company_id) & (collection_case.c.number == number)
        )
        return found[0] if found else None

    def status(self, number: int, *, lock: bool = False) -> tuple[int, CaseStatus] | None:
        company_id = self.company_id
        query = select(collection_case).where(
            (collection_case.c.company_id == company_id) & (collection_case.c.number == number)
        )
        row = self.connection.execute(
            query.with_for_update(key_share=True) if lock else query
        ).first()
        return None if row is None else (row.id, case_status(row))

    def save_status(
        self, case_id: int, status: CaseStatus, *, was: CaseStatus | None = None
    ) -> None:
        if was is not None:  # guarded: only if nobody changed it since it was read
            row = self.connection.execute(
                select(collection_case).where(
                    (collection_case.c.id == case_id)
                    & own(collection_case.c.company_id, self.company_id)
                )
            ).first()
            if row is None or case_status(row) != was:
                raise Conflict("case: someone else changed the case first; nothing was done")
        self.save_statuses([(case_id, status)])

    def history(self, number: int) -> list[CaseEventRecord]:
        company_id = self.company_id
        rows = self.connection.execute(
            select(case_event)
            .join(collection_case, collection_case.c.id == case_event.c.case_id)
            .where(
                (collection_case.c.company_id == company_id) & (collection_case.c.number == number)
            )
            .order_by(case_event.c.id)
        )
        return [
            CaseEventRecord(
                r.day, r.recorded_at, r.actor, event_kind(r.kind), r.text, json.loads(r.payload)
            )
            for r in rows
        ]
