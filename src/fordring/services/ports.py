"""What the services need from storage, as small interfaces the adapters implement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.case_facts import CaseFacts, ChargeKind
from fordring.domain.collection.history import NO_PAYLOAD, EventKind, HistoryEvent, Payload
from fordring.domain.collection.letters import CollectionList, Letter, ListedCase, Party
from fordring.domain.collection.registration import NewCase
from fordring.domain.company import Company
from fordring.domain.customers import Customer, Language
from fordring.domain.invoice_document import CreditedInvoice, InvoiceDocument
from fordring.domain.invoices import Invoice
from fordring.domain.ledger import CollectionMapping, Voucher, VoucherType
from fordring.domain.peppol import Receiver
from fordring.domain.recurring import Period, RecurringAgreement
from fordring.domain.reskontro import AgingRow
from fordring.services.collector_ports import ClientKidRepository, CollectorRepository
from fordring.services.scope import COMMAND_LINE, Actor, Scope

if TYPE_CHECKING:
    from fordring.services.posting_ports import MoneyState


@dataclass(frozen=True, slots=True)
class StoredInvoice:
    """An issued invoice or credit note with its place in the customer ledger."""

    invoice: Invoice
    id: int
    customer_number: int
    customer_name: str
    total_nok: Decimal
    open_amount: Decimal
    credited_number: int | None
    voucher_number: int


@dataclass(frozen=True, slots=True)
class InvoiceSummary:
    id: int
    number: int
    kind: str
    customer_number: int
    customer_name: str
    issue_date: date
    due_date: date
    currency: str
    total: Decimal
    total_nok: Decimal
    open_amount: Decimal
    kid: str


@dataclass(frozen=True, slots=True)
class ImportRecord:
    id: int
    kind: str
    sha256: str
    filename: str
    rows: int
    imported_on: date


@dataclass(frozen=True, slots=True)
class TrialBalanceLine:
    account: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


class CompanyRepository(Protocol):
    """The register of every company: unscoped, used by the global unit of work only."""

    def add(
        self, company: Company, first_numbers: Mapping[str, int], types: Sequence[VoucherType]
    ) -> Company:
        """Register a company with its number series and voucher types."""
        ...

    def by_orgnr(self, orgnr: str) -> Company | None: ...
    def all(self) -> list[Company]: ...


class CurrentCompany(Protocol):
    def current(self) -> Company:
        """The scope's company."""
        ...


class NumberSeries(Protocol):
    def take(self, series: str, count: int = 1) -> int:
        """Reserve `count` consecutive numbers; returns the first."""
        ...

    def start(self, series: str, first: int) -> None: ...
    def raise_to(self, series: str, at_least: int) -> None:
        """Make sure the next number taken is at least `at_least`."""
        ...


class CustomerRepository(Protocol):
    def add_many(self, customers: Sequence[Customer]) -> None: ...
    def get(self, number: int) -> Customer | None: ...
    def update(self, customer: Customer) -> None:
        """Store a customer's changed details (found by its id)."""
        ...

    def by_id(self, customer_id: int) -> Customer | None: ...
    def list(self) -> list[Customer]: ...
    def ids_by_number(self) -> dict[int, tuple[int, str]]:
        """customer number → (id, name) for every customer of the company."""
        ...

    def existing_numbers(self, numbers: Iterable[int]) -> set[int]: ...


class InvoiceRepository(Protocol):
    def reserve_ids(self, count: int) -> int:
        """Reserve `count` consecutive invoice ids; returns the first."""
        ...

    def add_many(self, rows: Sequence[tuple[Invoice, Decimal, int]]) -> None:
        """Store invoices with their lines: (invoice with id, open amount, voucher id)."""
        ...

    def get(self, number: int) -> StoredInvoice | None: ...
    def list(self, *, open_only: bool) -> list[InvoiceSummary]: ...
    def existing_numbers(self, numbers: Iterable[int]) -> set[int]: ...
    def highest_number(self) -> int:
        """The highest invoice number of the company (0 when it has none)."""
        ...

    def add_to_open_amounts(self, changes: dict[int, Decimal]) -> None: ...


class LedgerRepository(Protocol):
    def reserve_ids(self, count: int) -> int: ...
    def add_many(self, vouchers: Sequence[Voucher]) -> None:
        """Store vouchers that carry their id and number; postings first, voucher last."""
        ...

    def add_numbered(self, vouchers: Sequence[Voucher], first_id: int, first_number: int) -> None:
        """Store vouchers in order with consecutive ids and numbers from the first given."""
        ...

    def add_voucher_types(self, types: Sequence[VoucherType]) -> None: ...
    def voucher_types(self) -> list[VoucherType]: ...
    def get(self, number: int) -> Voucher | None: ...
    def by_id(self, voucher_id: int) -> Voucher | None: ...
    def balance_of(self, account: str, invoice_id: int) -> Decimal:
        """The sum of the postings on `account` that name the invoice."""
        ...

    def vouchers(self, since: date | None, limit: int) -> list[Voucher]: ...
    def trial_balance(self, until: date | None) -> list[TrialBalanceLine]: ...
    def open_item_mismatches(self) -> list[tuple[int, Decimal, Decimal]]:
        """Invoices whose open amount differs from the sum of their receivable postings."""
        ...

    def charge_mismatches(self) -> list[tuple[int, Decimal, Decimal]]:
        """Charges whose open amount differs from the sum of their receivable postings."""
        ...

    def orphan_postings(self) -> int:
        """Postings whose voucher was never written."""
        ...


class ReskontroQueries(Protocol):
    def aging(self, as_of: date, *, by_customer: bool) -> list[AgingRow]: ...


class ImportLog(Protocol):
    def find(self, kind: str, sha256: str) -> ImportRecord | None: ...
    def add(self, kind: str, sha256: str, filename: str, rows: int, on: date) -> None: ...


@dataclass(frozen=True, slots=True)
class InvoiceForCollection:
    """An invoice with what eligibility needs to know of its customer, voucher and case."""

    invoice_id: int
    number: int
    kind: str
    currency: str
    due_date: date
    total_nok: Decimal
    open_amount: Decimal
    kid: str
    invoice_exempt: bool
    voucher_collection: CollectionMapping
    customer_id: int
    customer_kind: str
    customer_orgnr: str | None
    customer_address_complete: bool
    customer_exempt: bool
    case_number: int | None


@dataclass(frozen=True, slots=True)
class CaseSummary:
    number: int
    state: str
    customer_number: int
    customer_name: str
    kid: str
    registered_on: date
    invoice_numbers: tuple[int, ...]
    principal: Decimal  # the invoices' totals
    remaining: Decimal  # what is still open on them
    merged_into: int | None = None  # issue 12: the number of the case it was merged into
    held_reason: str | None = None  # issue 12: waiting for a rate the tables lack
    held_on: date | None = None


@dataclass(frozen=True, slots=True)
class CaseEventRecord:
    day: date
    recorded_at: str
    actor: str
    kind: EventKind
    text: str
    # issue 13: the event's structured fields (docs/events.md)
    payload: Payload = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CaseInvoiceDetails:
    invoice_id: int
    number: int
    description: str
    issue_date: date
    due_date: date
    total_nok: Decimal
    open_amount: Decimal
    fees_open: Decimal  # reminder and notice fees open on the day
    costs_open: Decimal  # the creditor's own demand fee open on the day


@dataclass(frozen=True, slots=True)
class CaseDetails:
    """What a letter about a case needs beyond the steps' facts."""

    case_id: int
    number: int
    kid: str
    customer_id: int
    debtor: Party
    language: str
    invoices: tuple[CaseInvoiceDetails, ...]
    salaer_open: Decimal = Decimal(0)  # on the day


@dataclass(frozen=True, slots=True)
class NewLetter:
    """A letter the run produced: stored with its content; its PDF is rendered later."""

    case_id: int
    letter: Letter
    fee_total: Decimal  # what this letter charges: fees, salær and interest
    fees: tuple[tuple[int, Decimal, str], ...]  # (invoice id, fee, why) for the law's rules


@dataclass(frozen=True, slots=True)
class OpenCharge:
    id: int
    kind: ChargeKind
    open_amount: Decimal
    customer_id: int


@dataclass(frozen=True, slots=True)
class StoredLetter:
    kind: str
    day: date
    deadline: date | None
    charged: Decimal  # fees, salær and interest this letter charged
    total: Decimal  # what the letter asked for
    location: str  # the PDF ('' until rendered)


@dataclass(frozen=True, slots=True)
class UnrenderedLetter:
    id: int
    letter: Letter


@dataclass(frozen=True, slots=True)
class NewCharge:
    id: int
    case_id: int
    invoice_id: int
    kind: str
    amount: Decimal
    day: date
    letter_id: int | None
    voucher_id: int


@dataclass(frozen=True, slots=True)
class HandOver:
    """A case handed over today and the debtor's case it may join (issue 12, merging)."""

    case_id: int
    number: int
    customer_id: int
    into_id: int | None  # the debtor's oldest case in collection, if any
    into_number: int | None


class CollectionRepository(Protocol):
    def settings(self) -> dict[str, str]: ...
    def save_settings(self, settings: dict[str, str]) -> None: ...
    def invoices(self, numbers: Sequence[int] | None) -> list[InvoiceForCollection]:
        """The invoices with these numbers, or every open invoice when None."""
        ...

    def add_cases(self, cases: Sequence[NewCase], on: date) -> list[int]:
        """Store new cases (state registered) with their invoices; returns their ids."""
        ...

    def add_events(
        self,
        case_ids: Sequence[int],
        day: date,
        actor: str,
        kind: EventKind,
        text: str,
        payload: Payload = NO_PAYLOAD,
    ) -> None: ...
    def cases(self, state: str | None) -> list[CaseSummary]: ...
    def case(self, number: int) -> CaseSummary | None: ...
    def history(self, number: int) -> list[CaseEventRecord]: ...
    def status(self, number: int, *, lock: bool = False) -> tuple[int, CaseStatus] | None:
        """The case's id and status, or None when there is no such case; `lock`: hold its
        row until commit (a read that decides a write)."""
        ...

    def save_status(
        self, case_id: int, status: CaseStatus, *, was: CaseStatus | None = None
    ) -> None:
        """With `was`: only if the case's status is still as read, else `Conflict`."""
        ...

    def save_statuses(self, changes: Sequence[tuple[int, CaseStatus]]) -> None: ...
    def add_event_rows(self, rows: Sequence[HistoryEvent], day: date, actor: str) -> None:
        """History rows (case id, kind, text, payload), all dated `day`, in one statement."""
        ...

    def open_case_facts(self, day: date) -> list[CaseFacts]:
        """The steps' view of every open case whose wake-up day is `day` or earlier."""
        ...

    def every_open_case_facts(self, day: date) -> list[CaseFacts]:
        """The steps' view of every open case, whatever its wake-up day."""
        ...

    def case_facts(self, number: int, day: date) -> CaseFacts | None: ...
    def facts_of(self, case_ids: Sequence[int], day: date) -> dict[int, CaseFacts]: ...
    def case_letters(self, number: int) -> list[StoredLetter]: ...
    def open_charges(self, number: int) -> dict[str, Decimal]: ...
    def open_charge_items(self, case_id: int) -> list[OpenCharge]: ...
    def set_wakes(self, wakes: Sequence[tuple[int, date]]) -> None:
        """The day each case next needs looking at (steps.wake_on)."""
        ...

    def set_held(self, rows: Sequence[tuple[int, str | None]], day: date) -> None:
        """Hold cases for a missing rate from `day` (the reason), or release them (None)."""
        ...

    def set_collectors(self, rows: Sequence[tuple[int, str, str]]) -> None:
        """The collector (name, orgnr) each case was handed over to."""
        ...

    def wake_cases(self, case_ids: Sequence[int]) -> None: ...
    def wake_invoice_cases(self, invoice_ids: Sequence[int]) -> None: ...
    def wake_company(self) -> None: ...
    def reopen_paid(self, case_ids: Sequence[int], invoice_numbers: Sequence[int]) -> list[int]:
        """Reopen cases closed as paid that owe principal again (a payment reversed)."""
        ...

    def approve(self, case_ids: Sequence[int], day: date) -> list[int]: ...
    def forget_listing(self, case_ids: Sequence[int]) -> None: ...
    def set_limitation_interrupted(self, invoice_ids: Sequence[int], day: date) -> None: ...
    def mark_rendered(self, rendered: Sequence[tuple[int, str, str]]) -> None:
        """(letter id, location, sha256) of letters whose PDF is in the outbox."""
        ...

    def case_details(
        self, case_ids: Sequence[int], day: date | None = None
    ) -> dict[int, CaseDetails]: ...
    def reserve_ids(self, name: str, count: int) -> int: ...
    def add_letters(self, letters: Sequence[tuple[int, NewLetter]]) -> None:
        """Store letters with the ids given."""
        ...

    def add_charges(self, charges: Sequence[NewCharge]) -> None: ...
    def listed_cases(self, *, unsent_only: bool) -> list[tuple[int, ListedCase, date | None]]:
        """Cases on the collection list: (case id, the list line, the day its list went)."""
        ...

    def mark_list_sent(self, case_ids: Sequence[int], day: date) -> None: ...
    def lock_runs(self) -> None:
        """Wait for any other run of the company's daily run to finish (until commit)."""
        ...

    def last_run(self) -> date | None: ...
    def record_run(self, day: date) -> None: ...
    # issue 12, merging claims
    def hand_overs(self, case_ids: Sequence[int]) -> list[HandOver]:
        """These cases (by number) with each debtor's oldest case in collection."""
        ...

    def merge_cases(self, into_id: int, case_ids: Sequence[int]) -> None:
        """Move the cases' invoices and charges to `into_id`; they name it as merged into."""
        ...


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
    """A letter for the paper outbox: its PDF and what the print manifest says of it."""

    day: date
    name: str  # unique within the day, e.g. "case-17-collection_notice"
    pdf: bytes
    recipient: str
    address: str


class PaperOutbox(Protocol):
    def put(self, document: PaperDocument) -> str:
        """Store the document for printing; returns where. Putting it twice changes nothing."""
        ...

    def print_batch(self, day: date) -> str | None:
        """Join the day's documents into one print-ready PDF (the manifest gives each
        one's pages); returns where, or None when the day has nothing. Safe to repeat."""
        ...


class EhfWriter(Protocol):
    def write(self, document: InvoiceDocument) -> bytes:
        """The document as a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0),
        checked against the UBL schema and the rules that can be checked before sending;
        InvalidInput naming the field or rule when it breaks one."""
        ...


class RenderFailed(Exception):
    """A document could not be laid out as a PDF (a broken template, or data it cannot
    show); renderers raise it (or a subclass) so one bad document does not stop a batch."""


class InvoiceRenderer(Protocol):
    def render_invoices(self, documents: Sequence[InvoiceDocument]) -> list[bytes]:
        """One PDF per document, in order."""
        ...


class ReceiverLookup(Protocol):
    def lookup_document(self, participant: str, document_type: str) -> Receiver:
        """Whether `participant` ("0192:<orgnr>") takes `document_type` (EHF invoices or
        credit notes); DeliveryFailed when the network answers nothing usable (the caller
        then falls through)."""
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


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """A queued document with every attempt to deliver it (`deliveries list`)."""

    dispatch_id: int
    kind: str
    document: str  # "invoice 1001", "case 17", "collection list 2026-04-14"
    customer_number: int | None  # None: the collection list goes to the creditor
    customer_name: str
    queued_on: date
    state: str
    channel: str
    attempts: tuple[AttemptRecord, ...]


class DeliveryRepository(Protocol):
    def queue(self, items: Sequence[NewDispatch]) -> int:
        """Queue the documents not queued before; how many were new."""
        ...

    def waiting(self, limit: int) -> list[WaitingDispatch]: ...
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

    def listing(self, *, failed_only: bool, limit: int) -> list[DeliveryView]: ...
    def receiver(self, participant: str, document_type: str) -> Receiver | None: ...
    def save_receiver(self, receiver: Receiver) -> None: ...


@dataclass(frozen=True, slots=True)
class InvoiceItem:
    """An invoice as a payment sees it: what is open, whose it is, its case if any."""

    id: int
    number: int
    customer_id: int
    customer_name: str
    open_amount: Decimal
    due_date: date
    case_id: int | None


@dataclass(frozen=True, slots=True)
class CaseItem:
    id: int
    number: int
    customer_id: int
    state: str
    invoice_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ChargeItem:
    id: int
    case_id: int
    invoice_id: int
    kind: str
    open_amount: Decimal
    charged_on: date


@dataclass(frozen=True, slots=True)
class PaymentLookup:
    """What payments to some cases and invoices can pay: the invoices (of the cases too),
    the cases, their open charges, and per invoice the interest ever charged."""

    invoices: dict[int, InvoiceItem]
    cases: dict[int, CaseItem]
    charges: tuple[ChargeItem, ...]
    interest_charged: dict[int, Decimal]


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """A payment as stored: what the bank said, what became of it, what it paid."""

    id: int
    number: int
    bank_file_id: int | None
    place: str
    channel: str
    received_on: date
    amount: Decimal
    kid: str
    text: str
    payer_name: str
    payer_account: str
    archive_ref: str
    status: str
    matched_by: str
    matched_on: date | None
    customer_id: int | None
    case_id: int | None
    voucher_id: int
    allocation_voucher_id: int | None = None
    principal: Decimal = Decimal(0)
    interest: Decimal = Decimal(0)
    fees: Decimal = Decimal(0)
    salaer: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    settlement_id: int | None = None
    reverses_id: int | None = None
    invoice_numbers: str = ""  # the invoices it paid something on, "10023 10024"


@dataclass(frozen=True, slots=True)
class PaymentView:
    """A stored payment with the names a person reads: customer, case, invoices paid."""

    row: PaymentRow
    customer_number: int | None
    customer_name: str
    case_number: int | None
    invoice_numbers: tuple[int, ...]
    settlement_number: int | None


@dataclass(frozen=True, slots=True)
class BankFileRecord:
    id: int
    format: str
    file_id: str
    filename: str
    imported_on: date
    transactions: int


@dataclass(frozen=True, slots=True)
class SettlementRecord:
    id: int
    number: int
    day: date
    payments: int
    received: Decimal
    kept: Decimal
    paid_out: Decimal
    voucher_id: int | None  # None: it netted to nothing
    pdf: str
    csv: str


@dataclass(frozen=True, slots=True)
class CaseCharge:
    """A charge of a case, paid or not (a payment in time cancels some)."""

    id: int
    invoice_id: int
    kind: str
    amount: Decimal
    open_amount: Decimal
    charged_on: date


@dataclass(frozen=True, slots=True)
class MoneyInTime:
    """A case's claims and the money that reached them by a day (inkassoloven § 9 (2))."""

    principal: Decimal  # the invoices' totals
    received: Decimal  # payments received by the day, less what was refunded
    credited: Decimal  # credit notes issued by the day


class PaymentRepository(Protocol):
    def find_bank_file(self, sha256: str, format: str, file_id: str) -> BankFileRecord | None:
        """A file read before: the same content, or the same id from the bank."""
        ...

    def add_bank_file(
        self,
        format: str,
        file_id: str,
        sha256: str,
        filename: str,
        day: date,
        transactions: int,
        total: Decimal,
    ) -> int: ...
    def targets_by_kid(self, kids: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
        """(case id by case KID, invoice id by invoice KID) for the KIDs that exist."""
        ...

    def open_invoices_by_number(self, numbers: Iterable[int]) -> dict[int, int]:
        """invoice number → id, for the numbers that are open invoices (or paid ones with
        fees or interest open)."""
        ...

    def lookup(self, case_ids: Iterable[int], invoice_ids: Iterable[int]) -> PaymentLookup: ...
    def reserve_ids(self, count: int) -> int: ...
    def add_payments(self, rows: Sequence[PaymentRow]) -> None: ...
    def refresh_statistics(self) -> None:
        """A bulk write of payments is done: let the database re-read the table's
        statistics if it was large (once per import, not per batch)."""
        ...

    def get(self, number: int, *, lock: bool = False) -> PaymentView | None:
        """`lock`: hold the payment's row until commit (a read that decides a write)."""
        ...

    def lock_targets(self, case_ids: Iterable[int], invoice_ids: Iterable[int]) -> None:
        """Hold these cases' and invoices' rows until commit, before reading what is open."""
        ...

    def listing(
        self, *, status: str | None, limit: int, number_from: int = 0
    ) -> list[PaymentView]: ...
    def views(self, payment_ids: Sequence[int]) -> list[PaymentView]: ...
    def update(self, row: PaymentRow, *, was: PaymentRow | None = None) -> None:
        """Store what became of a payment (status, match, split, settlement); with `was`,
        only if its status and refunds are still as read, else `Conflict`."""
        ...

    def reversible(self, kid: str, amount: Decimal) -> PaymentRow | None:
        """The latest payment with this KID and amount that a reversal can take back."""
        ...

    def candidates(
        self, amounts: Iterable[Decimal], words: Iterable[str]
    ) -> list[tuple[str, str, Decimal]]:
        """Open invoices and cases owing one of `amounts`, and open invoices of customers
        whose name has one of `words`: (label, customer name, owed)."""
        ...

    def add_to_charge_open_amounts(self, changes: dict[int, Decimal]) -> None: ...
    def unsettled(self, matched_before: date) -> list[PaymentView]:
        """Client-account payments matched before `matched_before` and not yet settled."""
        ...

    def add_settlement(
        self,
        number: int,
        day: date,
        totals: tuple[int, Decimal, Decimal, Decimal],  # payments, received, kept, paid out
        voucher_id: int | None,
    ) -> int: ...
    def mark_settled(self, payment_ids: Sequence[int], settlement_id: int) -> None: ...
    def settlements(self) -> list[SettlementRecord]: ...
    def settlement(self, number: int) -> SettlementRecord | None: ...
    def settlement_on(self, day: date) -> SettlementRecord | None: ...
    def settled_payments(self, settlement_id: int) -> list[PaymentView]: ...
    def mark_written(self, settlement_id: int, pdf: str, csv: str) -> None: ...
    # issue 12, payments: a payment in time undoes a later hand-over
    def money_in_time(self, case_id: int, by: date) -> MoneyInTime: ...
    def case_charges(self, case_id: int) -> list[CaseCharge]: ...
    def later_salaer_days(self, case_ids: Sequence[int]) -> dict[int, date]:
        """Per case, the first day salær was charged after the first (heavy salær)."""
        ...

    def case_payments(self, case_id: int) -> list[PaymentRow]:
        """The payments matched to the case (not reversed), oldest first."""
        ...

    def back_before_handover(self, case_ids: Sequence[int]) -> None:
        """Put the cases back as they stood after their collection notice."""
        ...

    def cancel_charges(self, charge_ids: Sequence[int]) -> None:
        """The charges no longer count as charged (amount 0): a correcting voucher cancelled
        them, and letters and the steps see only what stands."""
        ...


@dataclass(frozen=True, slots=True)
class StoredAgreement:
    """A recurring invoice agreement as stored, with its customer and the first period
    not yet issued (None once it has ended) and the day that period is to be issued."""

    id: int
    number: int
    customer_id: int
    customer_number: int
    customer_name: str
    language: Language  # the customer's: the period text is written in it
    reminder_exempt: bool  # the customer's purrefritak, carried onto each invoice
    agreement: RecurringAgreement
    next_period: date | None
    next_issue_on: date | None


@dataclass(frozen=True, slots=True)
class RecurringIssue:
    """One period of an agreement issued as one invoice, to store."""

    agreement_id: int
    period_start: date
    period_end: date
    text: str  # "Husleie mars 2026"
    invoice_id: int


@dataclass(frozen=True, slots=True)
class IssuedPeriodRecord:
    """A period issued, with its invoice."""

    period_start: date
    period_end: date
    period_text: str
    invoice_id: int
    invoice_number: int
    issue_date: date
    due_date: date
    total: Decimal


class RecurringRepository(Protocol):
    def add(
        self,
        number: int,
        customer_id: int,
        agreement: RecurringAgreement,
        first: Period | None,
    ) -> int:
        """Store an agreement with its lines and first period; returns its id."""
        ...

    def agreements(self, number: int | None = None, *, lock: bool = False) -> list[StoredAgreement]:
        """Every agreement of the company (or the one numbered), by number; `lock` holds
        them until commit."""
        ...

    def due(self, day: date) -> list[StoredAgreement]:
        """The agreements with a period to issue on or before `day`, locked until commit."""
        ...

    def issued(self, agreement_id: int) -> list[IssuedPeriodRecord]: ...
    def add_issues(self, issues: Sequence[RecurringIssue]) -> None: ...
    def set_next(self, changes: Sequence[tuple[int, Period | None]]) -> None:
        """(agreement id, its next period to issue or None when it has ended)."""
        ...

    def stop(self, agreement_id: int, on: date, next_period: Period | None) -> None: ...
    def periods_of(self, invoice_ids: Iterable[int]) -> dict[int, tuple[date, date, str]]:
        """invoice id → (period start, period end, period text) of recurring invoices."""
        ...


class LetterRenderer(Protocol):
    def render_letters(self, letters: Sequence[Letter]) -> list[bytes]:
        """One PDF per letter, in the order given."""
        ...

    def render_collection_list(self, lst: CollectionList) -> bytes: ...


class UnitOfWork(Protocol):
    """One transaction and the repositories that work inside it."""

    @property
    def scope(self) -> Scope: ...
    @property
    def company(self) -> CurrentCompany: ...
    @property
    def series(self) -> NumberSeries: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def invoices(self) -> InvoiceRepository: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def reskontro(self) -> ReskontroQueries: ...
    @property
    def imports(self) -> ImportLog: ...
    @property
    def collection(self) -> CollectionRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
    @property
    def recurring(self) -> RecurringRepository: ...
    @property
    def money(self) -> MoneyState: ...
    @property
    def client_kids(self) -> ClientKidRepository:
        """The company's side of the collector serving it (if any)."""
        ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class GlobalQueues(Protocol):
    """The queues that span every company."""

    def unrendered_letters(self, limit: int) -> list[UnrenderedLetter]: ...
    def unwritten_settlements(self) -> list[tuple[int, int, int]]:
        """(settlement id, company id, number) of settlements whose documents are missing."""
        ...


class GlobalUnitOfWork(Protocol):
    """The unscoped transaction of the few jobs that span companies (registering a
    company, listing them, the global queues); nothing else may use it."""

    @property
    def companies(self) -> CompanyRepository: ...
    @property
    def queues(self) -> GlobalQueues: ...
    @property
    def collectors(self) -> CollectorRepository:
        """Collectors and their creditors, client accounts, KIDs and queue: global tables."""
        ...

    def within(
        self,
        company_id: int,
        *,
        actor: Actor = COMMAND_LINE,
        business_date: date | None = None,
    ) -> UnitOfWork:
        """A unit of work for one company on this transaction (`with uow.within(cid) as
        scoped:`): its repositories see only that company's rows (PostgreSQL: the tenant
        role and `app.company_id` until the `with` is left). It is a savepoint: what it
        wrote is kept only if `scoped.commit()` is called before leaving, and then only
        when this unscoped unit of work commits. `business_date` defaults to today."""
        ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """`factory(scope)` opens a unit of work for one scope; `unscoped()` the global one."""

    def __call__(self, scope: Scope) -> UnitOfWork: ...
    def unscoped(self) -> GlobalUnitOfWork: ...
