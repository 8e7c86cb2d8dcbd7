"""Read models of collection cases: lists, history and letters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fordring.domain.collection.case_facts import CaseFacts
from fordring.domain.collection.history import EventKind, Payload


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


@dataclass(frozen=True, slots=True)
class CaseReading:
    """One case as `collection show` reads it: its summary, what is open of its charges
    per kind, its history and letters, and the facts its interest needs (claims with their
    reductions, letters, interest charged; the other fields of the facts keep defaults)."""

    summary: CaseSummary
    open_charges: dict[str, Decimal]
    facts: CaseFacts
    history: list[CaseEventRecord]
    letters: list[StoredLetter]
