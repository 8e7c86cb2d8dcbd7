"""Merging claims (issue 12): which debtor's case in collection a case handed over joins,
and moving its invoices and charges there."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select, update

from fordring.adapters.db.chunks import rows_where_in
from fordring.adapters.db.scoping import owned_ids
from fordring.adapters.db.tables import case_invoice, charge, collection_case
from fordring.domain.collection.states import CaseState
from fordring.services.ports import HandOver


class SqlMerging:
    """The daily run's merging reads and writes; mixed into SqlCollection."""

    connection: Connection
    company_id: int

    def hand_overs(self, case_ids: Sequence[int]) -> list[HandOver]:
        company_id = self.company_id
        if not case_ids:
            return []
        heads = rows_where_in(
            self.connection,
            select(
                collection_case.c.id, collection_case.c.number, collection_case.c.customer_id
            ).where(collection_case.c.company_id == company_id),
            collection_case.c.id,
            case_ids,
        )
        customers = sorted({h.customer_id for h in heads})
        oldest = (
            select(
                collection_case.c.customer_id,
                func.min(collection_case.c.number).label("number"),
            )
            .where(
                (collection_case.c.company_id == company_id)
                & (collection_case.c.state == CaseState.IN_COLLECTION.value)
            )
            .group_by(collection_case.c.customer_id)
        )
        firsts = rows_where_in(self.connection, oldest, collection_case.c.customer_id, customers)
        numbers = [r.number for r in firsts]
        ids = {
            r.number: r.id
            for r in rows_where_in(
                self.connection,
                select(collection_case.c.number, collection_case.c.id).where(
                    collection_case.c.company_id == company_id
                ),
                collection_case.c.number,
                numbers,
            )
        }
        into = {r.customer_id: r.number for r in firsts}
        return sorted(
            (
                HandOver(
                    h.id,
                    h.number,
                    h.customer_id,
                    ids[into[h.customer_id]] if h.customer_id in into else None,
                    into.get(h.customer_id),
                )
                for h in heads
            ),
            key=lambda h: h.number,
        )

    def merge_cases(self, into_id: int, case_ids: Sequence[int]) -> None:
        if not case_ids:
            return
        ours = owned_ids(self.connection, collection_case, [into_id, *case_ids], self.company_id)
        if into_id not in ours:
            return
        merged = [c for c in case_ids if c in ours]
        self.connection.execute(
            update(case_invoice).where(case_invoice.c.case_id.in_(merged)).values(case_id=into_id)
        )
        self.connection.execute(
            update(charge).where(charge.c.case_id.in_(merged)).values(case_id=into_id)
        )
        self.connection.execute(
            update(collection_case)
            .where(collection_case.c.id.in_(merged))
            .values(merged_into=into_id)
        )
