"""One API request, one transaction (services/api_requests.py, decision 0014): what a
service committed inside a request is kept only if the whole request ends well, every
unit of work of a request is on its one connection, and a request works for its key's
company only."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest
from procrastinate import JobContext
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from tests import builders
from tests.conftest import BACKEND, Run
from tests.crash import table_rows

from fordring import bootstrap
from fordring.adapters.db.engine import open_database
from fordring.adapters.db.unit_of_work import SqlCompanyWithin
from fordring.domain.api_access import Permission, Role
from fordring.domain.errors import Forbidden, InvalidInput
from fordring.domain.identifiers import BankAccount
from fordring.domain.text_input import parse_customer_details
from fordring.entrypoints.jobs.api_responses import forget_api_responses
from fordring.services.api_keys import (
    NewApiKey,
    Unauthenticated,
    create_api_key,
    list_api_keys,
    revoke_api_key,
)
from fordring.services.api_requests import (
    KEEP_RESPONSES_DAYS,
    Answer,
    Credentials,
    Idempotency,
    VerifiedKeys,
    answer_request,
    answer_together,
    forget_responses,
)
from fordring.services.customers import NewCustomer, add_customer, list_customers
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Actor, ActorKind, Scope
from fordring.settings import KEEP_RESPONSES_ENV

HMAC_KEY = b"a test key of twenty bytes"
DAY = date(2026, 3, 2)


def _token(uow_factory: UnitOfWorkFactory, role: Role = Role.API_USER) -> Credentials:
    scope = builders.scope(uow_factory)
    made = create_api_key(NewApiKey("test", role), scope, uow_factory, HMAC_KEY)
    return Credentials(made.token, None, HMAC_KEY)


def _customer(name: str) -> NewCustomer:
    return NewCustomer(parse_customer_details({"kind": "consumer", "name": name}))


def test_a_request_that_fails_after_a_service_committed_keeps_nothing(
    uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    builders.company(uow_factory)
    credentials = _token(uow_factory)
    before = table_rows(database_url)

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        add_customer(_customer("Kari"), scope, uows)  # commits its unit of work
        raise InvalidInput.one("name", "refused after the first service committed")

    with pytest.raises(InvalidInput):
        answer_request(uow_factory.unscoped, credentials, DAY, Permission.READ, work)
    assert table_rows(database_url) == before


def test_every_unit_of_work_of_a_request_is_on_its_one_connection(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    credentials = _token(uow_factory)
    seen = []

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        for _ in range(2):
            with uows(scope) as uow:
                assert isinstance(uow, SqlCompanyWithin)
                seen.append(uow.connection)
        add_customer(_customer("Kari"), scope, uows)
        assert [c.name for c in list_customers(scope, uows)] == ["Kari"]
        return Answer(201, b"{}")

    key = Idempotency("k", b"POST /x")
    answer = answer_request(uow_factory.unscoped, credentials, DAY, Permission.READ, work, key)
    assert answer.status == 201 and seen[0] is seen[1]
    assert len(list_customers(builders.scope(uow_factory), uow_factory)) == 1
    again = answer_request(uow_factory.unscoped, credentials, DAY, Permission.READ, work, key)
    assert again.replayed and len(list_customers(builders.scope(uow_factory), uow_factory)) == 1


def test_a_request_is_refused_before_any_work_without_a_key_or_the_right(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    reader = _token(uow_factory, Role.READ_ONLY)

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        raise AssertionError("no work without the right")

    with pytest.raises(Forbidden):
        answer_request(uow_factory.unscoped, reader, DAY, Permission.WRITE_INVOICES, work)
    wrong = Credentials(reader.token, None, b"another installation's key")
    with pytest.raises(Unauthenticated):
        answer_request(uow_factory.unscoped, wrong, DAY, Permission.READ, work)


def test_a_verified_key_is_trusted_for_its_seconds_and_a_wrong_one_never(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """A web process's VerifiedKeys: a key revoked elsewhere still works here until its
    seconds have passed (the bound docs/api.md states), then it is asked again: 401; a
    wrong key is never kept; the role is checked on every request."""
    builders.company(uow_factory)
    now = [100.0]
    verified = VerifiedKeys(5, clock=lambda: now[0])
    credentials = replace(_token(uow_factory), verified=verified)
    scopes: list[Scope] = []

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        scopes.append(scope)
        return Answer(200, b"{}")

    def ask(permission: Permission = Permission.READ, day: date = DAY) -> Answer:
        return answer_request(uow_factory.unscoped, credentials, day, permission, work)

    assert ask().status == 200
    revoke_api_key(credentials.token.split("_")[1], builders.scope(uow_factory), uow_factory)
    now[0] = 104.9
    assert ask(day=DAY + timedelta(days=1)).status == 200  # within the 5 seconds
    assert scopes[1].business_date == DAY + timedelta(days=1)
    assert scopes[1].company_id == scopes[0].company_id and scopes[1].actor == scopes[0].actor
    with pytest.raises(Forbidden):
        ask(Permission.MANAGE_KEYS)
    now[0] = 105.0
    with pytest.raises(Unauthenticated):
        ask()
    wrong = Credentials(credentials.token + "x", None, HMAC_KEY, verified)
    with pytest.raises(Unauthenticated):
        answer_request(uow_factory.unscoped, wrong, DAY, Permission.READ, work)
    assert verified.known == {}


def _stored(uow_factory: UnitOfWorkFactory, credentials: Credentials, key: str, on: date) -> None:
    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return Answer(201, b'{"done": true}')

    answer_request(
        uow_factory.unscoped, credentials, on, Permission.READ, work, Idempotency(key, b"x")
    )


def test_stored_responses_older_than_the_days_kept_are_forgotten_in_every_company(
    uow_factory: UnitOfWorkFactory, run: Run
) -> None:
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, account=BankAccount(builders.OTHER_ACCOUNT))
    a = _token(uow_factory)
    made = create_api_key(
        NewApiKey("b", Role.API_USER),
        builders.scope(uow_factory, builders.OTHER_ORGNR),
        uow_factory,
        HMAC_KEY,
    )
    b = Credentials(made.token, None, HMAC_KEY)
    for credentials in (a, b):
        _stored(uow_factory, credentials, "old", DAY - timedelta(days=8))
        _stored(uow_factory, credentials, "kept", DAY - timedelta(days=7))
    assert forget_responses(uow_factory, DAY, KEEP_RESPONSES_DAYS) == 2
    assert forget_responses(uow_factory, DAY) == 0
    calls: list[str] = []

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        calls.append(scope.actor.name)
        return Answer(201, b'{"done": true}')

    for key in ("old", "kept"):  # a forgotten one is a new request; a kept one is replayed
        answer_request(uow_factory.unscoped, a, DAY, Permission.READ, work, Idempotency(key, b"x"))
    assert len(calls) == 1
    with pytest.raises(InvalidInput):
        forget_responses(uow_factory, DAY, 0)
    done = run("apikey", "forget-responses", "--days", "1", date=DAY.isoformat())
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"forgotten": 2, "days": 1}  # "kept" of each


def test_a_key_whose_role_may_not_manage_keys_makes_none_an_administrators_key_makes_one(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Only an administrator's key manages keys, so the rule that a key makes none above
    its own role (may_grant) is not reached here; a finance user's key makes none at all,
    of a role above its own or below."""
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    finance = replace(scope, actor=Actor(ActorKind.API_KEY, "finance", Role.FINANCE_USER))
    for role in (Role.ADMINISTRATOR, Role.API_USER):
        with pytest.raises(Forbidden):
            create_api_key(NewApiKey("boss", role), finance, uow_factory, HMAC_KEY)
    admin = replace(scope, actor=Actor(ActorKind.API_KEY, "admin", Role.ADMINISTRATOR))
    made = create_api_key(NewApiKey("erp", Role.API_USER), admin, uow_factory, HMAC_KEY)
    assert made.key.role is Role.API_USER
    assert [k.name for k in list_api_keys(scope, uow_factory)] == ["erp"]


def _kept_keys(database_url: str) -> list[str]:
    with open_database(database_url).engine.connect() as c:
        return list(c.execute(text("SELECT key FROM idempotent_request ORDER BY key")).scalars())


def test_the_days_run_forgets_old_responses_on_sqlite_and_leaves_them_to_a_worker_else(
    uow_factory: UnitOfWorkFactory, database_url: str, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    builders.cli_company(run)
    a = _token(uow_factory)
    _stored(uow_factory, a, "old", DAY - timedelta(days=4))
    _stored(uow_factory, a, "kept", DAY - timedelta(days=3))
    monkeypatch.setenv(KEEP_RESPONSES_ENV, "3")
    ran = run("--company", builders.ORGNR, "run", "--to", DAY.isoformat(), date=DAY.isoformat())
    assert ran.exit_code == 0, ran.output
    # PostgreSQL: the worker's daily `forget_api_responses` forgets them, not the run
    assert _kept_keys(database_url) == (["kept"] if BACKEND == "sqlite" else ["kept", "old"])
    monkeypatch.setenv(KEEP_RESPONSES_ENV, "0")
    refused = run("apikey", "forget-responses", date=DAY.isoformat())
    assert refused.exit_code == 2 and KEEP_RESPONSES_ENV in refused.output, refused.output


def test_the_daily_job_forgets_the_responses_older_than_the_days_set(
    uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    builders.company(uow_factory)
    a = _token(uow_factory)
    for key, age in (("old", 11), ("kept", 10)):
        _stored(uow_factory, a, key, DAY - timedelta(days=age))
    app = bootstrap.Application(bootstrap.Settings(database_url, keep_responses_days=10))
    # what the job reads of its context: the Application the worker built
    context = cast(JobContext, SimpleNamespace(additional_context={"fordring": app}))
    noon = datetime(DAY.year, DAY.month, DAY.day, 12, tzinfo=UTC)
    forget_api_responses(context, int(noon.timestamp()))
    forget_api_responses(context, int(noon.timestamp()))  # a repeat forgets nothing more
    assert _kept_keys(database_url) == ["kept"]


class _Sent:
    """The statements SQLAlchemy sends while counting (each executemany set one)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, conn: Any, cursor: Any, sql: str, params: Any, ctx: Any, many: bool) -> None:
        self.seen.extend([" ".join(sql.split())] * (len(params) if many else 1))

    def __enter__(self) -> _Sent:
        event.listen(Engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self)

    def starting(self, word: str) -> int:
        return sum(1 for s in self.seen if s.upper().startswith(word))


def test_a_write_takes_its_companys_role_once_and_its_key_costs_no_savepoint(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """An idempotent write request: the role is taken for the key's lookup and then for
    the company, once (not around each unit of work); the claim and the answer are one
    statement each, without savepoints; the service's unit of work is the one savepoint."""
    builders.company(uow_factory)
    credentials = _token(uow_factory)

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        add_customer(_customer("Kari"), scope, uows)
        assert [c.name for c in list_customers(scope, uows)] == ["Kari"]
        return Answer(201, b"{}")

    key = Idempotency("once", b"POST /customers")
    with _Sent() as sent:
        answer = answer_request(uow_factory.unscoped, credentials, DAY, Permission.READ, work, key)
    assert answer.status == 201
    roles = sum(1 for s in sent.seen if "set_config('role'" in s)
    assert roles == (2 if BACKEND == "postgresql" else 0)
    assert sent.starting("SAVEPOINT") == 2  # the two units of work of the service calls
    assert sent.starting("INSERT INTO IDEMPOTENT_REQUEST") == 1
    assert sent.starting("UPDATE IDEMPOTENT_REQUEST") == 1
    with _Sent() as sent:
        again = answer_request(uow_factory.unscoped, credentials, DAY, Permission.READ, work, key)
    assert again.replayed and again.body == b"{}" and sent.starting("SAVEPOINT") == 0
    assert len(list_customers(builders.scope(uow_factory), uow_factory)) == 1


def test_a_unit_of_work_undone_in_a_request_leaves_the_company_role_and_the_run_lock(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """A request's unit of work left without commit undoes its writes; the next one still
    acts for the company only (PostgreSQL: the tenant role, taken before the savepoint,
    survives its rollback) and holds the company's run lock again when it writes (the
    rollback gave back the lock its write took)."""
    builders.company(uow_factory)
    credentials = _token(uow_factory)
    seen: dict[str, Any] = {}

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        with uows(scope) as uow:
            seen["next"] = uow.series.peek("invoice")
            uow.series.take("invoice", 5)  # a write: the run lock is taken; then undone
        add_customer(_customer("Kept"), scope, uows)
        with uows(scope) as uow:
            assert uow.series.peek("invoice") == seen["next"]
            if BACKEND == "postgresql":
                assert isinstance(uow, SqlCompanyWithin)
                run = uow.connection.exec_driver_sql
                seen["user"] = run("SELECT current_user").scalar()
                seen["locks"] = run(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND mode = 'ShareLock'"
                ).scalar()
        return Answer(201, b"{}")

    # No Idempotency-Key: its claim would take the run lock outside every savepoint.
    answer_request(uow_factory.unscoped, credentials, DAY, Permission.READ, work)
    names = [c.name for c in list_customers(builders.scope(uow_factory), uow_factory)]
    assert names == ["Kept"]
    if BACKEND == "postgresql":
        assert seen["user"] == "fordring_tenant" and seen["locks"] == 1


def test_requests_answered_together_claim_their_keys_at_once_and_leave_repeats_alone(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """`answer_together`: one transaction for several requests of one key; a key claimed
    before (a repeat) or twice among them is not done there (None): `answer_request`
    answers it alone and replays the stored answer."""
    builders.company(uow_factory)
    credentials = _token(uow_factory)
    scope = builders.scope(uow_factory)

    def one(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return Answer(201, json.dumps(add_customer(_customer("Før"), scope, uows).number).encode())

    old = Idempotency("old", b"POST /customers\nFor")
    answer_request(uow_factory.unscoped, credentials, DAY, Permission.READ, one, old)
    done: list[list[int]] = []

    def work(scope: Scope, uows: UnitOfWorkFactory, doing: list[int]) -> list[Answer]:
        done.append(doing)
        added = [add_customer(_customer(f"Kunde {i}"), scope, uows).number for i in doing]
        return [Answer(201, json.dumps(number).encode()) for number in added]

    a, b = Idempotency("a", b"POST /customers\nA"), Idempotency("b", b"POST /customers\nB")
    asked = [a, None, a, old, b]
    answers = answer_together(uow_factory.unscoped, credentials, DAY, Permission.READ, asked, work)
    assert done == [[0, 1, 4]]
    numbers = [None if x is None else json.loads(x.body) for x in answers]
    first = json.loads(
        answer_request(  # the stored answer of "old", replayed
            uow_factory.unscoped, credentials, DAY, Permission.READ, one, old
        ).body
    )
    assert numbers == [first + 1, first + 2, None, None, first + 3]
    for key, number in ((a, first + 1), (b, first + 3)):
        again = answer_request(uow_factory.unscoped, credentials, DAY, Permission.READ, one, key)
        assert again.replayed and json.loads(again.body) == number
    names = [c.name for c in list_customers(scope, uow_factory)]
    assert names == ["Før", "Kunde 0", "Kunde 1", "Kunde 4"]


def test_requests_answered_together_keep_nothing_when_their_work_fails(
    uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    builders.company(uow_factory)
    credentials = _token(uow_factory)
    before = table_rows(database_url)

    def work(scope: Scope, uows: UnitOfWorkFactory, doing: list[int]) -> list[Answer]:
        add_customer(_customer("Kari"), scope, uows)
        raise InvalidInput.one("customer", "one of them was refused")

    asked = [Idempotency("a", b"POST /x\nA"), Idempotency("b", b"POST /x\nB")]
    with pytest.raises(InvalidInput):
        answer_together(uow_factory.unscoped, credentials, DAY, Permission.READ, asked, work)
    wrong = Credentials(credentials.token, None, b"another installation's key")
    with pytest.raises(Unauthenticated):
        answer_together(uow_factory.unscoped, wrong, DAY, Permission.READ, asked, work)
    assert table_rows(database_url) == before  # no claim of either key is left
