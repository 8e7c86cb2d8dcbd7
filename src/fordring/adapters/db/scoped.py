"""A company's repositories on a transaction's connection, each built when first used:
what a scoped unit of work and a company's unit of work inside the unscoped one share
(unit_of_work.py)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cached_property

from sqlalchemy import Connection

from fordring.adapters.db.bulk import together
from fordring.adapters.db.deferred_jobs import CollectedJobs, QueuedJobs
from fordring.adapters.db.repositories.api_keys import SqlApiKeys, SqlIdempotency
from fordring.adapters.db.repositories.collection import SqlCollection
from fordring.adapters.db.repositories.collectors import SqlClientKids
from fordring.adapters.db.repositories.companies import (
    SqlCurrentCompany,
    SqlNumberSeries,
)
from fordring.adapters.db.repositories.customers import SqlCustomers
from fordring.adapters.db.repositories.day_parts import SqlDayParts
from fordring.adapters.db.repositories.day_reads import SqlDayReads
from fordring.adapters.db.repositories.deliveries import SqlDeliveries
from fordring.adapters.db.repositories.imports import SqlImportLog
from fordring.adapters.db.repositories.invoice_browse import SqlInvoiceBrowser
from fordring.adapters.db.repositories.invoices import SqlInvoices
from fordring.adapters.db.repositories.ledger import SqlLedger
from fordring.adapters.db.repositories.money_state import SqlMoneyState
from fordring.adapters.db.repositories.payments import SqlPayments
from fordring.adapters.db.repositories.recurring import SqlRecurring
from fordring.adapters.db.repositories.reports import SqlReports
from fordring.adapters.db.repositories.reskontro import SqlReskontro
from fordring.adapters.db.repositories.users import SqlUsers
from fordring.adapters.db.repositories.webhooks import SqlWebhooks
from fordring.services.scope import Scope


class Scoped:
    """The repositories of one company on a connection, each built when first used (a
    case lookup uses one of the 22: building them all on entry was about 3 % of its CPU)
    and kept until the unit of work is entered again (`_build`, maybe on another
    connection)."""

    scope: Scope
    queued: bool = False  # jobs go to procrastinate's queue (workers), else collected
    _connection: Connection

    def _build(self, c: Connection) -> None:
        """Use `c` from now on: the repositories built for an earlier entry are dropped."""
        built = self.__dict__
        for name in _REPOSITORIES:
            built.pop(name, None)
        self._connection = c

    @cached_property
    def day_parts(self) -> SqlDayParts:
        return SqlDayParts(self._connection, self.scope.company_id)

    @cached_property
    def jobs(self) -> QueuedJobs | CollectedJobs:
        return QueuedJobs(self._connection) if self.queued else CollectedJobs()

    @cached_property
    def company(self) -> SqlCurrentCompany:
        return SqlCurrentCompany(self._connection, self.scope.company_id)

    @cached_property
    def series(self) -> SqlNumberSeries:
        return SqlNumberSeries(self._connection, self.scope.company_id)

    @cached_property
    def customers(self) -> SqlCustomers:
        return SqlCustomers(self._connection, self.scope.company_id)

    @cached_property
    def invoices(self) -> SqlInvoices:
        return SqlInvoices(self._connection, self.scope.company_id)

    @cached_property
    def invoice_browser(self) -> SqlInvoiceBrowser:
        return SqlInvoiceBrowser(self._connection, self.scope.company_id)

    @cached_property
    def ledger(self) -> SqlLedger:
        return SqlLedger(self._connection, self.scope.company_id)

    @cached_property
    def reskontro(self) -> SqlReskontro:
        return SqlReskontro(self._connection, self.scope.company_id)

    @cached_property
    def reports(self) -> SqlReports:
        return SqlReports(self._connection, self.scope.company_id)

    @cached_property
    def imports(self) -> SqlImportLog:
        return SqlImportLog(self._connection, self.scope.company_id)

    @cached_property
    def collection(self) -> SqlCollection:
        return SqlCollection(self._connection, self.scope.company_id)

    @cached_property
    def payments(self) -> SqlPayments:
        return SqlPayments(self._connection, self.scope.company_id)

    @cached_property
    def deliveries(self) -> SqlDeliveries:
        return SqlDeliveries(self._connection, self.scope.company_id)

    @cached_property
    def recurring(self) -> SqlRecurring:
        return SqlRecurring(self._connection, self.scope.company_id)

    @cached_property
    def money(self) -> SqlMoneyState:
        return SqlMoneyState(self._connection, self.scope.company_id)

    @cached_property
    def client_kids(self) -> SqlClientKids:
        return SqlClientKids(self._connection, self.scope.company_id)

    @cached_property
    def day_reads(self) -> SqlDayReads:
        return SqlDayReads(self._connection, self.scope.company_id)

    @cached_property
    def webhooks(self) -> SqlWebhooks:
        return SqlWebhooks(self._connection, self.scope.company_id)

    @cached_property
    def api_keys(self) -> SqlApiKeys:
        return SqlApiKeys(self._connection, self.scope.company_id)

    @cached_property
    def idempotency(self) -> SqlIdempotency:
        return SqlIdempotency(self._connection, self.scope.company_id)

    @cached_property
    def users(self) -> SqlUsers:
        return SqlUsers(self._connection, self.scope.company_id)

    def writes_together(self) -> AbstractContextManager[None]:
        return together(self._connection)


_REPOSITORIES = tuple(n for n, v in vars(Scoped).items() if isinstance(v, cached_property))
