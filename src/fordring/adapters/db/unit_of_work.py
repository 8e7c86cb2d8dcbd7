"""The unit of work: one database transaction, with every repository on its connection,
built for one scope (company); and the unscoped unit of work of the few global jobs, which
can open a company's unit of work inside its own transaction (`within`)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from types import TracebackType
from typing import Self

import psycopg
from psycopg import pq
from sqlalchemy import Connection, NestedTransaction, text
from sqlalchemy.exc import DBAPIError

from fordring.adapters import clock
from fordring.adapters.db import kill_points, run_lock, statistics, waiting
from fordring.adapters.db.bulk import PENDING, ROLE_KEY, together
from fordring.adapters.db.deferred_jobs import CollectedJobs, QueuedJobs
from fordring.adapters.db.engine import Database
from fordring.adapters.db.repositories.api_keys import SqlApiKeyLookup, SqlApiKeys, SqlIdempotency
from fordring.adapters.db.repositories.collection import SqlCollection
from fordring.adapters.db.repositories.collectors import SqlClientKids, SqlCollectors
from fordring.adapters.db.repositories.companies import (
    SqlCompanies,
    SqlCurrentCompany,
    SqlNumberSeries,
)
from fordring.adapters.db.repositories.customers import SqlCustomers
from fordring.adapters.db.repositories.day_parts import SqlDayParts
from fordring.adapters.db.repositories.day_reads import SqlDayReads
from fordring.adapters.db.repositories.debtor_access import SqlDebtorAccess, SqlDebtorAccessLookup
from fordring.adapters.db.repositories.deliveries import SqlDeliveries
from fordring.adapters.db.repositories.global_queues import SqlGlobalQueues
from fordring.adapters.db.repositories.imports import SqlImportLog
from fordring.adapters.db.repositories.invoice_browse import SqlInvoiceBrowser
from fordring.adapters.db.repositories.invoices import SqlInvoices
from fordring.adapters.db.repositories.ledger import SqlLedger
from fordring.adapters.db.repositories.money_state import SqlMoneyState
from fordring.adapters.db.repositories.payment_plans import SqlPaymentPlans
from fordring.adapters.db.repositories.payments import SqlPayments
from fordring.adapters.db.repositories.recurring import SqlRecurring
from fordring.adapters.db.repositories.reports import SqlReports
from fordring.adapters.db.repositories.reskontro import SqlReskontro
from fordring.adapters.db.repositories.users import SqlSessionLookup, SqlUsers
from fordring.adapters.db.repositories.webhooks import SqlWebhookQueue, SqlWebhooks
from fordring.domain.errors import Conflict
from fordring.services.scope import COMMAND_LINE, Actor, Scope

# PostgreSQL's deadlock_detected, serialization_failure and unique_violation: two
# transactions met on the same rows (or wrote the same new one) in a way locks could not
# order; the one chosen to fail wrote nothing.
LOST_RACE = {"40P01", "40001", "23505"}

# PostgreSQL roles the migration 0011_scope creates (NOLOGIN, granted the table rights):
# a scoped transaction runs as TENANT_ROLE, which row-level security confines to the
# company in `app.company_id`; the global jobs run as GLOBAL_ROLE, which sees every company.
TENANT_ROLE = "fordring_tenant"
GLOBAL_ROLE = "fordring_global"


def _take_role(
    connection: Connection, role: str, company_id: int | None, *, read_only: bool = False
) -> None:
    """Until the transaction ends (PostgreSQL): act as `role`, for `company_id` (none: the
    setting is emptied, so the tenant policies match no row); `read_only`: and refuse every
    write from now on. One statement, one round trip. A company's first write or row lock
    takes its run lock shared first (adapters/db/run_lock.py); a read-only one neither
    writes nor locks rows (PostgreSQL refuses both), so it is not watched for them."""
    writes = role == TENANT_ROLE and not read_only
    run_lock.expect_writes(connection, company_id if writes else None)
    if connection.dialect.name != "postgresql":
        return
    connection.info[ROLE_KEY] = role
    if read_only and _begin_reading(connection, role, company_id):
        return
    connection.execute(
        _TAKING_ROLE[read_only], {"r": role, "c": "" if company_id is None else str(company_id)}
    )


def _begin_reading(connection: Connection, role: str, company_id: int | None) -> bool:
    """Begin the transaction read-only, as `role` for `company_id`, in one round trip, if
    nothing has begun it on the server yet (False: something has; the caller sets them in
    it). psycopg would send its BEGIN as a round trip of its own before the first
    statement; here BEGIN and the settings go as one simple query (no bind parameters:
    the role is one of ours and the company an integer), after which psycopg sees the
    transaction open and sends no BEGIN. SQLAlchemy's events do not see it; nothing
    watches a read-only transaction's statements (run_lock.py).

    Only for a connection psycopg would begin with a plain BEGIN (not autocommit, no
    isolation level or deferrable of its own: its BEGIN would carry them, ours would
    not); any other takes the settings in the transaction psycopg begins (False). If the
    query fails because the connection is gone, the connection is invalidated before the
    error is raised, so the pool does not hand it out again."""
    if role not in (TENANT_ROLE, GLOBAL_ROLE):
        raise ValueError(f"no such role: {role}")
    driver = connection.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    if driver.autocommit or driver.isolation_level is not None or driver.deferrable is not None:
        return False
    pgconn = driver.pgconn
    if pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    company = "" if company_id is None else str(int(company_id))
    try:
        result = pgconn.exec_(
            f"BEGIN READ ONLY; SELECT set_config('role', '{role}', true), "
            f"set_config('app.company_id', '{company}', true)".encode()
        )
        if result.status != pq.ExecStatus.TUPLES_OK:
            raise psycopg.errors.error_from_result(result, encoding=driver.info.encoding)
    except psycopg.Error as error:
        if driver.broken:
            connection.invalidate(error)
        raise
    return True


# set_config('role', …, true) is SET LOCAL ROLE (the role must be granted, as for SET).
# Built once: a text() statement finds its bind parameters with a regex when made (36 µs,
# a few per cent of a case lookup's CPU).
_ACTING = "SELECT set_config('role', :r, true), set_config('app.company_id', :c, true)"
_TAKING_ROLE = {
    False: text(_ACTING),
    True: text(f"{_ACTING}, set_config('transaction_read_only', 'on', true)"),
}


def _as_conflict(exc: BaseException | None) -> Conflict | None:
    # A bulk COPY raises the driver's own error, not SQLAlchemy's wrapper of it.
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if getattr(orig, "sqlstate", None) in LOST_RACE:
        why = str(orig).splitlines()[0]
        return Conflict(f"someone else changed the same records at the same moment ({why})")
    if exc is not None and waiting.is_locked(exc):  # SQLite's busy timeout ran out
        return waiting.locked_conflict()
    return None


class _Scoped:
    """The repositories of one company on a connection."""

    scope: Scope
    queued: bool = False  # jobs go to procrastinate's queue (workers), else collected

    def _build(self, c: Connection) -> None:
        cid = self.scope.company_id
        self.day_parts = SqlDayParts(c, cid)
        self.jobs: QueuedJobs | CollectedJobs = QueuedJobs(c) if self.queued else CollectedJobs()
        self.company = SqlCurrentCompany(c, cid)
        self.series = SqlNumberSeries(c, cid)
        self.customers = SqlCustomers(c, cid)
        self.invoices = SqlInvoices(c, cid)
        self.invoice_browser = SqlInvoiceBrowser(c, cid)
        self.ledger = SqlLedger(c, cid)
        self.reskontro = SqlReskontro(c, cid)
        self.reports = SqlReports(c, cid)
        self.imports = SqlImportLog(c, cid)
        self.collection = SqlCollection(c, cid)
        self.plans = SqlPaymentPlans(c, cid)
        self.payments = SqlPayments(c, cid)
        self.deliveries = SqlDeliveries(c, cid)
        self.recurring = SqlRecurring(c, cid)
        self.money = SqlMoneyState(c, cid)
        self.client_kids = SqlClientKids(c, cid)
        self.day_reads = SqlDayReads(c, cid)
        self.webhooks = SqlWebhooks(c, cid)
        self.api_keys = SqlApiKeys(c, cid)
        self.idempotency = SqlIdempotency(c, cid)
        self.users = SqlUsers(c, cid)
        self.debtor_access = SqlDebtorAccess(c, cid)
        self._connection = c

    def writes_together(self) -> AbstractContextManager[None]:
        return together(self._connection)


class _Transaction:
    bare: Connection  # the transaction's connection, whatever role it acts as

    def __init__(self, database: Database) -> None:
        self.database = database

    def _begin(self, role: str | None, company_id: int | None = None) -> None:
        """Connect and begin; and act as `role` for `company_id` (None: no role yet)."""
        try:
            self.bare = self.database.engine.connect()
        except Exception as error:  # a new connection found the file held too long
            conflict = _as_conflict(error)
            if conflict is not None:
                raise conflict from error
            raise
        try:
            self.transaction = self.bare.begin()
        except BaseException:  # gave up waiting for the database (adapters/db/waiting.py)
            self.bare.close()
            raise
        if role is not None:
            _take_role(self.bare, role, company_id)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # An invalidated connection (lost: its record starts afresh when next used) has
        # nothing to forget, and asking for its info would raise instead of `exc`.
        if not self.bare.invalidated:
            self.bare.info.pop(ROLE_KEY, None)  # the pool hands the connection on
            self.bare.info.pop(PENDING, None)  # and nothing held (bulk.together) with it
            statistics.forget(self.bare)
            run_lock.ended(self.bare)
        try:
            if self.transaction.is_active:
                self.transaction.rollback()
        finally:
            self.bare.close()
        conflict = _as_conflict(exc)
        if conflict is not None:
            raise conflict from exc

    def commit(self) -> None:
        # PostgreSQL re-reads the statistics of every table written in bulk (statistics.py)
        statistics.refresh(self.bare)
        kill_points.before_commit()
        self.transaction.commit()
        kill_points.after_commit()

    def rollback(self) -> None:
        self.transaction.rollback()


class SqlUnitOfWork(_Scoped, _Transaction):
    """Opened with `with`; nothing is kept unless `commit()` is called before leaving.
    Every repository reads and writes only the scope's company's rows."""

    def __init__(self, database: Database, scope: Scope, *, queued: bool = False) -> None:
        super().__init__(database)
        self.scope = scope
        self.queued = queued

    def __enter__(self) -> Self:
        self._begin(TENANT_ROLE, self.scope.company_id)
        self.connection = self.bare
        self._build(self.connection)
        return self


class SqlCompanyWithin(_Scoped):
    """One company's unit of work inside the unscoped one's transaction (a savepoint):
    `commit()` keeps what it wrote for the outer commit, leaving without it undoes that;
    on PostgreSQL it acts as the tenant role for the company until it is left.

    `reading` (PostgreSQL): no savepoint and no way back: the transaction acts for the
    company, read-only, until it ends (a write is refused by PostgreSQL), so a request that
    only reads spends no round trip on savepoints or on switching roles back and forth.

    `staying` (PostgreSQL): a savepoint, but the transaction acts for the company from the
    first such unit of work until it ends (an API request that writes): the role is taken
    once, before the first savepoint (so a savepoint rolled back keeps it), and not given
    back when the unit of work is left.

    `savepoint=False`: none: what it writes is the transaction's whether or not `commit()`
    is called (`rollback()` is refused); for one statement whose failure fails the whole
    transaction (an API request's claim of its `Idempotency-Key`, and its answer)."""

    def __init__(
        self,
        outer: SqlGlobalUnitOfWork,
        scope: Scope,
        *,
        reading: bool = False,
        staying: bool = False,
        savepoint: bool = True,
    ) -> None:
        self.outer = outer
        self.keeps_savepoint = savepoint
        self.scope = scope
        self.connection = outer.bare  # its own role is taken when it is entered
        postgresql = self.connection.dialect.name == "postgresql"
        self.reading = reading and postgresql
        self.staying = staying and postgresql

    def __enter__(self) -> Self:
        if self.outer.inside is not None:
            raise RuntimeError("a company's unit of work is already open in this one")
        if self.outer.read_for is not None and self.outer.read_for != self.scope.company_id:
            raise RuntimeError("this transaction reads for another company")
        company_id = self.scope.company_id
        if self.reading:
            self.outer.inside = self
            if self.outer.read_for is None:
                _take_role(self.connection, TENANT_ROLE, company_id, read_only=True)
                self.outer.read_for = company_id
            self._build(self.connection)
            return self
        if self.outer.read_for is not None:
            raise RuntimeError("this transaction only reads")
        acting = self.outer.acting_for
        if acting is not None and (acting != company_id or not self.staying):
            raise RuntimeError("this transaction acts for one company until it ends")
        if self.staying and acting is None:
            _take_role(self.connection, TENANT_ROLE, company_id)  # outside the savepoint
            self.outer.acting_for = company_id
        self.savepoint: NestedTransaction | None = None
        if self.keeps_savepoint:
            self.savepoint = self.connection.begin_nested()
        self.outer.inside = self
        if self.staying:
            self._build(self.connection)
            return self
        try:
            _take_role(self.connection, TENANT_ROLE, company_id)
        except BaseException:
            self._leave()
            raise
        self._build(self.connection)
        return self

    def _leave(self) -> None:
        self.outer.inside = None
        if self.reading:
            return
        undone = False
        try:
            if self.savepoint is not None and self.savepoint.is_active:
                undone = True
                self.savepoint.rollback()
        finally:
            if not self.outer.transaction.is_active:
                pass  # nothing to act as: the transaction is over
            elif not self.staying:
                self.outer.act_globally(again=True)
            elif undone:  # the shared run lock, if taken in the savepoint, went with it
                run_lock.expect_writes(self.connection, self.scope.company_id)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._leave()
        conflict = _as_conflict(exc)
        if conflict is not None:
            raise conflict from exc

    def commit(self) -> None:
        """Keep what was written, for the unscoped unit of work to commit."""
        if not self.reading and self.savepoint is not None:
            self.savepoint.commit()

    def rollback(self) -> None:
        if self.reading:
            return
        if self.savepoint is None:
            raise RuntimeError("a unit of work without a savepoint cannot be undone alone")
        self.savepoint.rollback()


class SqlGlobalUnitOfWork(_Transaction):
    """The unscoped unit of work: the company register, the queues that span every
    company (letters to render, settlement documents to write) and the collectors; and
    `within(company_id)`, a company's unit of work in the same transaction.

    On PostgreSQL it acts as the global role from the first use of one of its own
    repositories (`act_globally`), not from its start: a request whose key was verified
    lately and that only reads for its company (`within(..., reading=True)`) then spends
    one statement on its role, not two. Nothing runs on its connection before it acts as
    a role: its repositories and `connection` take the global one first, `within` the
    tenant one."""

    inside: SqlCompanyWithin | None = None
    read_for: int | None = None  # the company a reading unit of work made it act for
    acting: bool = False  # it acts as the global role (PostgreSQL: set in the transaction)
    acting_for: int | None = None  # the company a staying unit of work made it act for

    def __enter__(self) -> Self:
        self._begin(None)
        self.inside = None
        self.read_for = None
        self.acting = False
        self.acting_for = None
        self._companies = SqlCompanies(self.bare)
        self._queues = SqlGlobalQueues(self.bare)
        self._collectors = SqlCollectors(self.bare)
        self._webhooks = SqlWebhookQueue(self.bare)
        self._api_key_lookup = SqlApiKeyLookup(self.bare)
        self._user_sessions = SqlSessionLookup(self.bare)
        self._debtor_access = SqlDebtorAccessLookup(self.bare)
        return self

    @property
    def connection(self) -> Connection:
        """The connection, acting as the global role from now on."""
        self.act_globally()
        return self.bare

    def act_globally(self, *, again: bool = False) -> None:
        """Act as the global role until the transaction ends (or a company's unit of work
        is entered); `again`: even if it did (a company's savepoint acted as the tenant)."""
        if (self.acting and not again) or self.inside is not None:
            return  # inside a company's unit of work its role stands, as it always did
        if self.read_for is not None:
            raise RuntimeError("this transaction only reads for its company")
        if self.acting_for is not None:
            raise RuntimeError("this transaction acts for one company until it ends")
        _take_role(self.bare, GLOBAL_ROLE, None)
        self.acting = True

    @property
    def companies(self) -> SqlCompanies:
        self.act_globally()
        return self._companies

    @property
    def queues(self) -> SqlGlobalQueues:
        self.act_globally()
        return self._queues

    @property
    def collectors(self) -> SqlCollectors:
        self.act_globally()
        return self._collectors

    @property
    def webhooks(self) -> SqlWebhookQueue:
        self.act_globally()
        return self._webhooks

    @property
    def api_key_lookup(self) -> SqlApiKeyLookup:
        self.act_globally()
        return self._api_key_lookup

    @property
    def user_sessions(self) -> SqlSessionLookup:
        self.act_globally()
        return self._user_sessions

    @property
    def debtor_access(self) -> SqlDebtorAccessLookup:
        self.act_globally()
        return self._debtor_access

    def users_signing_in(self, company_id: int) -> SqlUsers:
        return SqlUsers(self.connection, company_id)  # each statement filters by company_id

    def within(
        self,
        company_id: int,
        *,
        actor: Actor = COMMAND_LINE,
        business_date: date | None = None,
        reading: bool = False,
        staying: bool = False,
        savepoint: bool = True,
    ) -> SqlCompanyWithin:
        day = business_date if business_date is not None else clock.today_in_oslo()
        scope = Scope(company_id, actor, day)
        return SqlCompanyWithin(self, scope, reading=reading, staying=staying, savepoint=savepoint)


class SqlUnitOfWorkFactory:
    """`factory(scope)` opens a scoped unit of work; `factory.unscoped()` the global one.
    `queued`: the jobs its units of work defer go to procrastinate's queue (a worker's,
    PostgreSQL only); otherwise they are collected for the in-process runner."""

    def __init__(self, database: Database, *, queued: bool = False) -> None:
        self.database = database
        self.queued = queued

    def __call__(self, scope: Scope) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.database, scope, queued=self.queued)

    def on_queue(self) -> SqlUnitOfWorkFactory:
        """The same database, its units of work deferring jobs to the queue."""
        return SqlUnitOfWorkFactory(self.database, queued=True)

    def unscoped(self) -> SqlGlobalUnitOfWork:
        return SqlGlobalUnitOfWork(self.database)
