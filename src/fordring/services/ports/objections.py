"""What the debtor's objection needs from storage: the objection rows of a case (tables in
adapters/db/tables_objection.py) and the folder its attached files lie in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    """An attached file as its row describes it: its random name in the company's folder
    (never the client's), the name shown, its media type, size and SHA-256."""

    key: str
    name: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ObjectionRecord:
    """One objection (or an addition to one) as stored."""

    id: int | None
    case_id: int
    day: date
    actor: str
    reason: str
    text: str
    addition: bool
    attachment: StoredAttachment | None


class ObjectionRepository(Protocol):
    def add(self, record: ObjectionRecord) -> int:
        """Store the objection of the scope's company's case `record.case_id`; its id."""
        ...

    def of_case(self, case_id: int) -> list[ObjectionRecord]:
        """The case's objections, oldest first (none for another company's case)."""
        ...

    def get(self, case_id: int, objection_id: int) -> ObjectionRecord | None:
        """The case's objection `objection_id`; None when the case has none by that id."""
        ...


class AttachmentStore(Protocol):
    """The folder attached files are kept in, one folder per company, outside anything a
    web server serves; a file's name is random and chosen here."""

    def put(self, company_id: int, content: bytes) -> str:
        """Keep `content` (made durable) under a new random name; that name."""
        ...

    def read(self, company_id: int, key: str) -> bytes | None:
        """The kept file's bytes; None when there is none by that name."""
        ...

    def remove(self, company_id: int, key: str) -> None:
        """Forget the kept file (nothing happens when there is none)."""
        ...


@dataclass(frozen=True, slots=True)
class ReceiptDocument:
    """The debtor's receipt as a printable document, worded and formatted in the debtor's
    language (the page's texts): a title, facts (label, value) and paragraphs."""

    title: str
    lang: str
    made: str
    facts: list[list[str]]
    paragraphs: list[str]


class ReceiptRenderer(Protocol):
    def __call__(self, document: ReceiptDocument, day: date) -> bytes:
        """The receipt as a PDF dated `day`."""
        ...
