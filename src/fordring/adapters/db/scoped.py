"""A company's repositories on a transaction's connection, each built when first used:
what a scoped unit of work and a company's unit of work inside the unscoped one share
(unit_of_work.py)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, ClassVar, Generic, Self, TypeVar, overload

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
from fordring.adapters.db.repositories.debtor_access import SqlDebtorAccess
from fordring.adapters.db.repositories.debtor_contact import SqlDebtorContact
from fordring.adapters.db.repositories.deliveries import SqlDeliveries
from fordring.adapters.db.repositories.imports import SqlImportLog
from fordring.adapters.db.repositories.invoice_browse import SqlInvoiceBrowser
from fordring.adapters.db.repositories.invoices import SqlInvoices
from fordring.adapters.db.repositories.ledger import SqlLedger
from fordring.adapters.db.repositories.money_state import SqlMoneyState
from fordring.adapters.db.repositories.objections import SqlObjections
from fordring.adapters.db.repositories.payment_plans import SqlPaymentPlans
from fordring.adapters.db.repositories.payments import SqlPayments
from fordring.adapters.db.repositories.recurring import SqlRecurring
from fordring.adapters.db.repositories.reports import SqlReports
from fordring.adapters.db.repositories.reskontro import SqlReskontro
from fordring.adapters.db.repositories.users import SqlUsers
from fordring.adapters.db.repositories.webhooks import SqlWebhooks
from fordring.services.scope import Scope

R = TypeVar("R")


class built_on_use(Generic[R]):  # noqa: N801 (used as a decorator, as cached_property)
    """`functools.cached_property` without its lock (Python 3.11 takes one lock per name,
    shared by every instance, on each first use): the value is built by the first read
    on an instance and kept in its `__dict__`, where later reads find it first. A unit
    of work is used by one thread at a time."""

    def __init__(self, build: Callable[[Any], R]) -> None:
        self.build = build
        self.name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> R: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> R | Self:
        if instance is None:
            return self
        value = self.build(instance)
        instance.__dict__[self.name] = value
        return value


def _built_on_use(cls: type) -> tuple[str, ...]:
    """The names of what `cls` builds on use, its base classes' included."""
    names = (n for k in cls.__mro__ for n, v in vars(k).items() if isinstance(v, built_on_use))
    return tuple(dict.fromkeys(names))


class Scoped:
    """The repositories of one company on a connection, each built when first used (a
    case lookup uses one of the 22: building them all on entry was 4.2 µs of its CPU, 1.4
    now, docs/performance.md) and kept until the unit of work is entered again (`_build`,
    maybe on another connection)."""

    scope: Scope
    queued: bool = False  # jobs go to procrastinate's queue (workers), else collected
    _connection: Connection
    _repositories: ClassVar[tuple[str, ...]] = ()  # what it builds on use (every class's)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._repositories = _built_on_use(cls)

    def _build(self, c: Connection) -> None:
        """Use `c` from now on: the repositories built for an earlier entry are dropped."""
        built = self.__dict__
        for name in self._repositories:
            built.pop(name, None)
        self._connection = c

    @built_on_use
    def day_parts(self) -> SqlDayParts:
        return SqlDayParts(self._connection, self.scope.company_id)

    @built_on_use
    def jobs(self) -> QueuedJobs | CollectedJobs:
        return QueuedJobs(self._connection) if self.queued else CollectedJobs()

    @built_on_use
    def company(self) -> SqlCurrentCompany:
        return SqlCurrentCompany(self._connection, self.scope.company_id)

    @built_on_use
    def series(self) -> SqlNumberSeries:
        return SqlNumberSeries(self._connection, self.scope.company_id)

    @built_on_use
    def customers(self) -> SqlCustomers:
        return SqlCustomers(self._connection, self.scope.company_id)

    @built_on_use
    def invoices(self) -> SqlInvoices:
        return SqlInvoices(self._connection, self.scope.company_id)

    @built_on_use
    def invoice_browser(self) -> SqlInvoiceBrowser:
        return SqlInvoiceBrowser(self._connection, self.scope.company_id)

    @built_on_use
    def ledger(self) -> SqlLedger:
        return SqlLedger(self._connection, self.scope.company_id)

    @built_on_use
    def reskontro(self) -> SqlReskontro:
        return SqlReskontro(self._connection, self.scope.company_id)

    @built_on_use
    def reports(self) -> SqlReports:
        return SqlReports(self._connection, self.scope.company_id)

    @built_on_use
    def imports(self) -> SqlImportLog:
        return SqlImportLog(self._connection, self.scope.company_id)

    @built_on_use
    def collection(self) -> SqlCollection:
        return SqlCollection(self._connection, self.scope.company_id)

    @built_on_use
    def payments(self) -> SqlPayments:
        return SqlPayments(self._connection, self.scope.company_id)

    @built_on_use
    def deliveries(self) -> SqlDeliveries:
        return SqlDeliveries(self._connection, self.scope.company_id)

    @built_on_use
    def recurring(self) -> SqlRecurring:
        return SqlRecurring(self._connection, self.scope.company_id)

    @built_on_use
    def money(self) -> SqlMoneyState:
        return SqlMoneyState(self._connection, self.scope.company_id)

    @built_on_use
    def client_kids(self) -> SqlClientKids:
        return SqlClientKids(self._connection, self.scope.company_id)

    @built_on_use
    def day_reads(self) -> SqlDayReads:
        return SqlDayReads(self._connection, self.scope.company_id)

    @built_on_use
    def webhooks(self) -> SqlWebhooks:
        return SqlWebhooks(self._connection, self.scope.company_id)

    @built_on_use
    def api_keys(self) -> SqlApiKeys:
        return SqlApiKeys(self._connection, self.scope.company_id)

    @built_on_use
    def idempotency(self) -> SqlIdempotency:
        return SqlIdempotency(self._connection, self.scope.company_id)

    @built_on_use
    def users(self) -> SqlUsers:
        return SqlUsers(self._connection, self.scope.company_id)

    @built_on_use
    def debtor_contact(self) -> SqlDebtorContact:
        return SqlDebtorContact(self._connection, self.scope.company_id)

    @built_on_use
    def debtor_access(self) -> SqlDebtorAccess:
        return SqlDebtorAccess(self._connection, self.scope.company_id)

    @built_on_use
    def objections(self) -> SqlObjections:
        return SqlObjections(self._connection, self.scope.company_id)

    @built_on_use
    def plans(self) -> SqlPaymentPlans:
        return SqlPaymentPlans(self._connection, self.scope.company_id)

    def writes_together(self) -> AbstractContextManager[None]:
        return together(self._connection)


Scoped._repositories = _built_on_use(Scoped)
