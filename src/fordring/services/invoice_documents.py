"""An issued invoice as a document (PDF, EHF), and sending it (SPEC D1, D3, D4).

`document_of` gathers what the document shows: the invoice, its seller and buyer, what a
credit note credits, a recurring invoice's period. `send_invoices` queues invoices for
the delivery chain; the caller then runs `delivery.deliver_waiting`.
"""

from __future__ import annotations

from collections.abc import Sequence

from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput
from fordring.domain.invoice_document import InvoiceDocument
from fordring.services.delivery_queue import queue_invoices
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope


def document_of(scope: Scope, number: int, uow_factory: UnitOfWorkFactory) -> InvoiceDocument:
    """Invoice or credit note `number` as a document; InvalidInput if there is none."""
    with uow_factory(scope) as uow:
        company = uow.company.current()
        return load_document(uow, company, number)


def load_document(uow: UnitOfWork, company: Company, number: int) -> InvoiceDocument:
    stored = uow.invoices.get(number)
    if stored is None:
        raise InvalidInput.one("invoice", f"no invoice number {number}", code="not_found")
    buyer = uow.customers.by_id(stored.invoice.customer_id)
    assert buyer is not None
    ((invoice, credited),) = uow.deliveries.invoice_documents([stored.id]).values()
    start, end, text = uow.recurring.periods_of([stored.id]).get(stored.id, (None, None, ""))
    return InvoiceDocument(invoice, company, buyer, credited, text, start, end)


def send_invoices(scope: Scope, numbers: Sequence[int], uow_factory: UnitOfWorkFactory) -> int:
    """Queue invoices for delivery; how many were not queued before (sending an invoice
    twice is done by `deliveries resend`, never by accident)."""
    day = scope.business_date
    with uow_factory(scope) as uow:
        invoices = []
        for number in numbers:
            stored = uow.invoices.get(number)
            if stored is None:
                raise InvalidInput.one("invoice", f"no invoice number {number}", code="not_found")
            invoices.append(stored.invoice)
        queued = queue_invoices(uow, invoices, day)
        uow.commit()
    return queued
