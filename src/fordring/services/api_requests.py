"""One API request, one transaction (docs/decisions/0014-one-unit-of-work-per-request.md):
the key is authenticated and its role checked, an `Idempotency-Key` is claimed or its
stored response replayed, the service runs, and its response is stored, all in one
transaction that commits once, at the end, or not at all.

The services open units of work as they always do (`with uow_factory(scope) as uow`, then
`uow.commit()`); inside a request their factory is `WithinOneTransaction`, whose units of
work are savepoints of the request's transaction: a service's `commit()` keeps its work
for the request's commit, and a service that fails leaves nothing behind."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from fordring.domain.api_access import Permission, allows
from fordring.domain.errors import Forbidden, InvalidInput
from fordring.services.api_keys import authenticate
from fordring.services.companies import all_companies, company_id
from fordring.services.ports import GlobalUnitOfWork, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import DAILY_RUN, Actor, Scope


class WithinOneTransaction:
    """A unit-of-work factory for one request's scope: each unit of work is a savepoint
    of the request's open transaction (`GlobalUnitOfWork.within`), on its one connection."""

    def __init__(self, outer: GlobalUnitOfWork, scope: Scope, *, reading: bool = False) -> None:
        self.outer = outer
        self.scope = scope
        self.reading = reading  # a read (GET): no savepoints, read-only (`within`)

    def __call__(self, scope: Scope) -> UnitOfWork:
        if scope.company_id != self.scope.company_id:
            raise RuntimeError("a request works for its own company only")
        return self.outer.within(
            scope.company_id,
            actor=scope.actor,
            business_date=scope.business_date,
            reading=self.reading,
            staying=not self.reading,  # a request works for its own company only
        )

    def bookkeeping(self) -> UnitOfWork:
        """A unit of work for the request's own row (its `Idempotency-Key`'s claim, then
        its answer): no savepoint, a single statement each, whose failure fails the
        request (which then keeps nothing)."""
        scope = self.scope
        return self.outer.within(
            scope.company_id,
            actor=scope.actor,
            business_date=scope.business_date,
            staying=True,
            savepoint=False,
        )

    def unscoped(self) -> GlobalUnitOfWork:
        raise RuntimeError("a request's services work for its company, not every company")


@dataclass(frozen=True, slots=True)
class Answer:
    """What a request answers: the HTTP status, the body and its media type. `kept`: what
    a repeat with the same `Idempotency-Key` gets instead of `body` (None: the body), for
    an answer with a secret that is shown once and never stored (a new API key's token)."""

    status: int
    body: bytes
    media_type: str = "application/json"
    replayed: bool = False
    kept: bytes | None = None


class VerifiedKeys:
    """The keys a web process verified in the last `seconds`: a request with one is not
    checked against the database again until then, so a key revoked by another process
    (the CLI, another `serve --workers` process) still works here for at most `seconds`
    (`forget` forgets them all at once: this process's own revocations). Only keys that
    passed are kept, each under a SHA-256 of its token and creditor (never the token), at
    most `most` of them; a wrong or unknown key is always asked of the database."""

    def __init__(
        self, seconds: float, clock: Callable[[], float] = time.monotonic, most: int = 10_000
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self.most = most
        self.known: dict[bytes, tuple[float, int, Actor]] = {}
        self.lock = threading.Lock()  # the routes run in threads

    @staticmethod
    def _name(token: str, creditor: str | None) -> bytes:
        return hashlib.sha256(f"{token}\0{creditor or ''}".encode()).digest()

    def get(self, token: str, creditor: str | None, today: date) -> Scope | None:
        name = self._name(token, creditor)
        found = self.known.get(name)
        if found is None:
            return None
        if found[0] <= self.clock():
            self.known.pop(name, None)  # asked of the database again
            return None
        return Scope(found[1], found[2], today)

    def keep(self, token: str, creditor: str | None, scope: Scope) -> None:
        with self.lock:
            if len(self.known) >= self.most:
                self.known.clear()
            until = self.clock() + self.seconds
            self.known[self._name(token, creditor)] = (until, scope.company_id, scope.actor)

    def forget(self) -> None:
        with self.lock:
            self.known.clear()


@dataclass(frozen=True, slots=True)
class Credentials:
    token: str
    creditor: str | None  # a collector's key names the creditor (its orgnr)
    hmac_key: bytes
    verified: VerifiedKeys | None = None  # None: every request asks the database


@dataclass(frozen=True, slots=True)
class Idempotency:
    key: str
    request: bytes  # the method, path and parsed body: a repeat must send the same


Work = Callable[[Scope, UnitOfWorkFactory], Answer]
T = TypeVar("T")

MAX_IDEMPOTENCY_KEY = 255


def answer_request(
    open_transaction: Callable[[], GlobalUnitOfWork],
    credentials: Credentials,
    today: date,
    permission: Permission,
    work: Work,
    idempotency: Idempotency | None = None,
    *,
    reading: bool = False,
) -> Answer:
    """Authenticate, check the role, replay or do `work`, store its answer; one commit.
    Raises Unauthenticated (401), Forbidden (403), the service's errors (nothing kept).
    `reading`: `work` only reads (a GET): its units of work are no savepoints, and on
    PostgreSQL the transaction refuses any write (`GlobalUnitOfWork.within`)."""
    if reading and idempotency is not None:
        raise RuntimeError("a read is not idempotent-keyed: it changes nothing")
    if idempotency is not None:
        _check_key(idempotency.key)
    with open_transaction() as outer:
        scope = _authorised(outer, credentials, today, permission)
        units = WithinOneTransaction(outer, scope, reading=reading)
        if idempotency is not None:
            replay = _claim(units, scope, idempotency, today)
            if replay is not None:
                return replay
        answer = work(scope, units)
        if idempotency is not None and answer.status < 400:
            with units.bookkeeping() as uow:
                kept = answer.body if answer.kept is None else answer.kept
                uow.idempotency.answer(idempotency.key, answer.status, kept.decode())
                uow.commit()
        outer.commit()
    return answer


def answer_together(
    open_transaction: Callable[[], GlobalUnitOfWork],
    credentials: Credentials,
    today: date,
    permission: Permission,
    idempotencies: Sequence[Idempotency | None],
    work: Callable[[Scope, UnitOfWorkFactory, list[int]], list[Answer]],
) -> list[Answer | None]:
    """`answer_request` for requests of one key done as one (`entrypoints/api/together.py`):
    authenticated once, every `Idempotency-Key` claimed in one statement, `work` done for
    the requests it returns answers for (their indexes: those whose key was claimed here,
    and those without one), their answers stored, one commit.

    None for a request not done here: its key was claimed before (a repeat, or the same
    key twice among them), so `answer_request` answers it alone and replays. Raises as
    `answer_request` does, for all of them, and nothing is kept: the caller then answers
    each alone, so each gets its own answer or error."""
    first: dict[str, tuple[int, Idempotency]] = {}  # each key's first request
    for index, idempotency in enumerate(idempotencies):
        if idempotency is not None:
            _check_key(idempotency.key)
            first.setdefault(idempotency.key, (index, idempotency))
    with open_transaction() as outer:
        scope = _authorised(outer, credentials, today, permission)
        units = WithinOneTransaction(outer, scope)
        claims = [(key, _digest(idempotency)) for key, (_, idempotency) in first.items()]
        with units.bookkeeping() as uow:
            claimed = uow.idempotency.claim_many(claims, today)
            uow.commit()
        doing = [
            index
            for index, idempotency in enumerate(idempotencies)
            if idempotency is None
            or (first[idempotency.key][0] == index and idempotency.key in claimed)
        ]
        answers = work(scope, units, doing) if doing else []
        kept: list[tuple[str, int, str]] = []
        for index, answer in zip(doing, answers, strict=True):
            idempotency = idempotencies[index]
            if idempotency is not None and answer.status < 400:
                body = answer.body if answer.kept is None else answer.kept
                kept.append((idempotency.key, answer.status, body.decode()))
        if kept:
            with units.bookkeeping() as uow:
                uow.idempotency.answer_many(kept)
                uow.commit()
        outer.commit()
    done: list[Answer | None] = [None] * len(idempotencies)
    for index, answer in zip(doing, answers, strict=True):
        done[index] = answer
    return done


def read_in_request(
    open_transaction: Callable[[], GlobalUnitOfWork],
    credentials: Credentials,
    today: date,
    permission: Permission,
    read: Callable[[Scope, UnitOfWorkFactory], T],
) -> T:
    """What `read` returns, read in the request's one transaction (authenticated and the
    role checked as `answer_request`, and read-only as its `reading`); for a document
    rendered after the transaction."""
    with open_transaction() as outer:
        scope = _authorised(outer, credentials, today, permission)
        return read(scope, WithinOneTransaction(outer, scope, reading=True))


def _authorised(
    outer: GlobalUnitOfWork, credentials: Credentials, today: date, permission: Permission
) -> Scope:
    token, creditor, verified = credentials.token, credentials.creditor, credentials.verified
    scope = None if verified is None else verified.get(token, creditor, today)
    if scope is None:
        scope = authenticate(outer, token, creditor, credentials.hmac_key, today)
        if verified is not None:
            verified.keep(token, creditor, scope)
    if not allows(scope.actor.role, permission):
        raise Forbidden(f"the role {scope.actor.role} may not {permission.value}")
    return scope


def _check_key(key: str) -> None:
    if not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        reason = f"1 to {MAX_IDEMPOTENCY_KEY} printable characters"
        raise InvalidInput.one("Idempotency-Key", reason, code="invalid")


def _digest(idempotency: Idempotency) -> str:
    return hashlib.sha256(idempotency.request).hexdigest()


def _claim(
    units: WithinOneTransaction, scope: Scope, idempotency: Idempotency, today: date
) -> Answer | None:
    digest = _digest(idempotency)
    with units.bookkeeping() as uow:
        if uow.idempotency.claim(idempotency.key, digest, today):
            uow.commit()
            return None
        stored = uow.idempotency.get(idempotency.key)
    assert stored is not None
    if stored.request_hash != digest:
        reason = "was used with another request; send a new key for a new request"
        raise InvalidInput.one("Idempotency-Key", reason, code="idempotency_key_reused")
    return Answer(stored.status, stored.body.encode(), replayed=True)


KEEP_RESPONSES_DAYS = 7  # a client repeats a request within minutes or hours, not weeks


def forget_responses(
    uow_factory: UnitOfWorkFactory, today: date, days: int = KEEP_RESPONSES_DAYS
) -> int:
    """Forget the stored responses of idempotent requests older than `days` days (kept on
    `today - days` and later), every company's, each company in its own scope; how many.
    A repeat after that is a new request."""
    if days < 1:
        raise InvalidInput.one("days", "keep them at least 1 day")
    forgotten = 0
    for company in all_companies(uow_factory):
        with uow_factory(Scope(company_id(company), DAILY_RUN, today)) as uow:
            forgotten += uow.idempotency.forget_before(today - timedelta(days=days))
            uow.commit()
    return forgotten
