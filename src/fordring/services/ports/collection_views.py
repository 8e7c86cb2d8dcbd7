"""Read models of collection cases: lists, history and letters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fordring.domain.collection.case_facts import CaseFacts
from fordring.domain.collection.history import EventKind, Payload
from fordring.domain.collection.letters import Letter
from fordring.domain.collection.payment_reports import PaymentReport
from fordring.services.ports.objections import ObjectionRecord
from fordring.services.ports.payment_plans import StoredPlan


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
class StoredLetter:
    kind: str
    day: date
    deadline: date | None
    charged: Decimal  # fees, salær and interest this letter charged
    total: Decimal  # what the letter asked for
    location: str  # the PDF ('' until rendered)
    sent: bool = True  # its dispatch was sent (not waiting, not failed)


@dataclass(frozen=True, slots=True)
class CaseReading:
    """One case as `collection show` reads it: its summary, what is open of its charges
    per kind, its history, letters, reports, plans and objections, and the facts its
    interest needs (claims with their reductions, letters, interest charged; the other
    fields of the facts keep defaults)."""

    summary: CaseSummary
    open_charges: dict[str, Decimal]
    facts: CaseFacts
    history: list[CaseEventRecord]
    letters: list[StoredLetter]
    # issue 19, read in the same round trip: the debtor's payment reports (oldest first),
    # the case's plans with their instalments (newest first), its objections (oldest first)
    reports: list[PaymentReport] = field(default_factory=list)
    plans: list[StoredPlan] = field(default_factory=list)
    objections: list[ObjectionRecord] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case as the portal's case list shows it (issue 18): what is owed on it, split,
    and what its next step waits for (`wake_on`, the first day a step can apply)."""

    number: int
    state: str
    customer_number: int
    customer_name: str
    principal: Decimal  # the invoices' totals
    remaining: Decimal  # what is still open on them
    fees_open: Decimal  # fees and compensation charged and not paid
    salaer_open: Decimal
    interest_open: Decimal  # interest charged (interest note) and not paid
    wake_on: date
    paused_on: date | None
    held_reason: str | None


@dataclass(frozen=True, slots=True)
class LetterDetail:
    """A case's letter as the run decided it (None: no content stored), with why each
    invoice's fee is what it is (the law's fee rule, as the run wrote it)."""

    letter: Letter | None
    fee_reasons: tuple[tuple[int, Decimal, str], ...]  # (invoice number, fee, why)
