"""What the debtor's way in needs from storage (docs/debtor_page.md): the company's side
(a case's new access code and PIN, as hashes) and the global side a sign-in and a
request's session lookup use before any company is known (by the code's or the token's
hash), with the wrong tries per code and per client address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class NewAccess:
    """A code and PIN to store for a case (hashes only)."""

    case_id: int
    letter_id: int | None
    code_hash: str
    pin_salt: str
    pin_hash: str
    issued_at: datetime
    pin_to_print: str | None = None  # a letter's: kept until the letter is sent


@dataclass(frozen=True, slots=True)
class StoredAccess:
    """A stored code, as a sign-in reads it: its case, whether that case is open, and
    whether a newer code of the case replaced it."""

    id: int
    company_id: int
    case_id: int
    pin_salt: str
    pin_hash: str
    failed_attempts: int
    locked_until: datetime | None
    case_open: bool
    superseded_at: datetime | None  # when the case's next code was issued (None: newest)

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True, slots=True)
class OpenDebtorSession:
    """A debtor's open session: its company and case, the customer's language, when it
    started and was last used."""

    company_id: int
    case_id: int
    case_number: int
    language: str
    created_at: datetime
    seen_at: datetime


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


class DebtorAccessLookup(Protocol):
    """Every company's codes and debtor sessions (the global role), and the tries per
    client address."""

    def by_code(self, code_hash: str, *, lock: bool = False) -> StoredAccess | None: ...
    def record_failure(
        self, access_id: int, failures: int, locked_until: datetime | None
    ) -> None: ...

    def record_success(self, access_id: int) -> None: ...
    def address_tries(
        self, address_hash: str, *, lock: bool = False
    ) -> tuple[int, datetime | None]:
        """Wrong tries from the address and when their window started (0, None: none)."""
        ...

    def record_address_failure(self, address_hash: str, failures: int, since: datetime) -> None: ...

    def start_session(
        self, access: StoredAccess, token_hash: str, at: datetime, expires: datetime
    ) -> None: ...
    def open_session(self, token_hash: str, now: datetime) -> OpenDebtorSession | None:
        """The session if it is open at `now` and its case is not closed."""
        ...

    def touch_session(self, token_hash: str, seen: datetime, expires: datetime) -> None: ...
    def end_session(self, token_hash: str, at: datetime) -> bool: ...
