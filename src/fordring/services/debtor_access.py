"""The debtor's way in (issue 19, docs/debtor_page.md): a case's new access code and PIN
(for a letter, or given by hand), a debtor's sign-in with them (wrong tries limited per
code and per client address, the same answer and the same work for every refusal), the
session it opens (short, ended when the case closes) and signing out.

A debtor is no user: these run outside any company's scope (the code, or the session's
token, finds the company and the case), each statement naming its rows by the hash.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from fordring.domain.collection.letters import LetterAccess
from fordring.domain.collection.states import CaseState
from fordring.domain.debtor_access import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_RULES,
    PIN_LENGTH,
    AccessRules,
    address_key,
    after_failure,
    code_hash,
    masked_code,
    normal_code,
    pin_hash,
    pin_matches,
    session_ends_at,
    superseded_long_ago,
)
from fordring.domain.errors import Conflict, NotFound
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.debtor_access import NewAccess, OpenDebtorSession, StoredAccess
from fordring.services.ports.unit_of_work import UnitOfWork
from fordring.services.scope import Scope

_TRIES = 5  # codes drawn before giving up (a clash of 60 random bits never happens)
# Compared against when the code is unknown: the same hashing as a wrong PIN
_NO_SALT = "0" * 32
_NO_HASH = "0" * 64  # no PIN's HMAC: hashing any typed PIN under the dummy salt misses it
_TOUCH_AFTER = 60  # seconds: a session's last use is written at most once a minute


class DebtorSignInRefused(Exception):
    """An unknown code, a wrong PIN, a locked code, an address over its limit, an expired
    code or a closed case: never said which."""


@dataclass(frozen=True, slots=True)
class IssuedAccess:
    """A code and PIN as they are printed (the only time the PIN is known in clear)."""

    code: str
    pin: str


@dataclass(frozen=True, slots=True)
class DebtorSignedIn:
    """A debtor's sign-in that succeeded: the session's token (the cookie; only its hash
    is stored) and the session."""

    token: str
    session: OpenDebtorSession


def _new_code() -> str:
    # one draw of 60 random bits, 5 a character (the alphabet has 32): every code equally
    # likely, as a character at a time drawn was, at a twentieth of the cost (one read of
    # the system's random source instead of twelve: the run draws one a letter)
    bits = secrets.randbits(5 * CODE_LENGTH)
    return "".join(CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def _new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_LENGTH):0{PIN_LENGTH}d}"  # uniform, one draw


def issue_access(
    uow: UnitOfWork,
    case_id: int,
    letter_id: int | None,
    now: datetime,
    pin_key: bytes,
) -> IssuedAccess:
    """A new code and PIN for the case `case_id` of the unit of work's company, stored
    (hashed) in its transaction, outside a letter (a letter's: `letter_access`). Earlier
    codes go on working for `AccessRules.superseded_valid`, or until the case closes.
    NotFound if the company has no such case."""
    for _ in range(_TRIES):
        code, pin, salt = _new_code(), _new_pin(), secrets.token_hex(16)
        access = NewAccess(
            case_id=case_id,
            letter_id=letter_id,
            code_hash=code_hash(code),
            pin_salt=salt,
            pin_hash=pin_hash(pin_key, salt, pin),
            issued_at=now,
        )
        if uow.debtor_access.add(access):
            return IssuedAccess(code, pin)
    raise Conflict("no free access code was found; try again")


def letter_access(
    case_id: int, letter_id: int, day: date, pin_key: bytes
) -> tuple[NewAccess, LetterAccess]:
    """A new code and PIN for the letter `letter_id` of the day `day`: what to store (the
    hashes, and the PIN in clear until the letter is sent) and what the letter prints (the
    page's address is the installation's, filled in when the letter is rendered); the
    PIN kept under `pin_key` (the installation's, `Application.debtor_pin_key`)."""
    code, pin, salt = _new_code(), _new_pin(), secrets.token_hex(16)
    issued = datetime.combine(day, time(), tzinfo=UTC)
    access = NewAccess(
        case_id=case_id,
        letter_id=letter_id,
        code_hash=code_hash(code),
        pin_salt=salt,
        pin_hash=pin_hash(pin_key, salt, pin),
        issued_at=issued,
        pin_to_print=pin,
        code_to_print=code,
    )
    return access, LetterAccess("", masked_code(code), pin)


def invoice_access(invoice_id: int, day: date, pin_key: bytes) -> NewAccess:
    """A new code and PIN for the invoice `invoice_id`, sent on the day `day` (agreement
    setting `invoice_debtor_access`, decision 0016): stored with the invoice's dispatch,
    the code and PIN kept to print until the invoice is sent. The code leads to the
    invoice's case once it has one, to the invoice before."""
    code, pin, salt = _new_code(), _new_pin(), secrets.token_hex(16)
    return NewAccess(
        case_id=None,
        letter_id=None,
        code_hash=code_hash(code),
        pin_salt=salt,
        pin_hash=pin_hash(pin_key, salt, pin),
        issued_at=datetime.combine(day, time(), tzinfo=UTC),
        pin_to_print=pin,
        code_to_print=code,
        invoice_id=invoice_id,
    )


def issue_invoice_access(
    uow: UnitOfWork, invoice_ids: Sequence[int], day: date, pin_key: bytes
) -> list[int]:
    """Codes and PINs for the invoices `invoice_ids` queued for sending on `day` (the
    agreement says so: the caller asks it), stored in the unit of work's transaction; an
    invoice that has a code keeps it. The invoices given one."""
    if not invoice_ids:
        return []
    return uow.debtor_access.add_for_invoices(
        [invoice_access(i, day, pin_key) for i in invoice_ids]
    )


def give_access(
    case_number: int,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    pin_key: bytes,
) -> IssuedAccess:
    """A new code and PIN for the open case `case_number` outside a letter (a handler
    gives it on the phone, tests sign in with it). NotFound if the company has no such
    case; Conflict if it is closed."""
    with uow_factory(scope) as uow:
        found = uow.collection.status(case_number)
        if found is None:
            raise NotFound("case", case_number)
        case_id, status = found
        if status.state is CaseState.CLOSED:
            raise Conflict(f"case {case_number} is closed")
        issued = issue_access(uow, case_id, None, now, pin_key)
        uow.commit()
    return issued


def _address_hash(address: str) -> str:
    key = address_key(address)
    return hashlib.sha256(b"fordring debtor address\0" + key.encode()).hexdigest()


def _usable(access: StoredAccess | None, now: datetime, rules: AccessRules) -> bool:
    return (
        access is not None
        and access.case_open
        and access.wrong_total < rules.code_dead_at
        and access.case_wrong_total < rules.case_dead_at
        and not superseded_long_ago(access.superseded_at, now, rules)
        and not access.locked_at(now)
    )


def sign_in_debtor(
    code: str,
    pin: str,
    address: str,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    pin_key: bytes,
    rules: AccessRules = DEFAULT_RULES,
) -> DebtorSignedIn:
    """A new session of the case whose code is `code`, if `pin` is its PIN and the code is
    not refused (`max_failures` wrong PINs in a row lock it for `lockout`; `code_dead_at`
    wrong PINs in its life, or `case_dead_at` over the case's live codes, end it for
    good). The client address `address`'s wrong tries are counted, but refuse no right
    PIN (behind a proxy every debtor has the same).
    DebtorSignInRefused otherwise, for every reason alike; a wrong try is counted (for
    the code, if there is one, and the address) and committed before it is raised. The
    PIN is checked under `pin_key`, the installation's (`Application.debtor_pin_key`).

    One transaction: the code's and the address's rows are locked (PostgreSQL; SQLite's
    writers take turns) and the address's count is added to in one statement, so tries
    sent at once each count. The PIN is hashed and compared
    the same way whether the code exists or not."""
    wanted = code_hash(normal_code(code))
    where_from = _address_hash(address)
    with uow_factory.unscoped() as outer:
        lookup = outer.debtor_access
        # always the code's row first, then the address's: two sign-ins never wait for
        # each other's row the other way round (a deadlock)
        access = lookup.by_code(wanted, lock=True, dead_at=rules.code_dead_at)
        # the address's count is kept (and its row locked in this order) but refuses no
        # right PIN: behind a proxy many debtors share one; the code's limits guard it
        lookup.address_tries(where_from, lock=True)
        usable = _usable(access, now, rules)
        salt, stored = (access.pin_salt, access.pin_hash) if access else (_NO_SALT, _NO_HASH)
        # a right PIN is not refused for its address alone: the code's own limits guard it
        right = pin_matches(pin_key, salt, stored, pin) and usable
        if not right or access is None:
            if access is not None and usable:  # a wrong PIN the code could have told
                counted, locked = after_failure(access.failed_attempts, now, rules)
                lookup.record_failure(access.id, counted, locked)
                if access.case_wrong_total + 1 >= rules.case_dead_at:
                    lookup.end_case_codes(
                        access.case_id, access.company_id, rules.code_dead_at, access.invoice_id
                    )
            lookup.count_address_failure(where_from, now, rules.address_window)
            outer.commit()
            raise DebtorSignInRefused("wrong code or PIN")
        lookup.record_success(access.id)
        token = secrets.token_urlsafe(32)
        lookup.start_session(access, _token_hash(token), now, session_ends_at(now, now, rules))
        session = lookup.open_session(_token_hash(token), now)
        outer.commit()
    assert session is not None
    return DebtorSignedIn(token, session)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def debtor_session(
    token: str, uow_factory: UnitOfWorkFactory, now: datetime, rules: AccessRules = DEFAULT_RULES
) -> OpenDebtorSession | None:
    """The debtor's session `token` if it is open at `now` (None: signed out, idle or
    older than the rules allow, unknown, or its case closed); its idle time starts again
    (written at most once a minute)."""
    if not token or len(token) > 100:
        return None
    hashed = _token_hash(token)
    with uow_factory.unscoped() as outer:
        session = outer.debtor_access.open_session(hashed, now)
        if session is None:
            return None
        if (now - session.seen_at).total_seconds() >= _TOUCH_AFTER:
            ends = session_ends_at(session.created_at, now, rules)
            outer.debtor_access.touch_session(hashed, now, ends)
            outer.commit()
    return session


def sign_out_debtor(token: str, uow_factory: UnitOfWorkFactory, now: datetime) -> None:
    """End the debtor's session `token` (nothing if it is not open)."""
    if not token or len(token) > 100:
        return
    with uow_factory.unscoped() as outer:
        if outer.debtor_access.end_session(_token_hash(token), now):
            outer.commit()


def forget_old_access(
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    rules: AccessRules = DEFAULT_RULES,
    *,
    day: date | None = None,
) -> int:
    """The daily tidying (every company's; the run's, and on PostgreSQL the workers'
    `forget_old_debtor_access`): a letter's PIN and whole code kept to print are forgotten
    once the case closed or `rules.print_within` after the letter, whether it was sent or
    not (it is printed again masked); an invoice's likewise, and once the invoice is paid
    or credited or its case closed, and the client addresses' counts whose window ended
    a day ago; how many rows. A letter is issued on its business day (`letter_access`), so
    the days are counted from `day` when given (the run's business day: a run of an
    earlier day must not forget the PINs of the letters it is about to send), else from
    `now`; the addresses' windows are the clock's."""
    since = datetime.combine(day, time(), tzinfo=UTC) if day is not None else now
    with uow_factory.unscoped() as outer:
        done = outer.debtor_access.forget_old(
            since - rules.print_within, now - rules.address_window - timedelta(days=1)
        )
        outer.commit()
    return done
