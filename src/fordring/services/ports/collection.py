"""Collection cases: what the run and the case actions read and write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.case_facts import CaseFacts, ChargeKind
from fordring.domain.collection.history import NO_PAYLOAD, EventKind, HistoryEvent, Payload
from fordring.domain.collection.letters import Letter, ListedCase, Party
from fordring.domain.collection.registration import NewCase
from fordring.domain.language import Language
from fordring.domain.ledger import CollectionMapping
from fordring.services.ports.day_parts import Customers

if TYPE_CHECKING:
    from fordring.services.ports.collection_views import (
        CaseEventRecord,
        CaseReading,
        CaseRow,
        CaseSummary,
        LetterDetail,
        StoredLetter,
    )


class CollectionRepository(Protocol):
    def settings(self) -> dict[str, str]: ...
    def save_settings(self, settings: dict[str, str]) -> None: ...
    def invoices(
        self, numbers: Sequence[int] | None, *, after: int | None = None, limit: int | None = None
    ) -> list[InvoiceForCollection]:
        """The invoices with these numbers, or every open invoice when None (by number:
        those after `after`, at most `limit`)."""
        ...

    def add_cases(self, cases: Sequence[NewCase], on: date) -> list[int]:
        """Store new cases (state registered) with their invoices; returns their ids."""
        ...

    def taken_for_cases(self, invoice_ids: Sequence[int]) -> set[int]:
        """Lock these invoices' rows until the transaction ends (waiting for whoever holds
        them), then those of them that are in a case: read after the lock, so a case
        another transaction committed meanwhile is seen."""
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
    def cases(
        self, state: str | None, *, after: int | None = None, limit: int | None = None
    ) -> list[CaseSummary]:
        """By number; `after` a number and at most `limit` (keyset pagination)."""
        ...

    def case(self, number: int) -> CaseSummary | None: ...
    def case_reading(self, number: int, day: date) -> CaseReading | None:
        """The case with its charges, history and letters, and the facts its interest
        needs on `day`, in a few statements (what `show_case` shows); None: no such case."""
        ...

    def case_rows(
        self,
        *,
        state: str | None = None,
        customer_number: int | None = None,
        numbers: Sequence[int] | None = None,
        after: int | None = None,
        limit: int | None = None,
        needs: str | None = None,
    ) -> list[CaseRow]:
        """The portal's case list by number: in `state`, of the customer, among `numbers`
        (each filter only if given); `after` a number and at most `limit` (keyset)."""
        ...

    def case_letter(self, number: int, position: int) -> Letter | None:
        """The case's letter at `position` (0: the first, in the order `case_reading`
        lists them) as the run decided it; None: no such letter, or none stored."""
        ...

    def case_letter_details(self, number: int) -> list[LetterDetail]:
        """Every letter of the case as the run decided it, in `case_reading`'s order, with
        its fees' reasons (what the case page explains)."""
        ...

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
    def save_steps(
        self, changes: Sequence[tuple[int, CaseStatus]], wakes: Sequence[tuple[int, date]]
    ) -> None:
        """The day's steps at once: new statuses and wake-up days, each case written once
        (a changed case without a day in `wakes` wakes in the next run, a closed one never)."""
        ...

    def add_event_rows(self, rows: Sequence[HistoryEvent], day: date, actor: str) -> None:
        """History rows (case id, kind, text, payload), all dated `day`, in one statement."""
        ...

    def open_case_facts(self, day: date, customers: Customers | None = None) -> list[CaseFacts]:
        """The steps' view of every open case whose wake-up day is `day` or earlier (of
        those `customers` only, when given: a chunk of the day)."""
        ...

    def every_open_case_facts(self, day: date) -> list[CaseFacts]:
        """The steps' view of every open case, whatever its wake-up day."""
        ...

    def case_facts(self, number: int, day: date) -> CaseFacts | None: ...
    def facts_of(self, case_ids: Sequence[int], day: date) -> dict[int, CaseFacts]: ...
    def case_letters(self, number: int) -> list[StoredLetter]: ...
    def letters_dated(self, case_ids: Sequence[int], day: date) -> set[tuple[int, str]]:
        """(case id, kind) of each letter of `case_ids` dated `day`."""
        ...

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
    def approved_on(self, case_ids: Sequence[int]) -> dict[int, date]:
        """The day each of these cases was approved for hand-over (those approved)."""
        ...

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
    def listed_cases(
        self, *, unsent_only: bool, after: int | None = None, limit: int | None = None
    ) -> list[tuple[int, ListedCase, date | None]]:
        """Cases on the collection list by number: (case id, the list line, the day its
        list went); those numbered after `after`, at most `limit`."""
        ...

    def mark_list_sent(self, case_ids: Sequence[int], day: date) -> None: ...
    def lock_runs(self) -> None:
        """Hold the company's run lock alone until commit: wait for another run's day and
        for the company's writes in progress, and make new ones wait for this day."""
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
class CaseDetails:
    """What a letter about a case needs beyond the steps' facts."""

    case_id: int
    number: int
    kid: str
    customer_id: int
    debtor: Party
    language: Language
    invoices: tuple[CaseInvoiceDetails, ...]
    salaer_open: Decimal = Decimal(0)  # on the day


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
    demand_fee_open: Decimal  # the creditor's own demand fee open on the day
    interest_open: Decimal = Decimal(0)  # late interest charged (booked) open on the day


@dataclass(frozen=True, slots=True)
class NewLetter:
    """A letter the run produced: stored with its content; its PDF is rendered later."""

    case_id: int
    letter: Letter
    charge_total: Decimal  # what this letter charges: fees, salær, interest, compensation
    fees: tuple[tuple[int, Decimal, str], ...]  # (invoice id, fee, why) for the law's rules


@dataclass(frozen=True, slots=True)
class OpenCharge:
    id: int
    kind: ChargeKind
    open_amount: Decimal
    customer_id: int


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
