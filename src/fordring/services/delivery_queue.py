"""Queueing documents for delivery, looking at the queue and queueing failed documents
again (`deliveries list`, `deliveries retry`); delivering them is services/delivery.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fordring.domain.errors import InvalidInput
from fordring.domain.invoices import Invoice
from fordring.services.ports import DeliveryView, NewDispatch, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope


def queue_invoices(uow: UnitOfWork, invoices: Sequence[Invoice], day: date) -> int:
    """Queue issued invoices and credit notes for delivery (in the caller's transaction)."""
    return uow.deliveries.queue(
        [
            NewDispatch(inv.kind.value, inv.customer_id, day, invoice_id=inv.id)
            for inv in invoices
            if inv.id is not None
        ],
    )


def list_deliveries(
    scope: Scope, failed_only: bool, limit: int, uow_factory: UnitOfWorkFactory
) -> list[DeliveryView]:
    with uow_factory(scope) as uow:
        return uow.deliveries.listing(failed_only=failed_only, limit=limit)


def retry_deliveries(
    scope: Scope, dispatch_ids: Sequence[int], uow_factory: UnitOfWorkFactory
) -> int:
    """Queue failed deliveries again; InvalidInput naming any id that is not a failed
    delivery of the company (a document that was delivered is never sent again here)."""
    with uow_factory(scope) as uow:
        requeued = uow.deliveries.requeue(dispatch_ids)
        missing = sorted(set(dispatch_ids) - set(requeued))
        if missing:
            raise InvalidInput.one("id", f"not a failed delivery: {', '.join(map(str, missing))}")
        uow.commit()
    return len(requeued)
