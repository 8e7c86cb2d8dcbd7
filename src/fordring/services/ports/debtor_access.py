"""What the debtor's way in needs from storage (docs/debtor_page.md): the company's side
(a case's new access code and PIN, as hashes) and the global side a sign-in and a
request's session lookup use before any company is known (by the code's or the token's
hash), with the wrong tries per code and per client address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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
    expires_on: date


@dataclass(frozen=True, slots=True)
class StoredAccess:
    """A stored code, as a sign-in reads it: its case and whether that case is open."""

    id: int
    company_id: int
    case_id: int
    pin_salt: str
    pin_hash: str
    expires_on: date
    failed_attempts: int
    locked_until: datetime | None
    case_open: bool

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
