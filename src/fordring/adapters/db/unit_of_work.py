"""The unit of work: one database transaction, with every repository on its connection."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from fordring.adapters.db.engine import Database
from fordring.adapters.db.repositories.collection import SqlCollection
from fordring.adapters.db.repositories.collectors import SqlCollectors
from fordring.adapters.db.repositories.companies import SqlCompanies, SqlNumberSeries
from fordring.adapters.db.repositories.customers import SqlCustomers
from fordring.adapters.db.repositories.deliveries import SqlDeliveries
from fordring.adapters.db.repositories.imports import SqlImportLog
from fordring.adapters.db.repositories.invoices import SqlInvoices
from fordring.adapters.db.repositories.ledger import SqlLedger
from fordring.adapters.db.repositories.money_state import SqlMoneyState
from fordring.adapters.db.repositories.payments import SqlPayments
from fordring.adapters.db.repositories.recurring import SqlRecurring
from fordring.adapters.db.repositories.reskontro import SqlReskontro
from fordring.domain.errors import Conflict

# PostgreSQL's deadlock_detected, serialization_failure and unique_violation: two
# transactions met on the same rows (or wrote the same new one) in a way locks could not
# order; the one chosen to fail wrote nothing.
LOST_RACE = {"40P01", "40001", "23505"}


class SqlUnitOfWork:
    """Opened with `with`; nothing is kept unless `commit()` is called before leaving."""

    connection: Connection

    def __init__(self, database: Database) -> None:
        self.database = database

    def __enter__(self) -> Self:
        self.connection = self.database.engine.connect()
        self.transaction = self.connection.begin()
        self.companies = SqlCompanies(self.connection)
        self.series = SqlNumberSeries(self.connection)
        self.customers = SqlCustomers(self.connection)
        self.invoices = SqlInvoices(self.connection)
        self.ledger = SqlLedger(self.connection)
        self.reskontro = SqlReskontro(self.connection)
        self.imports = SqlImportLog(self.connection)
        self.collection = SqlCollection(self.connection)
        self.payments = SqlPayments(self.connection)
        self.deliveries = SqlDeliveries(self.connection)
        self.recurring = SqlRecurring(self.connection)
        self.collectors = SqlCollectors(self.connection)
        self.money = SqlMoneyState(self.connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.transaction.is_active:
                self.transaction.rollback()
        finally:
            self.connection.close()
        if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in LOST_RACE:
            why = str(exc.orig).splitlines()[0]
            raise Conflict(
                f"someone else changed the same records at the same moment ({why})"
            ) from exc

    def commit(self) -> None:
        self.transaction.commit()

    def rollback(self) -> None:
        self.transaction.rollback()
