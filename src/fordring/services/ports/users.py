"""What the portal's users and sign-in need from storage and the outside: the company's
users and their sessions, the global lookup of a session by its token's hash, and the
password hasher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from fordring.domain.api_access import Role
from fordring.domain.users import User


class UserRepository(Protocol):
    """The scope's company's users and their sessions."""

    def add(self, user: User) -> User:
        """Store a new user; Conflict if the company has a user of that e-mail."""
        ...

    def by_email(self, email: str, *, lock: bool = False) -> User | None:
        """The user of `email` (normalised); `lock`: and its row locked until the
        transaction ends (a sign-in's count of wrong passwords is read to be written)."""
        ...

    def all(self) -> list[User]: ...
    def disable(self, email: str, on: date) -> bool:
        """Disable the user; False if the company has no such user enabled."""
        ...

    def enable(self, user_id: int) -> None:
        """The user is enabled again, its lockout and count of wrong passwords forgotten."""
        ...

    def set_password(self, user_id: int, password_hash: str) -> None:
        """A new password's hash; the lockout and count of wrong passwords forgotten."""
        ...

    def record_failure(
        self, user_id: int, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        """The count of wrong passwords in a row and the lockout (None: not locked)."""
        ...

    def record_success(self, user_id: int, password_hash: str | None) -> None:
        """A sign-in: failures forgotten; a new hash of the same password when the old
        one's parameters are outdated."""
        ...

    def start_session(
        self, user_id: int, token_hash: str, at: datetime, expires: datetime
    ) -> None: ...
    def forget_closed_sessions(self, user_id: int, now: datetime) -> int:
        """Delete the user's sessions that ended or expired before `now`; how many."""
        ...

    def end_sessions(self, user_id: int, at: datetime, *, keep: str | None = None) -> int:
        """End every open session of the user but the one whose token's hash is `keep`;
        how many."""
        ...


@dataclass(frozen=True, slots=True)
class SessionUser:
    """Who an open session is: the user and the company it signed in to."""

    company_id: int
    company_name: str
    orgnr: str
    user_id: int
    email: str
    name: str
    role: Role
    expires_at: datetime


class SessionLookup(Protocol):
    """Every company's sessions by their token's hash: the unscoped unit of work finds the
    user of a request with it (entrypoints/web)."""

    def open_session(self, token_hash: str, now: datetime) -> SessionUser | None:
        """The user of the session, if it is open at `now` (not ended, not expired) and the
        user is enabled."""
        ...

    def end_session(self, token_hash: str, at: datetime) -> bool: ...


class PasswordHasher(Protocol):
    """Hashes passwords (argon2id) and checks a password against a stored hash."""

    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...
