"""Moving one customer's invoices, cases (with their charges, letters and history),
deliveries, payments and recurring agreements to another of the same company, in the
caller's transaction (services/customer_merge.py decides whether it may). Postings are
append-only and keep the customer they were booked to; the merged customer's row stays,
marked `merged_into_id`."""

from __future__ import annotations

from sqlalchemy import Connection, Table, func, select, update

from fordring.adapters.db.tables import (
    collection_case,
    customer,
    dispatch,
    invoice,
    payment,
    recurring_agreement,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.delivery import DispatchState
from fordring.services.ports.customers import MergeBlockers

# What moves, by the name the change log and the command's answer give it.
MOVED: tuple[tuple[str, Table], ...] = (
    ("invoices", invoice),
    ("cases", collection_case),
    ("deliveries", dispatch),
    ("payments", payment),
    ("recurring", recurring_agreement),
)
WAITING = DispatchState.WAITING.value  # a dispatch not yet delivered


def merge_blockers(connection: Connection, company_id: int, customer_id: int) -> MergeBlockers:
    # Sending to collection locks the invoices it opens cases for and reads them again:
    # with the customer's invoices locked first, a case opened meanwhile is committed and
    # seen below, or waits for the merge and then finds the invoices another customer's.
    connection.execute(
        select(invoice.c.id)
        .where((invoice.c.company_id == company_id) & (invoice.c.customer_id == customer_id))
        .order_by(invoice.c.id)
        .with_for_update(key_share=True)
    ).all()
    cases = connection.execute(
        select(collection_case.c.number)
        .where(
            (collection_case.c.company_id == company_id)
            & (collection_case.c.customer_id == customer_id)
            & (collection_case.c.state != CaseState.CLOSED.value)
        )
        .order_by(collection_case.c.number)
    )
    waiting = connection.execute(
        select(func.count())
        .select_from(dispatch)
        .where(
            (dispatch.c.company_id == company_id)
            & (dispatch.c.customer_id == customer_id)
            & (dispatch.c.state == WAITING)
        )
    ).scalar_one()
    return MergeBlockers(tuple(int(r.number) for r in cases), int(waiting))


def merge_into(
    connection: Connection, company_id: int, from_id: int, into_id: int
) -> dict[str, int]:
    moved: dict[str, int] = {}
    for name, table in MOVED:
        done = connection.execute(
            update(table)
            .where((table.c.company_id == company_id) & (table.c.customer_id == from_id))
            .values(customer_id=into_id)
        )
        moved[name] = done.rowcount
    connection.execute(
        update(customer)
        .where((customer.c.company_id == company_id) & (customer.c.id == from_id))
        .values(merged_into_id=into_id)
    )
    return moved
