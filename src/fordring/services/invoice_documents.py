"""An issued invoice as a document (PDF, EHF), and sending it (SPEC D1, D3, D4).

`document_of` gathers what the document shows: the invoice, its seller and buyer, what a
credit note credits, a recurring invoice's period. `send_invoices` queues invoices for
the delivery chain; the caller then runs `delivery.deliver_waiting`.
"""

from __future__ import annotations

from collections.abc import Sequence

from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.collection.letters import LetterAccess
from fordring.domain.company import Company
from fordring.domain.debtor_access import hidden_code
from fordring.domain.errors import InvalidInput
from fordring.domain.invoice_document import InvoiceDocument
from fordring.services.debtor_access import issue_invoice_access
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
    # printed again (a download), an invoice's code shows masked and its PIN never:
    # only the delivery prints them (decision 0016)
    access = None
    if stored.id in uow.debtor_access.invoice_prints([stored.id]):
        access = LetterAccess("", hidden_code())
    return InvoiceDocument(invoice, company, buyer, credited, text, start, end, access=access)


def send_invoices(
    scope: Scope, numbers: Sequence[int], uow_factory: UnitOfWorkFactory, pin_key: bytes
) -> int:
    """Queue invoices for delivery; how many were not queued before (sending an invoice
    twice is done by `deliveries resend`, never by accident). When the agreement says so
    (`invoice_debtor_access`) each invoice (not a credit note) still open that is queued
    now gets the debtor's code and PIN in the same transaction, kept under `pin_key` (the
    installation's, `Application.debtor_pin_key`): one queued before (sent, or sent before
    the setting was on) gets none, as its delivery would never print it."""
    day = scope.business_date
    with uow_factory(scope) as uow:
        invoices = []
        for number in numbers:
            stored = uow.invoices.get(number)
            if stored is None:
                raise InvalidInput.one("invoice", f"no invoice number {number}", code="not_found")
            invoices.append(stored)
        agreement = with_settings(Agreement(), uow.collection.settings())
        if not agreement.invoice_debtor_access:
            queued = queue_invoices(uow, [x.invoice for x in invoices], day)
        else:  # one at a time: which of them this queues (the queue says only how many)
            new = [x for x in invoices if queue_invoices(uow, [x.invoice], day)]
            queued = len(new)
            open_ids = [x.id for x in new if not x.invoice.is_credit_note and x.open_amount > 0]
            issue_invoice_access(uow, open_ids, day, pin_key)
        uow.commit()
    return queued
