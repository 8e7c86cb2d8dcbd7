"""The delivery queue (`dispatch`), its log (`delivery_attempt`) and the Peppol cache.

What the delivery chain reads for a batch of queued documents (the invoices with their
lines, the letters and lists, the customers) is in delivery_documents.py; which print
batch each paper document is in, in print_batches.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select, update

from fordring.adapters.db.chunks import rows_where_in
from fordring.adapters.db.list_codec import encode_list
from fordring.adapters.db.repositories.delivery_documents import SqlDeliveryDocuments
from fordring.adapters.db.repositories.print_batches import SqlPrintBatches
from fordring.adapters.db.repositories.webhooks import queue_events
from fordring.adapters.db.rows_at_once import insert_rows, update_rows
from fordring.adapters.db.scoping import own, owned_ids
from fordring.adapters.db.tables import (
    case_letter,
    collection_case,
    collection_list,
    customer,
    delivery_attempt,
    dispatch,
    invoice,
    peppol_receiver,
)
from fordring.domain.collection.letters import CollectionList
from fordring.domain.delivery import DispatchState
from fordring.domain.invoices import InvoiceKind
from fordring.domain.peppol import Receiver, Source
from fordring.domain.webhooks import WebhookType, delivery_failed_data
from fordring.services.ports import (
    AttemptRecord,
    DeliveryView,
    DispatchDone,
    NewDispatch,
    WaitingDispatch,
)

LIST_KIND = "collection_list"


class SqlDeliveries(SqlDeliveryDocuments, SqlPrintBatches):
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def queue(self, items: Sequence[NewDispatch]) -> int:
        company_id = self.company_id
        items = self._own_documents(items)
        invoice_ids = [i.invoice_id for i in items if i.invoice_id is not None]
        letter_ids = [i.letter_id for i in items if i.letter_id is not None]
        queued_invoices = {
            r.invoice_id
            for r in rows_where_in(
                self.connection, select(dispatch.c.invoice_id), dispatch.c.invoice_id, invoice_ids
            )
        }
        queued_letters = {
            r.letter_id
            for r in rows_where_in(
                self.connection, select(dispatch.c.letter_id), dispatch.c.letter_id, letter_ids
            )
        }
        new = [
            {
                "company_id": company_id,
                "kind": i.kind,
                "invoice_id": i.invoice_id,
                "letter_id": i.letter_id,
                "customer_id": i.customer_id,
                "queued_on": i.queued_on,
                "state": DispatchState.WAITING.value,
                "channel": "",
            }
            for i in items
            if i.invoice_id not in queued_invoices and i.letter_id not in queued_letters
        ]
        if new:
            insert_rows(self.connection, dispatch, new)
        return len(new)

    def _own_documents(self, items: Sequence[NewDispatch]) -> list[NewDispatch]:
        """The items whose customer, invoice and letter are the scope's company's."""
        c, cid = self.connection, self.company_id
        customers = owned_ids(c, customer, (i.customer_id for i in items), cid)
        invoices = owned_ids(c, invoice, (i.invoice_id for i in items if i.invoice_id), cid)
        letter_ids = [i.letter_id for i in items if i.letter_id is not None]
        letters = {
            r.id
            for r in rows_where_in(
                c,
                select(case_letter.c.id)
                .join(collection_case, collection_case.c.id == case_letter.c.case_id)
                .where(own(collection_case.c.company_id, cid)),
                case_letter.c.id,
                letter_ids,
            )
        }
        return [
            i
            for i in items
            if i.customer_id in customers
            and (i.invoice_id is None or i.invoice_id in invoices)
            and (i.letter_id is None or i.letter_id in letters)
        ]

    def waiting(self, limit: int) -> list[WaitingDispatch]:
        company_id = self.company_id
        tried = (
            select(delivery_attempt.c.id)
            .where(delivery_attempt.c.dispatch_id == dispatch.c.id)
            .exists()
            .label("tried")
        )
        rows = self.connection.execute(
            select(dispatch, tried)
            .where(
                (dispatch.c.state == DispatchState.WAITING.value)
                & (dispatch.c.company_id == company_id)
            )
            .order_by(dispatch.c.id)
            .limit(limit)
            # Two deliverers at once (PostgreSQL) take different documents; SQLite lets
            # one writing transaction in at a time anyway.
            .with_for_update(skip_locked=True)
        ).all()
        return [
            WaitingDispatch(
                r.id,
                r.kind,
                r.customer_id,
                r.queued_on,
                r.invoice_id,
                r.letter_id,
                r.collection_list_id,
                bool(r.tried),
            )
            for r in rows
        ]

    def count_waiting(self) -> int:
        return int(
            self.connection.execute(
                select(func.count())
                .select_from(dispatch)
                .where(
                    (dispatch.c.state == DispatchState.WAITING.value)
                    & (dispatch.c.company_id == self.company_id)
                )
            ).scalar_one()
        )

    def queue_list(self, document: CollectionList, email: str) -> int:
        company_id = self.company_id
        day = document.list_date
        list_id = self.connection.execute(
            insert(collection_list)
            .values(
                company_id=company_id, list_date=day, email=email, content=encode_list(document)
            )
            .returning(collection_list.c.id)
        ).scalar_one()
        return int(
            self.connection.execute(
                insert(dispatch)
                .values(
                    company_id=company_id,
                    kind=LIST_KIND,
                    collection_list_id=list_id,
                    queued_on=day,
                    state=DispatchState.WAITING.value,
                    channel="",
                )
                .returning(dispatch.c.id)
            ).scalar_one()
        )

    def record(self, attempts: Sequence[AttemptRecord], done: Sequence[DispatchDone]) -> None:
        ours = owned_ids(
            self.connection,
            dispatch,
            [a.dispatch_id for a in attempts] + [d.dispatch_id for d in done],
            self.company_id,
        )
        attempts = [a for a in attempts if a.dispatch_id in ours]
        done = [d for d in done if d.dispatch_id in ours]
        # One statement each on PostgreSQL (rows_at_once.py), not one a row
        insert_rows(
            self.connection,
            delivery_attempt,
            [
                {
                    "dispatch_id": a.dispatch_id,
                    "channel": a.channel,
                    "at": _utc(a.at),
                    "outcome": a.outcome,
                    "detail": a.detail[:1000],
                }
                for a in attempts
            ],
        )
        update_rows(
            self.connection,
            dispatch,
            [
                {
                    "id": d.dispatch_id,
                    "state": d.state,
                    "channel": d.channel,
                    "delivered_on": d.day,
                    "post_day": d.post_day,
                    "paper_name": d.paper_name[:200] if d.post_day is not None else None,
                }
                for d in done
            ],
            self.company_id,
        )
        if done:
            failed = [d for d in done if d.state == DispatchState.FAILED.value]
            reasons: dict[int, list[str]] = {}
            for a in attempts:
                if a.outcome == "failed":
                    reasons.setdefault(a.dispatch_id, []).append(f"{a.channel}: {a.detail}")
            queue_events(
                self.connection,
                self.company_id,
                [
                    (
                        WebhookType.DELIVERY_FAILED,
                        delivery_failed_data(d.dispatch_id, d.day, reasons.get(d.dispatch_id, [])),
                    )
                    for d in failed
                ],
            )

    def requeue(self, dispatch_ids: Sequence[int]) -> list[int]:
        company_id = self.company_id
        failed = (
            (dispatch.c.company_id == company_id)
            & (dispatch.c.state == DispatchState.FAILED.value)
            & dispatch.c.id.in_(list(dispatch_ids))
        )
        ids = [r.id for r in self.connection.execute(select(dispatch.c.id).where(failed))]
        if ids:
            self.connection.execute(
                update(dispatch)
                .where(dispatch.c.id.in_(ids))
                .values(state=DispatchState.WAITING.value, delivered_on=None)
            )
        return ids

    def requeue_for_retry(self, most: int, last_tried_before: datetime) -> list[int]:
        due = own(dispatch.c.company_id, self.company_id) & retry_due(most, last_tried_before)
        found = self.connection.execute(
            update(dispatch)
            .where(due)
            .values(
                state=DispatchState.WAITING.value,
                delivered_on=None,
                auto_retries=dispatch.c.auto_retries + 1,
            )
            .returning(dispatch.c.id)
        )
        return sorted(r.id for r in found)

    def listing(self, *, failed_only: bool, limit: int) -> list[DeliveryView]:
        company_id = self.company_id
        query = (
            select(
                dispatch,
                customer.c.number.label("customer_number"),
                customer.c.name.label("customer_name"),
                invoice.c.number.label("invoice_number"),
                collection_case.c.number.label("case_number"),
                collection_list.c.list_date,
            )
            .outerjoin(customer, customer.c.id == dispatch.c.customer_id)
            .outerjoin(collection_list, collection_list.c.id == dispatch.c.collection_list_id)
            .outerjoin(invoice, invoice.c.id == dispatch.c.invoice_id)
            .outerjoin(case_letter, case_letter.c.id == dispatch.c.letter_id)
            .outerjoin(collection_case, collection_case.c.id == case_letter.c.case_id)
            .where(dispatch.c.company_id == company_id)
            .order_by(dispatch.c.id.desc())
            .limit(limit)
        )
        if failed_only:
            failed = select(delivery_attempt.c.dispatch_id).where(
                delivery_attempt.c.outcome == "failed"
            )
            query = query.where(
                (dispatch.c.state == DispatchState.FAILED.value) | dispatch.c.id.in_(failed)
            )
        rows = self.connection.execute(query).all()
        attempts: dict[int, list[AttemptRecord]] = {}
        for a in rows_where_in(
            self.connection,
            select(delivery_attempt).order_by(delivery_attempt.c.id),
            delivery_attempt.c.dispatch_id,
            [r.id for r in rows],
        ):
            attempts.setdefault(a.dispatch_id, []).append(
                AttemptRecord(a.dispatch_id, a.channel, _aware(a.at), a.outcome, a.detail)
            )
        return [
            DeliveryView(
                dispatch_id=r.id,
                kind=r.kind,
                document=_document_name(r),
                customer_number=r.customer_number,
                customer_name=r.customer_name or "",
                queued_on=r.queued_on,
                state=r.state,
                channel=r.channel,
                attempts=tuple(attempts.get(r.id, [])),
                post_day=r.post_day,
                print_batch=r.print_batch,
            )
            for r in reversed(rows)
        ]

    def receiver(self, participant: str, document_type: str) -> Receiver | None:
        row = self.connection.execute(
            select(peppol_receiver).where(
                (peppol_receiver.c.participant == participant)
                & (peppol_receiver.c.document_type == document_type)
            )
        ).first()
        if row is None:
            return None
        return Receiver(
            participant=row.participant,
            can_receive=row.can_receive,
            source=Source(row.source),
            checked_at=_aware(row.checked_at),
            smp_url=row.smp_url,
            reason=row.reason,
            document_type=row.document_type,
        )

    def save_receiver(self, receiver: Receiver) -> None:
        values = {
            "can_receive": receiver.can_receive,
            "source": receiver.source.value,
            "smp_url": receiver.smp_url[:500],
            "reason": receiver.reason[:500],
            "checked_at": _utc(receiver.checked_at),
        }
        changed = self.connection.execute(
            update(peppol_receiver)
            .where(
                (peppol_receiver.c.participant == receiver.participant)
                & (peppol_receiver.c.document_type == receiver.document_type)
            )
            .values(**values)
        ).rowcount
        if not changed:
            self.connection.execute(
                insert(peppol_receiver).values(
                    participant=receiver.participant,
                    document_type=receiver.document_type,
                    **values,
                )
            )

    def stale_receivers(self, checked_before: datetime, limit: int) -> list[tuple[str, str]]:
        rows = self.connection.execute(
            select(peppol_receiver.c.participant, peppol_receiver.c.document_type)
            .where(peppol_receiver.c.checked_at < _utc(checked_before))
            .order_by(peppol_receiver.c.checked_at, peppol_receiver.c.participant)
            .limit(limit)
        ).all()
        return [(r.participant, r.document_type) for r in rows]


def _document_name(row: Any) -> str:
    if row.invoice_number is not None:
        kind = "credit note" if row.kind == InvoiceKind.CREDIT_NOTE.value else "invoice"
        return f"{kind} {row.invoice_number}"
    if row.list_date is not None:
        return f"collection list {row.list_date}"
    return f"case {row.case_number} {row.kind.replace('_', ' ')}"


def retry_due(most: int, last_tried_before: datetime) -> ColumnElement[bool]:
    """A failed document the periodic retry takes: queued again fewer than `most` times
    and not tried since `last_tried_before` (any company's: the caller scopes it)."""
    tried_since = (
        select(delivery_attempt.c.id)
        .where(
            (delivery_attempt.c.dispatch_id == dispatch.c.id)
            & (delivery_attempt.c.at > _utc(last_tried_before))
        )
        .exists()
    )
    return (
        (dispatch.c.state == DispatchState.FAILED.value)
        & (dispatch.c.auto_retries < most)
        & ~tried_since
    )


def _utc(moment: datetime) -> datetime:
    """Stored in UTC: SQLite keeps no time zone, so every moment is written as UTC."""
    return moment.astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
