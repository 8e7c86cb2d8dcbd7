"""The portal's users (SPEC I3, issue 18): a person of one company with one of the API
keys' roles, signed in with a password; the rules for a user's fields and password, for
locking a user out after repeated failures, and for how long a session lasts."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fordring.domain.api_access import Role
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import EMAIL_LENGTH, NAME_LENGTH, text_problems

# A person is an administrator, a finance user or read-only: the API user role is an
# accounting system's, not a person's.
USER_ROLES = (Role.ADMINISTRATOR, Role.FINANCE_USER, Role.READ_ONLY)

PASSWORD_MIN = 10  # characters (NIST SP 800-63B asks at least 8)
PASSWORD_MAX = 200  # more is no password a person types; argon2 would hash it all

MAX_FAILURES = 5  # wrong passwords in a row ...
LOCKOUT = timedelta(minutes=15)  # ... lock the user out this long
SESSION_LIFETIME = timedelta(hours=8)  # a working day; then sign in again

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class User:
    """A stored user: never the password, only its argon2id hash."""

    id: int | None
    email: str  # signs in with it; unique within the company
    name: str
    role: Role
    password_hash: str
    created_on: date
    failed_attempts: int = 0
    locked_until: datetime | None = None
    disabled_on: date | None = None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def normal_email(text: str) -> str:
    """The sign-in name as stored and looked up: trimmed, lower case."""
    return text.strip().lower()


def user_problems(email: str, name: str, role: str) -> list[Problem]:
    """Everything wrong with a new user's e-mail, name and role, each naming its field."""
    problems = text_problems(email, "email", EMAIL_LENGTH)
    if not problems and not _EMAIL.fullmatch(email.strip()):
        problems.append(Problem("email", f"{email!r} is not an e-mail address"))
    if not name.strip():
        problems.append(Problem("name", "give the user's name", code="required"))
    problems += text_problems(name, "name", NAME_LENGTH)
    if role not in {r.value for r in USER_ROLES}:
        roles = ", ".join(r.value for r in USER_ROLES)
        problems.append(Problem("role", f"{role!r} is not a user's role ({roles})"))
    return problems


def check_password(password: str) -> None:
    """InvalidInput naming `password` unless it is long enough and no longer than a
    person types; any characters are allowed (control characters are not)."""
    if len(password) < PASSWORD_MIN:
        reason = f"use at least {PASSWORD_MIN} characters"
        raise InvalidInput.one("password", reason, code="too_short")
    if len(password) > PASSWORD_MAX:
        reason = f"use at most {PASSWORD_MAX} characters"
        raise InvalidInput.one("password", reason, code="too_long")
    problems = text_problems(password, "password", PASSWORD_MAX)
    if problems:
        raise InvalidInput(problems)


def after_failure(failed_attempts: int, now: datetime) -> tuple[int, datetime | None]:
    """(failures counted, locked until) after one more wrong password: the MAX_FAILURES-th
    in a row locks the user out for LOCKOUT and starts the count again."""
    failures = failed_attempts + 1
    if failures >= MAX_FAILURES:
        return 0, now + LOCKOUT
    return failures, None


def token_hash(token: str) -> str:
    """What is stored of a session token: its SHA-256, hex. The token is 32 random bytes,
    so a fast hash is enough: nobody can guess one to hash it."""
    return hashlib.sha256(token.encode()).hexdigest()
