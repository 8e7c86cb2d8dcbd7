"""Renderers of PDFs: invoices, letters, collection lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from fordring.domain.collection.letters import CollectionList, Letter
from fordring.domain.invoice_document import InvoiceDocument


class RenderFailed(Exception):
    """A document could not be laid out as a PDF (a broken template, or data it cannot
    show); renderers raise it (or a subclass) so one bad document does not stop a batch."""


@dataclass(frozen=True, slots=True, eq=False)
class Compiled:
    """The PDF a document was cut from, compiled together with others (the same bytes for
    each of them): the document's pages in it, 0-based, first and last. The paper outbox
    keeps it so that a print batch takes the pages from the few compiles rather than
    parsing every document's PDF back (their fonts are then copied once per compile)."""

    pdf: bytes
    first_page: int
    last_page: int


@dataclass(frozen=True, slots=True)
class Rendered:
    """A document's own PDF and, when it was compiled with others, where it came from."""

    pdf: bytes
    compiled: Compiled | None = None


class InvoiceRenderer(Protocol):
    def render_invoices(self, documents: Sequence[InvoiceDocument]) -> list[bytes]:
        """One PDF per document, in order."""
        ...

    def rendered_invoices(self, documents: Sequence[InvoiceDocument]) -> list[Rendered]:
        """As `render_invoices`, each with the compile it was cut from."""
        ...


class LetterRenderer(Protocol):
    def render_letters(self, letters: Sequence[Letter]) -> list[bytes]:
        """One PDF per letter, in the order given."""
        ...

    def rendered_letters(self, letters: Sequence[Letter]) -> list[Rendered]:
        """As `render_letters`, each with the compile it was cut from."""
        ...

    def render_collection_list(self, lst: CollectionList) -> bytes: ...
