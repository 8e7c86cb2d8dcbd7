"""The delivery queue and the channels documents leave by."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from fordring.domain.collection.letters import CollectionList, Letter
from fordring.domain.customers import Customer
from fordring.domain.invoice_document import CreditedInvoice, InvoiceDocument
from fordring.domain.invoices import Invoice
from fordring.domain.peppol import Receiver
from fordring.services.ports.documents import Compiled

if TYPE_CHECKING:
    from fordring.services.ports.delivery_views import DeliveryView


class DeliveryRepository(Protocol):
    def queue(self, items: Sequence[NewDispatch]) -> int:
        """Queue the documents not queued before; how many were new."""
        ...

    def waiting(self, limit: int) -> list[WaitingDispatch]:
        """The first `limit` waiting documents no other transaction holds, locked until
        this one ends (PostgreSQL: `FOR UPDATE SKIP LOCKED`)."""
        ...

    def count_waiting(self) -> int:
        """How many documents wait, held by another transaction or not."""
        ...

    def invoice_documents(
        self, invoice_ids: Sequence[int]
    ) -> dict[int, tuple[Invoice, CreditedInvoice | None]]: ...
    def letters(self, letter_ids: Sequence[int]) -> dict[int, Letter]: ...
    def queue_list(self, document: CollectionList, email: str) -> int:
        """Store the day's collection list and queue it (once a day); its dispatch id."""
        ...

    def lists(self, list_ids: Sequence[int]) -> dict[int, QueuedList]: ...
    def customers(self, customer_ids: Sequence[int]) -> dict[int, Customer]: ...
    def record(self, attempts: Sequence[AttemptRecord], done: Sequence[DispatchDone]) -> None: ...
    def requeue(self, dispatch_ids: Sequence[int]) -> list[int]:
        """Set failed deliveries waiting again; the ids that were."""
        ...

    def requeue_for_retry(self, most: int, last_tried_before: datetime) -> list[int]:
        """Set waiting again each failed delivery queued again automatically fewer than
        `most` times and not tried after `last_tried_before`, counting this time; the ids."""
        ...

    def listing(self, *, failed_only: bool, limit: int) -> list[DeliveryView]: ...

    # --- print batches (issue 14): which documents each day's batches hold ---
    def batched_days(self, days: Collection[date]) -> set[date]:
        """The days among `days` of which a print batch was made."""
        ...

    def unbatched_day(self) -> date | None:
        """The first day with paper documents in no print batch yet."""
        ...

    def unbatched(self, day: date) -> list[OnPaper]:
        """The day's paper documents in no print batch yet, in the order they were queued;
        locked until the transaction ends, so two deliverers never batch one twice."""
        ...

    def last_print_batch(self, day: date) -> int:
        """The number of the day's last print batch (0: none yet)."""
        ...

    def into_print_batch(self, dispatch_ids: Sequence[int], number: int) -> None: ...
    def receiver(self, participant: str, document_type: str) -> Receiver | None: ...
    def save_receiver(self, receiver: Receiver) -> None: ...
    def stale_receivers(self, checked_before: datetime, limit: int) -> list[tuple[str, str]]:
        """The cached answers (participant, document type) checked before
        `checked_before`, oldest first: the global Peppol cache, no tenant's data."""
        ...


@dataclass(frozen=True, slots=True)
class NewDispatch:
    """A document to queue for delivery: an invoice (or credit note) or a letter (the
    collection list is queued with `DeliveryRepository.queue_list`)."""

    kind: str  # "invoice", "credit_note" or a letter kind
    customer_id: int
    queued_on: date
    invoice_id: int | None = None
    letter_id: int | None = None


@dataclass(frozen=True, slots=True)
class WaitingDispatch:
    id: int
    kind: str
    customer_id: int | None  # None: the creditor's collection list
    queued_on: date
    invoice_id: int | None
    letter_id: int | None
    collection_list_id: int | None = None
    tried: bool = False  # a channel was tried before: it is being sent again (a retry)


@dataclass(frozen=True, slots=True)
class QueuedList:
    """A collection list the day stored, to render and e-mail after the day commits."""

    document: CollectionList
    email: str  # the agreement's list address when the day made it ("": none)


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One try of one channel for one document."""

    dispatch_id: int
    channel: str
    at: datetime
    outcome: str  # sent, failed or skipped
    detail: str  # the channel's reference when sent, else the reason


@dataclass(frozen=True, slots=True)
class DispatchDone:
    dispatch_id: int
    state: str  # sent or failed
    channel: str  # the channel that took it ("" when none did)
    day: date
    post_day: date | None = None  # on paper: the day whose post it went in
    paper_name: str = ""  # on paper: its name in that day's folder


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()
    # Who the mail is from: the name shown with the configured sender address, and where
    # replies go (a collector's letter is from the collector, issue 12).
    sender_name: str = ""
    reply_to: str = ""


class DeliveryFailed(Exception):
    """A channel refused or could not take a document; `reason` says why, for the log."""

    def __init__(self, channel: str, reason: str) -> None:
        self.channel = channel
        self.reason = reason
        super().__init__(f"{channel}: {reason}")


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> None:
        """Hand the mail to the mail server; DeliveryFailed when it is refused."""
        ...


@dataclass(frozen=True, slots=True)
class PaperDocument:
    """A letter for the paper outbox: its PDF and what the print manifest says of it.
    `company` (the sender's orgnr) keeps companies sharing an outbox apart: each has its
    own folder, so their documents of the same name never meet."""

    day: date
    name: str  # unique within the company's day, e.g. "case-17-collection_notice"
    pdf: bytes
    recipient: str
    address: str
    company: str
    compiled: Compiled | None = None  # the compile `pdf` was cut from, for the print batch


class PaperOutbox(Protocol):
    def put(self, document: PaperDocument) -> str:
        """Store the document for printing; returns where. Putting it twice changes nothing."""
        ...

    def put_all(self, documents: Sequence[PaperDocument]) -> list[str | DeliveryFailed]:
        """Each document stored as `put` stores it; where each went or why it did not, in
        order (one failing does not stop the others)."""
        ...

    def print_batch(self, batch: PrintBatch) -> str:
        """Join the batch's documents, put on its day before, into one print-ready PDF
        (its print manifest gives each one's pages); returns where. Making the same batch
        again changes nothing."""
        ...


@dataclass(frozen=True, slots=True)
class PrintBatch:
    """Paper documents of one day's post joined for printing: the company's `number`-th
    batch of the day (`company` its orgnr: companies sharing an outbox never write each
    other's batches), made of `documents` (their `PaperDocument` names) in print order."""

    day: date
    company: str
    number: int
    documents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OnPaper:
    """A document sent on paper: the day whose post it went in and its name there."""

    dispatch_id: int
    day: date
    name: str


class EhfWriter(Protocol):
    def write(self, document: InvoiceDocument) -> bytes:
        """The document as a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0),
        checked against the UBL schema and the rules that can be checked before sending;
        InvalidInput naming the field or rule when it breaks one."""
        ...


@dataclass(frozen=True, slots=True)
class OutgoingEhf:
    """A UBL document for an access point."""

    name: str  # unique per company and document, e.g. "923456783-invoice-1001"
    sender: str  # participant id of the seller
    receiver: str  # participant id of the buyer
    document_type: str
    ubl: bytes


class AccessPoint(Protocol):
    def submit(self, document: OutgoingEhf) -> str:
        """Hand the document to the access point; returns its reference (a path or an id).
        DeliveryFailed when it is refused. Submitting the same name twice changes nothing."""
        ...


class ReceiverLookup(Protocol):
    def lookup_document(self, participant: str, document_type: str) -> Receiver:
        """Whether `participant` ("0192:<orgnr>") takes `document_type` (EHF invoices or
        credit notes); DeliveryFailed when the network answers nothing usable (the caller
        then falls through)."""
        ...
