"""The debtor's objection receipt as PDF (issue 19): a `ReceiptDocument` laid out by
templates/receipt.typ, its texts as given (worded in the debtor's language by the page)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Final

from fordring.adapters.pdf.renderer import TEMPLATES, compile_document
from fordring.services.ports.objections import ReceiptDocument

RECEIPT_TEMPLATE: Final = TEMPLATES / "receipt.typ"


def render_receipt(document: ReceiptDocument, day: date) -> bytes:
    """The receipt as a PDF whose creation date is `day` (the same receipt, the same bytes)."""
    pdf, _ = compile_document(RECEIPT_TEMPLATE, asdict(document), day)
    return pdf
