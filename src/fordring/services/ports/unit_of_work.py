"""The unit of work built for one scope, the unscoped one of the global jobs,
and the factory of both."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from fordring.services.collector_ports import ClientKidRepository, CollectorRepository
from fordring.services.ports.api import ApiKeyLookup, ApiKeyRepository, IdempotencyStore
from fordring.services.ports.collection import CollectionRepository
from fordring.services.ports.companies import (
    CompanyRepository,
    CurrentCompany,
    ImportLog,
    NumberSeries,
)
from fordring.services.ports.customers import CustomerRepository
from fordring.services.ports.day_parts import DayPartRepository
from fordring.services.ports.day_reads import DayReads
from fordring.services.ports.debtor_access import DebtorAccessLookup, DebtorAccessRepository
from fordring.services.ports.debtor_contact import DebtorContactRepository
from fordring.services.ports.delivery import DeliveryRepository
from fordring.services.ports.invoice_views import InvoiceBrowser
from fordring.services.ports.invoices import InvoiceRepository
from fordring.services.ports.jobs import JobQueue
from fordring.services.ports.ledger import LedgerRepository, ReskontroQueries
from fordring.services.ports.objections import ObjectionRepository
from fordring.services.ports.payment_plans import PlanRepository
from fordring.services.ports.payments import PaymentRepository
from fordring.services.ports.recurring import RecurringRepository
from fordring.services.ports.reports import ReportQueries
from fordring.services.ports.users import SessionLookup, UserRepository
from fordring.services.ports.webhooks import WebhookQueue, WebhookRepository
from fordring.services.scope import COMMAND_LINE, Actor, Scope

if TYPE_CHECKING:
    from fordring.services.posting_ports import MoneyState


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
    def invoice_browser(self) -> InvoiceBrowser:
        """The portal's invoice list and history, and purrefritak."""
        ...

    @property
    def debtor_contact(self) -> DebtorContactRepository:
        """The debtor's reports of payments and messages waiting (issue 19)."""
        ...

    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def reskontro(self) -> ReskontroQueries: ...
    @property
    def reports(self) -> ReportQueries: ...
    @property
    def imports(self) -> ImportLog: ...
    @property
    def collection(self) -> CollectionRepository: ...
    @property
    def plans(self) -> PlanRepository:
        """Payment plans and deferrals (issue 19)."""
        ...

    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
    @property
    def recurring(self) -> RecurringRepository: ...
    @property
    def money(self) -> MoneyState: ...
    @property
    def client_kids(self) -> ClientKidRepository:
        """The company's side of the collector serving it (if any)."""
        ...

    @property
    def day_parts(self) -> DayPartRepository: ...
    @property
    def jobs(self) -> JobQueue:
        """Jobs queued with this transaction's writes (services/ports/jobs.py)."""
        ...

    @property
    def day_reads(self) -> DayReads:
        """What a business day wrote, for its report (read only)."""
        ...

    @property
    def webhooks(self) -> WebhookRepository: ...
    @property
    def api_keys(self) -> ApiKeyRepository: ...
    @property
    def idempotency(self) -> IdempotencyStore: ...
    @property
    def users(self) -> UserRepository:
        """The portal's users of the company and their sessions."""
        ...

    @property
    def objections(self) -> ObjectionRepository:
        """The debtor's objections to the company's cases (issue 19)."""
        ...

    @property
    def debtor_access(self) -> DebtorAccessRepository:
        """The access codes the company's letters print (the debtor's page)."""
        ...

    def writes_together(self) -> AbstractContextManager[None]:
        """The repositories' small bulk inserts inside may be sent together, in one round
        trip, when the block ends; any other statement inside sees them as before. If the
        block fails, roll the unit of work back, as after any failure (what was held was
        perhaps never sent)."""
        ...

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

    def unwritten_settlements(self) -> list[tuple[int, int, int]]:
        """(settlement id, company id, number) of settlements whose documents are missing."""
        ...

    def companies_with_retries_due(self, most: int, last_tried_before: datetime) -> list[int]:
        """The companies with a failed document queued again fewer than `most` times and
        not tried since `last_tried_before`."""
        ...


class GlobalUnitOfWork(Protocol):
    """The unscoped transaction of the few jobs that span companies (registering a
    company, listing them, the global queues); nothing else may use it."""

    @property
    def companies(self) -> CompanyRepository: ...
    @property
    def queues(self) -> GlobalQueues: ...
    @property
    def collectors(self) -> CollectorRepository:
        """Collectors and their creditors, client accounts, KIDs and queue: global tables."""
        ...

    @property
    def webhooks(self) -> WebhookQueue:
        """Every company's webhook deliveries that are due."""
        ...

    @property
    def api_key_lookup(self) -> ApiKeyLookup:
        """Every company's API keys by prefix: authenticates a request (entrypoints/api)."""
        ...

    @property
    def user_sessions(self) -> SessionLookup:
        """Every company's portal sessions by their token's hash (entrypoints/web)."""
        ...

    @property
    def debtor_access(self) -> DebtorAccessLookup:
        """Every company's debtor access codes and sessions by their hashes, and the
        wrong sign-in tries per client address (entrypoints/web/debtor)."""
        ...

    def users_signing_in(self, company_id: int) -> UserRepository:
        """The company's users, for a sign-in's bookkeeping (its count of wrong passwords,
        its new session): every read and write filtered by `company_id`, as the session
        lookup's, but outside the company's scope, so it never waits for the company's run
        lock (adapters/db/run_lock.py): a sign-in does not wait for a run's day."""
        ...

    def within(
        self,
        company_id: int,
        *,
        actor: Actor = COMMAND_LINE,
        business_date: date | None = None,
        reading: bool = False,
        staying: bool = False,
        savepoint: bool = True,
    ) -> UnitOfWork:
        """A unit of work for one company on this transaction (`with uow.within(cid) as
        scoped:`): its repositories see only that company's rows (PostgreSQL: the tenant
        role and `app.company_id` until the `with` is left). It is a savepoint: what it
        wrote is kept only if `scoped.commit()` is called before leaving, and then only
        when this unscoped unit of work commits. `business_date` defaults to today.
        `reading`: a transaction that only reads for the company (an API GET): on
        PostgreSQL no savepoint, and the transaction stays the company's and read-only
        until it ends (nothing else may be done in it but more reading units of work).
        `staying`: the transaction acts for the company from the first such unit of work
        until it ends (an API request that writes): each is still a savepoint, but on
        PostgreSQL the role is taken once, not taken and given back around each one.
        `savepoint=False`: no savepoint: what it writes is the transaction's, `commit()`
        or not, and it cannot be undone alone (`rollback()` is refused); for a single
        statement whose failure fails the transaction."""
        ...

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
