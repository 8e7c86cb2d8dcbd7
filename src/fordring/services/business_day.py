"""The business day (issue 13): the one service the CLI, and later a worker, calls for the
daily run. It owns the order of the phases: the days' bookings first, each day in its own
transaction; what leaves the system only after they commit (docs/design.md, "The day")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from fordring.domain.law.missing_rates import NeededRow
from fordring.domain.law.tables import RateBook
from fordring.services.api_requests import forget_responses
from fordring.services.collection_list import ListSent
from fordring.services.daily_run import DayReport, RunReport
from fordring.services.day_graph import run_collection
from fordring.services.debtor_access import forget_old_access
from fordring.services.delivery import DeliveryReport, deliver_waiting
from fordring.services.delivery_channels import DeliveryChannels
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.progress import Progress, no_progress
from fordring.services.scope import Actor, Scope
from fordring.services.settlements import (
    DocumentArchive,
    SettlementRenderer,
    write_settlement_documents,
)
from fordring.services.webhooks import SendReport, WebhookTools, send_due


@dataclass(frozen=True, slots=True)
class DayTools:
    """What the business day needs from outside: built once by the bootstrap."""

    uow_factory: UnitOfWorkFactory
    book: RateBook
    channels: DeliveryChannels  # invoices, letters and the collection list
    settlement_documents: SettlementRenderer
    archive: DocumentArchive  # where settlement statements are kept
    now: Callable[[], datetime]
    pin_key: bytes  # the debtor's PINs on letters kept under it (Application.debtor_pin_key)
    progress: Progress = no_progress  # hears of each day a run over many days has done
    webhooks: WebhookTools | None = None  # sends the due webhooks after the day (in-process)
    # Forgets stored idempotent API responses older than this many days after the day
    # (None: a worker's `forget_api_responses` does it, on PostgreSQL)
    keep_responses_days: int | None = None


@dataclass(frozen=True, slots=True)
class BusinessDay:
    """What each phase did. `run`: the days run (collection steps, recurring invoices
    issued, the collection list made, the settlement), each committed; `delivered`: the
    queue delivered afterwards (None in a dry run); `documents`: the settlement
    statements written (PDF and CSV)."""

    run: RunReport
    delivered: DeliveryReport | None
    documents: list[str] = field(default_factory=list)
    webhooks: SendReport | None = None
    forgotten_responses: int | None = None

    @property
    def days(self) -> list[DayReport]:
        return self.run.days

    @property
    def already_run_to(self) -> date | None:
        return self.run.already_run_to

    def missing_rates(self, book: RateBook) -> list[NeededRow]:
        return self.run.missing_rates(book)


def run_business_day(
    scope: Scope,
    to_day: date,
    tools: DayTools,
    *,
    dry_run: bool = False,
    each_day: bool = True,
) -> BusinessDay:
    """Run the days not yet run up to `to_day` (see `run_collection`; when nothing has run
    yet, from the scope's business date), then deliver what they (and any earlier run)
    queued, then write the settlement statements. A day that has run changes nothing when
    run again; the delivery and the statements take only what is still waiting, so running
    the same day twice sends and writes nothing new. A dry run does the days in a
    transaction it never commits and sends nothing.

    The days and the delivery are the scope's company's; the settlement statements are a
    global job (their queue spans companies, read through `unscoped()`), so a run writes
    whatever statements are waiting, of any company."""
    day = run_company_day(scope, to_day, tools, dry_run=dry_run, each_day=each_day)
    if dry_run:
        return day
    documents = write_waiting_statements(tools, scope.actor, scope.business_date)
    # The webhooks the days wrote (and any still due) leave last, the days committed. On
    # PostgreSQL a worker's `send_webhooks` also sends them; a delivery is claimed once.
    sent = send_due(tools.webhooks) if tools.webhooks is not None else None
    # Every company's: PINs kept to print too long or of closed cases, old address counts
    forget_old_access(tools.uow_factory, tools.now(), day=to_day)
    # Every company's, as the sending is: one small delete per company (SQLite: few).
    forgotten = None
    if tools.keep_responses_days is not None:
        days = tools.keep_responses_days
        forgotten = forget_responses(tools.uow_factory, scope.business_date, days)
    return replace(day, documents=documents, webhooks=sent, forgotten_responses=forgotten)


def run_company_day(
    scope: Scope,
    to_day: date,
    tools: DayTools,
    *,
    dry_run: bool = False,
    each_day: bool = True,
    deliver: bool = True,
) -> BusinessDay:
    """The scope's company's part of the business day, in-process: its days not yet run up
    to `to_day`, each its graph of parts (services/day_graph.py) committed as one, then
    what follows them, the delivery of what waits in its queue. Safe to run twice, like
    the day; a day a worker left between parts is finished by it too."""
    report = run_collection(
        scope,
        scope.business_date,
        to_day,
        tools.uow_factory,
        tools.book,
        pin_key=tools.pin_key,
        dry_run=dry_run,
        each_day=each_day,
        progress=tools.progress,
    )
    if dry_run or not deliver:
        return BusinessDay(report, None)
    # Only now, with the days committed, does anything leave: a mail server or access point
    # that fails leaves its documents failed in the queue, never a day undone.
    delivered = deliver_waiting(scope, tools.uow_factory, tools.channels, tools.now)
    _where_lists_went(report, delivered)
    return BusinessDay(report, delivered)


def write_waiting_statements(tools: DayTools, actor: Actor, day: date) -> list[str]:
    """The settlement statements (PDF and CSV) of every company's settlements that have
    none yet; where they went. Global: a worker runs it as one job at a time."""
    return write_settlement_documents(
        tools.uow_factory,
        tools.settlement_documents,
        tools.archive,
        actor,
        day,
    )


def _where_lists_went(report: RunReport, delivered: DeliveryReport) -> None:
    """Each list the days made, with its place in the outbox once delivered."""
    places = {d.day: d.location for d in delivered.lists}
    for day in report.days:
        made: ListSent | None = day.collection_list
        if made is not None:
            day.collection_list = replace(made, location=places.get(made.day))


def last_day_run(scope: Scope, uow_factory: UnitOfWorkFactory) -> date | None:
    """The last business day run for the scope's company (None: none yet)."""
    with uow_factory(scope) as uow:
        return uow.collection.last_run()
