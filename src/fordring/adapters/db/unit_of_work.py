"""The unit of work: one database transaction, with every repository on its connection,
built for one scope (company); and the unscoped unit of work of the few global jobs."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, text

from fordring.adapters.db.bulk import ROLE_KEY
from fordring.adapters.db.engine import Database
from fordring.adapters.db.repositories.collection import SqlCollection
from fordring.adapters.db.repositories.companies import (
    SqlCompanies,
    SqlCurrentCompany,
    SqlNumberSeries,
)
from fordring.adapters.db.repositories.customers import SqlCustomers
from fordring.adapters.db.repositories.deliveries import SqlDeliveries
from fordring.adapters.db.repositories.global_queues import SqlGlobalQueues
from fordring.adapters.db.repositories.imports import SqlImportLog
from fordring.adapters.db.repositories.invoices import SqlInvoices
from fordring.adapters.db.repositories.ledger import SqlLedger
from fordring.adapters.db.repositories.payments import SqlPayments
from fordring.adapters.db.repositories.recurring import SqlRecurring
from fordring.adapters.db.repositories.reskontro import SqlReskontro
from fordring.services.scope import Scope

# PostgreSQL roles the migration 0011_scope creates (NOLOGIN, granted the table rights):
# a scoped transaction runs as TENANT_ROLE, which row-level security confines to the
# company in `app.company_id`; the global jobs run as GLOBAL_ROLE, which sees every company.
TENANT_ROLE = "fordring_tenant"
GLOBAL_ROLE = "fordring_global"


class _Transaction:
    connection: Connection

    def __init__(self, database: Database) -> None:
        self.database = database

    def _begin(self, role: str, company_id: int | None) -> None:
        self.connection = self.database.engine.connect()
        self.transaction = self.connection.begin()
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(text(f"SET LOCAL ROLE {role}"))
            self.connection.info[ROLE_KEY] = role
            if company_id is not None:
                self.connection.execute(
                    text("SELECT set_config('app.company_id', :c, true)"), {"c": str(company_id)}
                )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.connection.info.pop(ROLE_KEY, None)  # the pool hands the connection on
        try:
            if self.transaction.is_active:
                self.transaction.rollback()
        finally:
            self.connection.close()

    def commit(self) -> None:
        self.transaction.commit()

    def rollback(self) -> None:
        self.transaction.rollback()


class SqlUnitOfWork(_Transaction):
    """Opened with `with`; nothing is kept unless `commit()` is called before leaving.
    Every repository reads and writes only the scope's company's rows."""

    def __init__(self, database: Database, scope: Scope) -> None:
        super().__init__(database)
        self.scope = scope

    def __enter__(self) -> Self:
        cid = self.scope.company_id
        self._begin(TENANT_ROLE, cid)
        c = self.connection
        self.company = SqlCurrentCompany(c, cid)
        self.series = SqlNumberSeries(c, cid)
        self.customers = SqlCustomers(c, cid)
        self.invoices = SqlInvoices(c, cid)
        self.ledger = SqlLedger(c, cid)
        self.reskontro = SqlReskontro(c, cid)
        self.imports = SqlImportLog(c, cid)
        self.collection = SqlCollection(c, cid)
        self.payments = SqlPayments(c, cid)
        self.deliveries = SqlDeliveries(c, cid)
        self.recurring = SqlRecurring(c, cid)
        return self


class SqlGlobalUnitOfWork(_Transaction):
    """The unscoped unit of work: the company register and the queues that span every
    company (letters to render, settlement documents to write). Only those use it."""

    def __enter__(self) -> Self:
        self._begin(GLOBAL_ROLE, None)
        self.companies = SqlCompanies(self.connection)
        self.queues = SqlGlobalQueues(self.connection)
        return self


class SqlUnitOfWorkFactory:
    """`factory(scope)` opens a scoped unit of work; `factory.unscoped()` the global one."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def __call__(self, scope: Scope) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.database, scope)

    def unscoped(self) -> SqlGlobalUnitOfWork:
        return SqlGlobalUnitOfWork(self.database)
