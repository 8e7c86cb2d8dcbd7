"""The portal's users and sign-in (services/users.py) on the test's database: a wrong
password, the lockout, expiry, a disabled user, another company's user, sign-out, and what
is stored (an argon2id hash, never the password; a hash of the session token, never the
token)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from tests import builders
from tests.conftest import BACKEND
from tests.crash import table_rows
from tests.races import race
from tests.sql import connection

from fordring.adapters.db.run_lock import lock_for_run
from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.domain.api_access import Role
from fordring.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from fordring.domain.users import LOCKOUT, MAX_FAILURES, SESSION_LIFETIME, User, token_hash
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Actor, ActorKind, Scope
from fordring.services.users import (
    Colleague,
    LockedOut,
    NewUser,
    PasswordChange,
    SignInRefused,
    add_user,
    change_password,
    disable_user,
    enable_user,
    list_colleagues,
    list_users,
    session_user,
    sign_in,
    sign_out,
    unlock_user,
)

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "riktig-passord-42"
FAST = Argon2PasswordHasher(time_cost=1, memory_cost=1024)  # the same algorithm, less work


@pytest.fixture
def factory(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    add_user(
        NewUser("kari@test.no", "Kari Nordmann", "finance_user", PASSWORD),
        builders.scope(uow_factory),
        uow_factory,
        FAST,
    )
    return uow_factory


def _sign_in(factory: UnitOfWorkFactory, password: str = PASSWORD, now: datetime = NOW) -> str:
    return sign_in(builders.ORGNR, "Kari@Test.no ", password, factory, FAST, now).token


def test_the_right_password_opens_a_session_of_the_company_and_user(
    factory: UnitOfWorkFactory,
) -> None:
    done = sign_in(builders.ORGNR, "kari@test.no", PASSWORD, factory, FAST, NOW)
    user = session_user(done.token, factory, NOW + timedelta(minutes=5))
    assert user is not None
    assert (user.company_name, user.orgnr, user.email, user.name, user.role) == (
        "Test AS",
        builders.ORGNR,
        "kari@test.no",
        "Kari Nordmann",
        Role.FINANCE_USER,
    )
    assert user.expires_at == NOW + SESSION_LIFETIME
    assert user.company_id == builders.scope(factory).company_id


def test_a_wrong_password_is_refused_and_opens_no_session(
    factory: UnitOfWorkFactory, database_url: str
) -> None:
    with pytest.raises(SignInRefused):
        _sign_in(factory, "galt-passord-123")
    assert table_rows(database_url)["user_session"] == []
    assert [u.failed_attempts for u in list_users(builders.scope(factory), factory)] == [1]


def test_an_unknown_email_or_company_is_refused_as_a_wrong_password(
    factory: UnitOfWorkFactory,
) -> None:
    with pytest.raises(SignInRefused):
        sign_in(builders.ORGNR, "ola@test.no", PASSWORD, factory, FAST, NOW)
    with pytest.raises(SignInRefused):
        sign_in("974760673", "kari@test.no", PASSWORD, factory, FAST, NOW)


def test_another_companys_user_cannot_sign_in_to_this_company(factory: UnitOfWorkFactory) -> None:
    with pytest.raises(SignInRefused):
        sign_in(builders.OTHER_ORGNR, "kari@test.no", PASSWORD, factory, FAST, NOW)
    other = builders.scope(factory, builders.OTHER_ORGNR)
    assert list_users(other, factory) == []


def test_the_fifth_wrong_password_in_a_row_locks_the_user_out_for_15_minutes(
    factory: UnitOfWorkFactory, database_url: str
) -> None:
    for attempt in range(MAX_FAILURES - 1):
        with pytest.raises(SignInRefused):
            _sign_in(factory, "galt-passord-123", NOW + timedelta(seconds=attempt))
    last = NOW + timedelta(seconds=10)
    with pytest.raises(LockedOut) as locked:
        _sign_in(factory, "galt-passord-123", last)
    assert locked.value.until == last + LOCKOUT
    with pytest.raises(LockedOut):  # even the right password, while locked
        _sign_in(factory, PASSWORD, last + LOCKOUT - timedelta(seconds=1))
    assert table_rows(database_url)["user_session"] == []
    assert session_user(_sign_in(factory, PASSWORD, last + LOCKOUT), factory, last + LOCKOUT)


def test_a_sign_in_forgets_the_wrong_passwords_before_it(factory: UnitOfWorkFactory) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInRefused):
            _sign_in(factory, "galt-passord-123")
    _sign_in(factory)
    with pytest.raises(SignInRefused):  # counted from one again: not locked
        _sign_in(factory, "galt-passord-123")


def test_a_session_ends_when_it_expires(factory: UnitOfWorkFactory) -> None:
    token = _sign_in(factory)
    assert session_user(token, factory, NOW + SESSION_LIFETIME - timedelta(seconds=1))
    assert session_user(token, factory, NOW + SESSION_LIFETIME) is None


def test_signing_out_ends_the_session_and_only_that_one(factory: UnitOfWorkFactory) -> None:
    first, second = _sign_in(factory), _sign_in(factory)
    sign_out(first, factory, NOW)
    assert session_user(first, factory, NOW) is None
    assert session_user(second, factory, NOW) is not None
    sign_out(first, factory, NOW)  # again: nothing to do
    sign_out("not-a-token", factory, NOW)


def test_a_disabled_user_cannot_sign_in_and_its_sessions_end(factory: UnitOfWorkFactory) -> None:
    token = _sign_in(factory)
    disable_user("KARI@test.no", builders.scope(factory), factory, NOW)
    assert session_user(token, factory, NOW) is None
    with pytest.raises(SignInRefused):
        _sign_in(factory)
    with pytest.raises(NotFound):
        disable_user("kari@test.no", builders.scope(factory), factory, NOW)


def test_another_company_cannot_disable_the_user(factory: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound):
        disable_user("kari@test.no", builders.scope(factory, builders.OTHER_ORGNR), factory, NOW)
    assert _sign_in(factory)


def test_only_hashes_are_stored_argon2id_for_the_password_sha256_for_the_token(
    factory: UnitOfWorkFactory, database_url: str
) -> None:
    token = _sign_in(factory)
    rows = table_rows(database_url)
    (stored,) = rows["app_user"]
    assert stored["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in str(rows)
    (session,) = rows["user_session"]
    assert session["token_hash"] == token_hash(token) != token
    assert token not in str(rows)


def test_an_outdated_hash_is_made_anew_at_sign_in(factory: UnitOfWorkFactory) -> None:
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=2048)
    sign_in(builders.ORGNR, "kari@test.no", PASSWORD, factory, stronger, NOW)
    (user,) = list_users(builders.scope(factory), factory)
    assert not stronger.needs_rehash(user.password_hash)
    assert stronger.verify(user.password_hash, PASSWORD)


def test_the_same_email_twice_in_a_company_is_a_conflict_but_not_in_another(
    factory: UnitOfWorkFactory,
) -> None:
    again = NewUser("KARI@test.no", "Kari", "read_only", PASSWORD)
    with pytest.raises(Conflict):
        add_user(again, builders.scope(factory), factory, FAST)
    add_user(again, builders.scope(factory, builders.OTHER_ORGNR), factory, FAST)
    assert len(list_users(builders.scope(factory), factory)) == 1


def test_bad_input_names_every_field_and_adds_nobody(factory: UnitOfWorkFactory) -> None:
    with pytest.raises(InvalidInput) as bad:
        add_user(
            NewUser("no-at-sign", " ", "api_user", PASSWORD), builders.scope(factory), factory, FAST
        )
    assert {p.field for p in bad.value.problems} == {"email", "name", "role"}
    with pytest.raises(InvalidInput) as short:
        add_user(
            NewUser("ola@test.no", "Ola", "read_only", "kort"),
            builders.scope(factory),
            factory,
            FAST,
        )
    assert [p.field for p in short.value.problems] == ["password"]
    assert len(list_users(builders.scope(factory), factory)) == 1


def test_wrong_passwords_sent_at_once_each_count_towards_the_lockout(
    factory: UnitOfWorkFactory,
) -> None:
    outcome = race(*[lambda: _sign_in(factory, "galt-passord-123")] * MAX_FAILURES)
    assert len(outcome.errors) == MAX_FAILURES
    assert len(outcome.of(SignInRefused)) == MAX_FAILURES  # a LockedOut is one too
    assert len(outcome.of(LockedOut)) == 1
    with pytest.raises(LockedOut):
        _sign_in(factory)


@pytest.mark.parametrize("role", [Role.READ_ONLY, Role.FINANCE_USER, Role.API_USER])
def test_only_an_administrator_or_the_command_line_adds_or_disables_users(
    factory: UnitOfWorkFactory, role: Role
) -> None:
    for kind in (ActorKind.USER, ActorKind.API_KEY):
        scope = replace(builders.scope(factory), actor=Actor(kind, "someone", role.value))
        with pytest.raises(Forbidden):
            add_user(NewUser("ola@test.no", "Ola", "read_only", PASSWORD), scope, factory, FAST)
        with pytest.raises(Forbidden):
            disable_user("kari@test.no", scope, factory, NOW)
    admin = Actor(ActorKind.USER, "admin@test.no", Role.ADMINISTRATOR.value)
    scope = replace(builders.scope(factory), actor=admin)
    add_user(NewUser("ola@test.no", "Ola", "read_only", PASSWORD), scope, factory, FAST)
    disable_user("ola@test.no", scope, factory, NOW)


@pytest.mark.parametrize("role", [Role.READ_ONLY, Role.FINANCE_USER])
def test_only_an_administrator_lists_or_enables_users_and_everyone_sees_colleagues(
    factory: UnitOfWorkFactory, role: Role
) -> None:
    scope = replace(builders.scope(factory), actor=Actor(ActorKind.USER, "x", role.value))
    disable_user("kari@test.no", builders.scope(factory), factory, NOW)
    with pytest.raises(Forbidden):
        list_users(scope, factory)
    with pytest.raises(Forbidden):
        enable_user("kari@test.no", scope, factory)
    add_user(
        NewUser("ola@test.no", "Ola", "read_only", PASSWORD), builders.scope(factory), factory, FAST
    )
    assert list_colleagues(scope, factory) == [Colleague("Ola", Role.READ_ONLY)]  # enabled only
    assert enable_user("kari@test.no", builders.scope(factory), factory) is True
    assert enable_user("kari@test.no", builders.scope(factory), factory) is False
    assert [c.name for c in list_colleagues(scope, factory)] == ["Kari Nordmann", "Ola"]
    _sign_in(factory)  # with its old password
    other = builders.scope(factory, builders.OTHER_ORGNR)
    with pytest.raises(NotFound):  # another company's user
        enable_user("kari@test.no", other, factory)


def _as_kari(factory: UnitOfWorkFactory) -> Scope:
    kari = Actor(ActorKind.USER, "kari@test.no", Role.FINANCE_USER.value)
    return replace(builders.scope(factory), actor=kari)


def test_a_new_password_ends_every_session_starts_a_new_one_and_the_old_one_no_longer_signs_in(
    factory: UnitOfWorkFactory,
) -> None:
    current, other = _sign_in(factory), _sign_in(factory)
    new = "et-helt-nytt-passord"
    token = change_password(
        PasswordChange(PASSWORD, new, new), _as_kari(factory), factory, FAST, NOW
    )
    assert session_user(current, factory, NOW) is None  # the one it changed it in too
    assert session_user(other, factory, NOW) is None
    opened = session_user(token, factory, NOW)  # a new session, for the browser's cookie
    assert opened is not None and opened.email == "kari@test.no"
    assert token not in (current, other)
    with pytest.raises(SignInRefused):
        _sign_in(factory)
    assert sign_in(builders.ORGNR, "kari@test.no", new, factory, FAST, NOW).token


def test_a_wrong_current_password_counts_toward_the_lockout_and_changes_nothing(
    factory: UnitOfWorkFactory, database_url: str
) -> None:
    before = table_rows(database_url)["app_user"][0]["password_hash"]
    new = "et-helt-nytt-passord"
    for _ in range(MAX_FAILURES):
        with pytest.raises(InvalidInput) as refused:
            change_password(
                PasswordChange("galt-passord-1", new, new), _as_kari(factory), factory, FAST, NOW
            )
        assert [p.field for p in refused.value.problems] == ["current_password"]
    (user,) = table_rows(database_url)["app_user"]
    assert user["password_hash"] == before and user["locked_until"] is not None
    with pytest.raises(LockedOut):
        _sign_in(factory)
    command_line = builders.scope(factory)  # not a signed-in user: none has a password
    with pytest.raises(Forbidden):
        change_password(PasswordChange(PASSWORD, new, new), command_line, factory, FAST, NOW)


def test_a_locked_out_user_cannot_change_its_password_even_with_the_right_one(
    factory: UnitOfWorkFactory, database_url: str
) -> None:
    new = "et-helt-nytt-passord"
    for _ in range(MAX_FAILURES):
        with pytest.raises(InvalidInput):
            change_password(
                PasswordChange("galt-passord-1", new, new), _as_kari(factory), factory, FAST, NOW
            )
    (locked,) = table_rows(database_url)["app_user"]
    assert locked["locked_until"] is not None
    for password in (PASSWORD, "galt-passord-2"):  # no more guesses while locked
        with pytest.raises(InvalidInput) as refused:
            change_password(
                PasswordChange(password, new, new), _as_kari(factory), factory, FAST, NOW
            )
        assert [(p.field, p.code) for p in refused.value.problems] == [
            ("current_password", "locked")
        ]
    (user,) = table_rows(database_url)["app_user"]
    assert user["locked_until"] == locked["locked_until"]
    assert user["password_hash"] == locked["password_hash"]
    assert user["failed_attempts"] == locked["failed_attempts"]
    with pytest.raises(LockedOut):
        _sign_in(factory)


def test_a_user_cannot_disable_itself(factory: UnitOfWorkFactory) -> None:
    me = Actor(ActorKind.USER, "kari@test.no", Role.ADMINISTRATOR.value)
    with pytest.raises(Conflict):
        disable_user("kari@test.no", replace(builders.scope(factory), actor=me), factory, NOW)


@pytest.mark.skipif(BACKEND != "postgresql", reason="row-level security is PostgreSQL's")
def test_row_level_security_keeps_another_companys_users_and_sessions_out_of_sight(
    factory: UnitOfWorkFactory,
) -> None:
    other = builders.scope(factory, builders.OTHER_ORGNR)
    add_user(NewUser("ola@andre.no", "Ola", "administrator", PASSWORD), other, factory, FAST)
    sign_in(builders.OTHER_ORGNR, "ola@andre.no", PASSWORD, factory, FAST, NOW)
    _sign_in(factory)
    with factory(builders.scope(factory)) as uow:
        sql = connection(uow).execute
        assert sql(text("SELECT email FROM app_user")).scalars().all() == ["kari@test.no"]
        sessions = sql(text("SELECT DISTINCT company_id FROM user_session")).scalars().all()
        assert sessions == [builders.scope(factory).company_id]
        changed = sql(text("UPDATE app_user SET role = 'read_only' WHERE email = 'ola@andre.no'"))
        assert changed.rowcount == 0


def test_a_sign_in_forgets_the_users_ended_and_expired_sessions_only(
    factory: UnitOfWorkFactory, database_url: str
) -> None:
    ended = _sign_in(factory)
    expired = _sign_in(factory, now=NOW - SESSION_LIFETIME)
    open_ = _sign_in(factory)
    sign_out(ended, factory, NOW)
    other = builders.scope(factory, builders.OTHER_ORGNR)
    add_user(NewUser("kari@test.no", "Kari", "read_only", PASSWORD), other, factory, FAST)
    elsewhere = sign_in(builders.OTHER_ORGNR, "kari@test.no", PASSWORD, factory, FAST, NOW).token
    sign_out(elsewhere, factory, NOW)
    newest = _sign_in(factory, now=NOW + timedelta(minutes=1))
    kept = {r["token_hash"] for r in table_rows(database_url)["user_session"]}
    assert kept == {token_hash(open_), token_hash(newest), token_hash(elsewhere)}
    assert token_hash(expired) not in kept


def test_the_database_refuses_a_session_of_another_companys_user(
    factory: UnitOfWorkFactory,
) -> None:
    other = builders.scope(factory, builders.OTHER_ORGNR)
    ola = add_user(NewUser("ola@andre.no", "Ola", "read_only", PASSWORD), other, factory, FAST)
    mine = builders.scope(factory).company_id
    with pytest.raises(Conflict, match="not this company's"), factory.unscoped() as uow:
        connection(uow).execute(
            text(
                "INSERT INTO user_session (company_id, user_id, token_hash, created_at, "
                "expires_at) VALUES (:c, :u, 'x', :at, :at)"
            ),
            {"c": mine, "u": ola.id, "at": NOW.replace(tzinfo=None)},
        )


class CountingPasswords:
    """The fast hasher, counting each hash and check of a password (the costly work)."""

    def __init__(self) -> None:
        self.work = 0

    def hash(self, password: str) -> str:
        self.work += 1
        return FAST.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.work += 1
        return FAST.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return FAST.needs_rehash(password_hash)


def test_every_refusal_costs_exactly_one_hash_or_check_of_the_password(
    factory: UnitOfWorkFactory,
) -> None:
    """Each refusal takes about the same time, so the time tells nobody which was wrong
    nor whether the user exists: an unknown company or user, a disabled user, a wrong
    password, and a locked-out user (with the right password or a wrong one)."""
    add_user(
        NewUser("ola@test.no", "Ola Nordmann", "read_only", PASSWORD),
        builders.scope(factory),
        factory,
        FAST,
    )
    disable_user("ola@test.no", builders.scope(factory), factory, NOW)
    counting = CountingPasswords()

    def work_of(orgnr: str, email: str, password: str) -> int:
        before = counting.work
        with pytest.raises(SignInRefused):
            sign_in(orgnr, email, password, factory, counting, NOW)
        return counting.work - before

    assert work_of("999999999", "kari@test.no", PASSWORD) == 1  # unknown company
    assert work_of(builders.ORGNR, "ingen@test.no", PASSWORD) == 1  # unknown user
    assert work_of(builders.ORGNR, "ola@test.no", PASSWORD) == 1  # disabled
    for _ in range(MAX_FAILURES):  # wrong passwords; the last locks the user out
        assert work_of(builders.ORGNR, "kari@test.no", "galt-passord-123") == 1
    assert work_of(builders.ORGNR, "kari@test.no", PASSWORD) == 1  # locked
    assert work_of(builders.ORGNR, "kari@test.no", "galt-passord-123") == 1  # locked


def test_an_administrator_or_the_command_line_unlocks_a_locked_out_user(
    factory: UnitOfWorkFactory,
) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInRefused):
            _sign_in(factory, "galt-passord-123")
    reader = replace(builders.scope(factory), actor=Actor(ActorKind.USER, "x@test.no", "read_only"))
    with pytest.raises(Forbidden):
        unlock_user("kari@test.no", reader, factory)
    with pytest.raises(LockedOut):
        _sign_in(factory)
    with pytest.raises(NotFound):
        unlock_user("ingen@test.no", builders.scope(factory), factory)
    assert unlock_user("KARI@test.no", builders.scope(factory), factory) is True
    assert session_user(_sign_in(factory), factory, NOW)
    for _ in range(MAX_FAILURES - 1):  # the count started again
        with pytest.raises(SignInRefused):
            _sign_in(factory, "galt-passord-123")
    assert unlock_user("kari@test.no", builders.scope(factory), factory) is False


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite has one writer: a run's day holds it")
def test_a_sign_in_does_not_wait_for_the_companys_run_lock(factory: UnitOfWorkFactory) -> None:
    """A day of the daily run holds the company's run lock alone (PostgreSQL: perhaps for
    minutes); a sign-in's bookkeeping, wrong password or right, goes on meanwhile."""
    company_id = builders.scope(factory).company_id
    with factory.unscoped() as run:
        lock_for_run(connection(run), company_id)  # held until this transaction ends
        outcome = race(lambda: _sign_in(factory, "galt-passord-123"), lambda: _sign_in(factory))
        assert len(outcome.of(SignInRefused)) == 1 and len(outcome.results) == 1


def test_only_the_email_taken_is_a_conflict_another_fault_is_not_hidden_as_one(
    factory: UnitOfWorkFactory,
) -> None:
    user = User(None, "ny@test.no", "Ny", Role.READ_ONLY, FAST.hash(PASSWORD), NOW.date())
    with pytest.raises((IntegrityError, Conflict)) as raised, factory.unscoped() as outer:
        outer.users_signing_in(999_999).add(user)  # no such company: its key fails
    assert "has a user" not in str(raised.value)  # said as what it is, not "the e-mail"


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite has one writer: a run's day holds it")
def test_a_password_change_does_not_wait_for_the_companys_run_lock(
    factory: UnitOfWorkFactory,
) -> None:
    """As a sign-in: a wrong current password's count and a new password are written while
    a day of the daily run holds the company's run lock."""
    new = "et-helt-nytt-passord"
    company_id = builders.scope(factory).company_id
    with factory.unscoped() as run:
        lock_for_run(connection(run), company_id)  # held until this transaction ends
        wrong = PasswordChange("galt-passord-1", new, new)
        outcome = race(lambda: change_password(wrong, _as_kari(factory), factory, FAST, NOW))
        assert len(outcome.of(InvalidInput)) == 1
        right = PasswordChange(PASSWORD, new, new)
        outcome = race(lambda: change_password(right, _as_kari(factory), factory, FAST, NOW))
        assert len(outcome.results) == 1 and session_user(outcome.results[0], factory, NOW)
