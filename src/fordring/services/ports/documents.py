"""Renderers of PDFs: invoices, letters, collection lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fordring.domain.collection.letters import CollectionList, Letter
from fordring.domain.invoice_document import InvoiceDocument


class RenderFailed(Exception):
    """A document could not be laid out as a PDF (a broken template, or data it cannot
    show); renderers raise it (or a subclass) so one bad document does not stop a batch."""


class InvoiceRenderer(Protocol):
    def render_invoices(self, documents: Sequence[InvoiceDocument]) -> list[bytes]:
        """One PDF per document, in order."""
        ...


class LetterRenderer(Protocol):
    def render_letters(self, letters: Sequence[Letter]) -> list[bytes]:
        """One PDF per letter, in the order given."""
        ...

    def render_collection_list(self, lst: CollectionList) -> bytes: ...
