"""The unit of work built for one scope, the unscoped one of the global jobs,
and the factory of both."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from fordring.services.ports.collection import CollectionRepository, UnrenderedLetter
from fordring.services.ports.companies import (
    CompanyRepository,
    CurrentCompany,
    ImportLog,
    NumberSeries,
)
from fordring.services.ports.customers import CustomerRepository
from fordring.services.ports.delivery import DeliveryRepository
from fordring.services.ports.invoices import InvoiceRepository
from fordring.services.ports.ledger import LedgerRepository, ReskontroQueries
from fordring.services.ports.payments import PaymentRepository
from fordring.services.ports.recurring import RecurringRepository
from fordring.services.scope import Scope


class UnitOfWork(Protocol):
    """One transaction and the repositories that work inside it."""

    @property
    def scope(self) -> Scope: ...
    @property
    def company(self) -> CurrentCompany: ...
    @property
    def series(self) -> NumberSeries: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def invoices(self) -> InvoiceRepository: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def reskontro(self) -> ReskontroQueries: ...
    @property
    def imports(self) -> ImportLog: ...
    @property
    def collection(self) -> CollectionRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
    @property
    def recurring(self) -> RecurringRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class GlobalQueues(Protocol):
    """The queues that span every company."""

    def unrendered_letters(self, limit: int) -> list[UnrenderedLetter]: ...
    def unwritten_settlements(self) -> list[tuple[int, int, int]]:
        """(settlement id, company id, number) of settlements whose documents are missing."""
        ...


class GlobalUnitOfWork(Protocol):
    """The unscoped transaction of the few jobs that span companies (registering a
    company, listing them, the global queues); nothing else may use it."""

    @property
    def companies(self) -> CompanyRepository: ...
    @property
    def queues(self) -> GlobalQueues: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """`factory(scope)` opens a unit of work for one scope; `unscoped()` the global one."""

    def __call__(self, scope: Scope) -> UnitOfWork: ...
    def unscoped(self) -> GlobalUnitOfWork: ...
