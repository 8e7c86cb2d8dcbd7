"""The portal's users (SPEC I3): added with a role and a password, listed, disabled; and
enabled again, their names and roles shown to colleagues; signing in (a session of
SESSION_LIFETIME, stored as its token's hash, lockout after MAX_FAILURES wrong passwords),
finding the user of a session, changing one's own password, signing out."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from fordring.domain.api_access import Permission, Role
from fordring.domain.company import Company
from fordring.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from fordring.domain.users import (
    SESSION_LIFETIME,
    User,
    after_failure,
    check_password,
    normal_email,
    token_hash,
    user_problems,
)
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.users import PasswordHasher, SessionUser
from fordring.services.scope import Actor, ActorKind, Scope, require


class SignInRefused(Exception):
    """No such company or user, a wrong password, or a disabled user: never said which."""


class LockedOut(SignInRefused):
    """Too many wrong passwords in a row: no sign-in until `until`, even with the right one.
    A SignInRefused, and the portal answers both alike: the lockout must not tell who
    exists (only an existing enabled user can be locked)."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(f"locked until {until.isoformat()}")


@dataclass(frozen=True, slots=True)
class NewUser:
    """A user to add, as typed (add_user checks and normalises it): `role` one of
    USER_ROLES' values, `password` the first password (only its hash is stored)."""

    email: str
    name: str
    role: str
    password: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A sign-in that succeeded: the new session's token, for the browser's cookie, and
    who signed in (its company, its role, when the session expires)."""

    token: str  # the session cookie's value: only its hash is stored
    user: SessionUser


def actor_of(user: SessionUser) -> Actor:
    """The actor a signed-in user's requests act as: its e-mail and role."""
    return Actor(ActorKind.USER, user.email, user.role.value)


def _may_manage_users(scope: Scope) -> None:
    """Forbidden unless the actor is the command line or may manage users (a user or key
    acts by its role: only an administrator's)."""
    require(scope, Permission.MANAGE_USERS)


def add_user(
    cmd: NewUser, scope: Scope, uow_factory: UnitOfWorkFactory, hasher: PasswordHasher
) -> User:
    """A new user of the scope's company; InvalidInput naming every bad field, Conflict
    if the company has a user of that e-mail, Forbidden if the actor may not add one."""
    _may_manage_users(scope)
    problems = user_problems(cmd.email, cmd.name, cmd.role)
    if problems:
        raise InvalidInput(problems)
    check_password(cmd.password)
    user = User(
        id=None,
        email=normal_email(cmd.email),
        name=cmd.name.strip(),
        role=Role(cmd.role),
        password_hash=hasher.hash(cmd.password),
        created_on=scope.business_date,
    )
    with uow_factory(scope) as uow:
        stored = uow.users.add(user)
        uow.commit()
    return stored


def list_users(scope: Scope, uow_factory: UnitOfWorkFactory) -> list[User]:
    """Every user of the company with its e-mail, status and lockout: an administrator's
    (Forbidden for a user or key of another role; `list_colleagues` is everyone's)."""
    _may_manage_users(scope)
    with uow_factory(scope) as uow:
        return uow.users.all()


@dataclass(frozen=True, slots=True)
class Colleague:
    """What every signed-in user sees of the company's other users: who they are and
    their role (whom to ask for a new user or an unlock), not their e-mail or status."""

    name: str
    role: Role


def list_colleagues(scope: Scope, uow_factory: UnitOfWorkFactory) -> list[Colleague]:
    """The company's enabled users, names and roles only (any role may read them)."""
    with uow_factory(scope) as uow:
        return [Colleague(u.name, u.role) for u in uow.users.all() if u.disabled_on is None]


def disable_user(email: str, scope: Scope, uow_factory: UnitOfWorkFactory, now: datetime) -> None:
    """The user can no longer sign in, and its open sessions end now. Forbidden if the
    actor may not; Conflict if a user would disable itself (the last administrator could
    lock everyone out of the portal)."""
    _may_manage_users(scope)
    with uow_factory(scope) as uow:
        found = uow.users.by_email(normal_email(email))
        if found is None or found.disabled_on is not None or found.id is None:
            raise NotFound("user", email)
        if scope.actor.kind is ActorKind.USER and scope.actor.name == found.email:
            raise Conflict("a user cannot disable itself")
        uow.users.disable(found.email, scope.business_date)
        uow.users.end_sessions(found.id, now)
        uow.commit()


def unlock_user(email: str, scope: Scope, uow_factory: UnitOfWorkFactory) -> bool:
    """The user may sign in again at once: its lockout ends and its count of wrong
    passwords starts again; whether it was locked out. NotFound if the company has no such
    user; Forbidden if the actor may not manage users."""
    _may_manage_users(scope)
    with uow_factory(scope) as uow:
        found = uow.users.by_email(normal_email(email), lock=True)
        if found is None or found.id is None:
            raise NotFound("user", email)
        uow.users.record_failure(found.id, 0, None)
        uow.commit()
    return found.locked_until is not None


def enable_user(email: str, scope: Scope, uow_factory: UnitOfWorkFactory) -> bool:
    """A disabled user may sign in again (with its old password; its lockout and count of
    wrong passwords forgotten); whether it was disabled (enabling an enabled user changes
    nothing). NotFound if the company has no such user; Forbidden if the actor may not
    manage users."""
    _may_manage_users(scope)
    with uow_factory(scope) as uow:
        found = uow.users.by_email(normal_email(email), lock=True)
        if found is None or found.id is None:
            raise NotFound("user", email)
        if found.disabled_on is None:
            return False
        uow.users.enable(found.id)
        uow.commit()
    return True


@dataclass(frozen=True, slots=True)
class PasswordChange:
    """A signed-in user's new password, as typed: the current one, the new one twice."""

    current: str
    new: str
    repeated: str


_LOCKED = Problem("current_password", "too many wrong passwords: try again later", code="locked")


def change_password(
    cmd: PasswordChange,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    hasher: PasswordHasher,
    now: datetime,
) -> str:
    """The scope's user (a signed-in user: the actor) gets a new password, if `current` is
    its password; every session of it ends (those of a browser that may know the old one,
    and the one it changed the password in: a token someone else may hold no longer opens
    anything), and a new session starts in the same transaction: its token is returned
    (the browser's new cookie). InvalidInput naming the field:
    `current_password` wrong (it counts towards the lockout, as a wrong sign-in does) or
    the user locked out (refused before any check, even with the right password; the
    lock is left as it is),
    `new_password` not a password fordring takes, `repeated_password` not the same.

    As a sign-in, the hashes are made between two transactions (no lock is held for
    them); the second decides on the row it locks, so a password changed meanwhile
    refuses this change. Both run outside the company's scope, each statement filtered by
    the company (as sign_in's), so a change never waits for the company's run lock."""
    actor = scope.actor
    if actor.kind is not ActorKind.USER:
        raise Forbidden("only a signed-in user changes its own password")
    with uow_factory.unscoped() as outer:
        read = outer.users_signing_in(scope.company_id).by_email(normal_email(actor.name))
    if read is None or read.id is None or read.disabled_on is not None:
        raise NotFound("user", actor.name)
    if read.locked_at(now):
        hasher.hash(cmd.current)  # as long as any other refusal: the time tells nothing
        raise InvalidInput([_LOCKED])
    problems = []
    try:
        check_password(cmd.new)
    except InvalidInput as invalid:
        problems = [replace(p, field="new_password") for p in invalid.problems]
    if not problems and cmd.repeated != cmd.new:
        problems.append(Problem("repeated_password", "not the new password again", code="mismatch"))
    right = hasher.verify(read.password_hash, cmd.current)
    new_hash = hasher.hash(cmd.new) if right and not problems else None
    with uow_factory.unscoped() as outer:
        # outside the company's scope (filtered by company_id), as a sign-in: it never
        # waits for the company's run lock (a run's day on PostgreSQL)
        users = outer.users_signing_in(scope.company_id)
        user = users.by_email(read.email, lock=True)
        if user is None or user.id is None or user.password_hash != read.password_hash:
            right = False  # changed meanwhile: the password checked is no longer its
        if user is not None and user.locked_at(now):
            raise InvalidInput([_LOCKED])  # locked meanwhile: the lock stays as it is
        if not right and user is not None and user.id is not None:
            failures, locked = after_failure(user.failed_attempts, now)
            users.record_failure(user.id, failures, locked)
            outer.commit()
        if not right:
            wrong = Problem("current_password", "not your password", code="wrong")
            raise InvalidInput([wrong, *problems])
        if problems or new_hash is None or user is None or user.id is None:
            raise InvalidInput(problems)
        users.set_password(user.id, new_hash)
        users.end_sessions(user.id, now)
        users.forget_closed_sessions(user.id, now)
        token = secrets.token_urlsafe(32)
        users.start_session(user.id, token_hash(token), now, now + SESSION_LIFETIME)
        outer.commit()
    return token


_REFUSED = "wrong company, e-mail or password"


def _read_user(
    orgnr: str, email: str, uow_factory: UnitOfWorkFactory
) -> tuple[Company, User] | None:
    """The company `orgnr` and its user `email`, if both are there (read only)."""
    with uow_factory.unscoped() as outer:
        company = outer.companies.by_orgnr(orgnr.strip().replace(" ", ""))
        if company is None or company.id is None:
            return None
        user = outer.users_signing_in(company.id).by_email(normal_email(email))
    return None if user is None else (company, user)


def sign_in(
    orgnr: str,
    email: str,
    password: str,
    uow_factory: UnitOfWorkFactory,
    hasher: PasswordHasher,
    now: datetime,
) -> SignedIn:
    """A new session of the company `orgnr`'s user `email` if `password` is its password.
    SignInRefused otherwise (a wrong password counts towards the lockout); LockedOut while
    the user is locked out. The failure is committed before either is raised.

    The password is checked between two transactions, so no lock is held for the hash's
    tenth of a second (on SQLite every writer would wait for it); the second transaction
    locks the user's row and decides on what it reads then, so wrong passwords sent at
    once each count, and a sign-in that raced a lockout or a new password is refused.
    Both run outside the company's scope, each statement filtered by the company (as the
    session lookup), so a sign-in never waits for the company's run lock (on PostgreSQL a
    run's day holds it alone: a sign-in in scope would wait for the whole day)."""
    found = _read_user(orgnr, email, uow_factory)
    if found is None or found[1].disabled_on is not None:
        hasher.hash(password)  # as long as checking one: the answer's time tells nothing
        raise SignInRefused(_REFUSED)
    company, read = found
    if read.locked_until is not None and read.locked_at(now):
        hasher.hash(password)  # as long as any other refusal: the time tells nothing
        raise LockedOut(read.locked_until)
    right = hasher.verify(read.password_hash, password)
    rehashed = hasher.hash(password) if right and hasher.needs_rehash(read.password_hash) else None
    assert company.id is not None
    with uow_factory.unscoped() as outer:
        # outside the company's scope (filtered by company_id): it never waits for a run's day
        users = outer.users_signing_in(company.id)
        # locked (PostgreSQL; SQLite's write transactions take turns anyway)
        user = users.by_email(read.email, lock=True)
        if user is None or user.id is None or user.disabled_on is not None:
            raise SignInRefused(_REFUSED)
        if user.locked_until is not None and user.locked_at(now):
            raise LockedOut(user.locked_until)
        if not right or user.password_hash != read.password_hash:
            failures, locked = after_failure(user.failed_attempts, now)
            users.record_failure(user.id, failures, locked)
            outer.commit()
            if locked is not None:
                raise LockedOut(locked)
            raise SignInRefused(_REFUSED)
        users.record_success(user.id, rehashed)
        # a user's sessions that ended are forgotten at its next sign-in: they open
        # nothing, and the table then holds about one row per user
        users.forget_closed_sessions(user.id, now)
        token = secrets.token_urlsafe(32)
        expires = now + SESSION_LIFETIME
        users.start_session(user.id, token_hash(token), now, expires)
        outer.commit()
    signed = SessionUser(
        company.id, company.name, company.orgnr, user.id, user.email, user.name, user.role, expires
    )
    return SignedIn(token, signed)


def session_user(token: str, uow_factory: UnitOfWorkFactory, now: datetime) -> SessionUser | None:
    """The user of the session `token` if it is open at `now` (None: signed out, expired,
    unknown, or the user disabled)."""
    if not token or len(token) > 100:
        return None
    with uow_factory.unscoped() as uow:
        return uow.user_sessions.open_session(token_hash(token), now)


def sign_out(token: str, uow_factory: UnitOfWorkFactory, now: datetime) -> None:
    """End the session `token` (nothing if it is not open)."""
    if not token or len(token) > 100:
        return
    with uow_factory.unscoped() as uow:
        if uow.user_sessions.end_session(token_hash(token), now):
            uow.commit()
