"""What the debtor's way in needs from storage (docs/debtor_page.md): the company's side
(a case's new access code and PIN, as hashes) and the global side a sign-in and a
request's session lookup use before any company is known (by the code's or the token's
hash), with the wrong tries per code and per client address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from fordring.domain.collection.letters import LetterAccess


@dataclass(frozen=True, slots=True)
class NewAccess:
    """A code and PIN to store for a case, or for an invoice that has none yet (hashes
    only; `case_id` or `invoice_id`, never both)."""

    case_id: int | None
    letter_id: int | None
    code_hash: str
    pin_salt: str
    pin_hash: str
    issued_at: datetime
    pin_to_print: str | None = None  # a letter's: kept until the letter is sent
    code_to_print: str | None = None  # likewise the whole code (the content has its end)
    invoice_id: int | None = None  # an invoice's code (agreement `invoice_debtor_access`)


@dataclass(frozen=True, slots=True)
class StoredAccess:
    """A stored code, as a sign-in reads it: its case, whether that case is open, and
    whether a newer code of the case replaced it. An invoice's code (`invoice_id`) leads
    to the invoice's case once it has one (`case_id`; None before: `case_open` then says
    whether the invoice is still open); an invoice has one code (migration 0028)."""

    id: int
    company_id: int
    case_id: int | None
    pin_salt: str
    pin_hash: str
    failed_attempts: int
    locked_until: datetime | None
    case_open: bool
    superseded_at: datetime | None  # when the case's next code was issued (None: newest)
    wrong_total: int = 0  # every wrong PIN the code ever had
    case_wrong_total: int = 0  # those of the case's codes still alive (below `dead_at`)
    invoice_id: int | None = None  # the invoice an invoice's code was printed on

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True, slots=True)
class OpenDebtorSession:
    """A debtor's open session: its company and case, the customer's language, when it
    started and was last used. A session of an invoice's code is its invoice's case's once
    the invoice has one; before, it has no case (`case_id` and `case_number` None) and
    names the invoice (`invoice_number`)."""

    company_id: int
    case_id: int | None
    case_number: int | None
    language: str
    created_at: datetime
    seen_at: datetime
    invoice_number: int | None = None


class DebtorAccessRepository(Protocol):
    """The scope's company's access codes."""

    def add(self, access: NewAccess) -> bool:
        """Store the code; False (nothing stored) if its hash is taken already; NotFound
        if the company has no case `access.case_id`."""
        ...

    def add_for_letters(self, accesses: Sequence[NewAccess]) -> None:
        """Store the codes of a day's letters in one statement (each stored letter's, of
        the company's cases only). Their hashes are new: 60 random bits do not clash (if
        one ever did, the statement fails and the day's transaction with it)."""
        ...

    def forget_pins(self, letter_ids: Sequence[int]) -> None:
        """The PINs of the sent letters are no longer kept in clear."""
        ...

    def add_for_invoices(self, accesses: Sequence[NewAccess]) -> list[int]:
        """Store the codes of invoices (each `invoice_id` set) of the company that have
        none yet; the invoices given a code (an invoice keeps its first)."""
        ...

    def invoice_prints(self, invoice_ids: Sequence[int]) -> dict[int, LetterAccess]:
        """What each of the invoices that has a code prints: the code and PIN while they
        are kept to print (until the invoice is sent), else the code masked and no PIN;
        the address left "" (the renderer's)."""
        ...

    def forget_invoice_pins(self, invoice_ids: Sequence[int]) -> None:
        """The PINs of the sent invoices are no longer kept in clear."""
        ...


class DebtorAccessLookup(Protocol):
    """Every company's codes and debtor sessions (the global role), and the tries per
    client address."""

    def by_code(
        self, code_hash: str, *, lock: bool = False, dead_at: int = 15
    ) -> StoredAccess | None: ...
    def record_failure(self, access_id: int, failures: int, locked_until: datetime | None) -> None:
        """Also adds one to the code's `wrong_total`."""

    def end_case_codes(
        self, case_id: int | None, company_id: int, dead_at: int, invoice_id: int | None = None
    ) -> None:
        """Every code of the case dead (`wrong_total` at least `dead_at`); given
        `invoice_id`, every code of that invoice instead."""

    def forget_old(self, issued_before: datetime, tries_before: datetime) -> int:
        """Every company's: the PINs and whole codes kept to print of codes issued before
        `issued_before` or of closed cases (an invoice's code: of an invoice paid or
        credited, or whose case closed), whatever their letter's or invoice's delivery did,
        and the address counts whose window started before `tries_before`; how many rows."""

    def record_success(self, access_id: int) -> None: ...
    def address_tries(
        self, address_hash: str, *, lock: bool = False
    ) -> tuple[int, datetime | None]:
        """Wrong tries from the address and when their window started (0, None: none)."""
        ...

    def count_address_failure(self, address_hash: str, now: datetime, window: timedelta) -> None:
        """One more wrong try from the address: its count goes up, or starts again at 1
        (its window at `now`) when its window of `window` has ended."""
        ...

    def start_session(
        self, access: StoredAccess, token_hash: str, at: datetime, expires: datetime
    ) -> None: ...
    def open_session(self, token_hash: str, now: datetime) -> OpenDebtorSession | None:
        """The session if it is open at `now` and its case is not closed."""
        ...

    def touch_session(self, token_hash: str, seen: datetime, expires: datetime) -> None: ...
    def end_session(self, token_hash: str, at: datetime) -> bool: ...
