"""Invoices and credit notes as PDFs (the `InvoiceRenderer` port): an `InvoiceDocument`
laid out by templates/invoice.typ in the buyer's language, in bokmål or English.

Bulk rendering uses the letters' machinery (renderer.BatchRenderer): a batch of invoices
is compiled at once on a worker process and split into one PDF per invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from fordring.adapters.pdf.invoice_data import invoice_data
from fordring.adapters.pdf.renderer import (
    DEFAULT_WORKERS,
    TEMPLATES,
    BatchRenderer,
    Job,
    render_job,
)
from fordring.domain.invoice_document import InvoiceDocument
from fordring.services.ports import Rendered

INVOICES_TEMPLATE: Final = TEMPLATES / "invoices.typ"
# Invoices per Typst compile (bench/bench_invoice_pdf.py, 2 workers, 3-line invoices): 20
# costs about 20 % more CPU per invoice than 50; 100 no less in practice, and a run needs
# four batches before it goes to the workers, so 50 lets runs from 200 invoices use both.
DEFAULT_INVOICE_BATCH: Final = 50


def render_invoice(document: InvoiceDocument) -> bytes:
    """One invoice or credit note as a PDF; its pages numbered when it has several."""
    return render_job(_job((document,)))[0]


def render_invoices(
    documents: Sequence[InvoiceDocument],
    workers: int = DEFAULT_WORKERS,
    batch: int = DEFAULT_INVOICE_BATCH,
) -> list[bytes]:
    """Each document as its own PDF, in the order given (see `TypstInvoiceRenderer`)."""
    with TypstInvoiceRenderer(workers, batch) as renderer:
        return renderer.render_invoices(documents)


class TypstInvoiceRenderer(BatchRenderer):
    """The invoice renderer the services are given: `batch` invoices per Typst compile, on
    `workers` processes when there are more than a few batches; close it (or use it as a
    context manager) to stop them."""

    def __init__(self, workers: int = DEFAULT_WORKERS, batch: int = DEFAULT_INVOICE_BATCH) -> None:
        super().__init__(workers, batch)

    def render_invoice(self, document: InvoiceDocument) -> bytes:
        return render_invoice(self.addressed([document])[0])

    def render_invoices(self, documents: Sequence[InvoiceDocument]) -> list[bytes]:
        return self.render_in_batches(self.addressed(documents), _job)

    def rendered_invoices(self, documents: Sequence[InvoiceDocument]) -> list[Rendered]:
        return self.rendered_in_batches(self.addressed(documents), _job)


def _job(documents: Sequence[InvoiceDocument]) -> Job:
    data = [invoice_data(document) for document in documents]
    return INVOICES_TEMPLATE, data, tuple(d.invoice.issue_date for d in documents)
