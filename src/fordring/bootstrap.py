"""Wires the real adapters to the services: the database, the clock, the law's rate file.

`Application` is the application built once from its `Settings` (fordring/settings.py):
the CLI builds one per command line, and a web process or a worker builds one at start;
each part is made when first used and then kept. The functions below it build single
parts from the environment for the commands that do not take the application yet.
Entry points get everything they need from here, so they never import an adapter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

from fordring.adapters import clock
from fordring.adapters.csv_imports import CustomerCsv, InvoiceCsv
from fordring.adapters.db import waiting
from fordring.adapters.db.engine import (
    CONNECTIONS,
    DEFAULT_DATABASE_URL,
    NotInitialised,
    forget_database,
    normalise_url,
    open_database,
)
from fordring.adapters.db.unit_of_work import SqlUnitOfWorkFactory
from fordring.adapters.delivery_setup import access_point as access_point
from fordring.adapters.delivery_setup import channels
from fordring.adapters.delivery_setup import demo_channels as demo_channels
from fordring.adapters.delivery_setup import ehf_writer as ehf_writer
from fordring.adapters.delivery_setup import mailer as mailer
from fordring.adapters.delivery_setup import receiver_lookup as receiver_lookup
from fordring.adapters.law_rates_file import load_rate_book
from fordring.adapters.paper_outbox import FolderOutbox
from fordring.adapters.pdf import TypstLetterRenderer
from fordring.adapters.pdf.template_data import DEFAULT_DEBTOR_PAGE
from fordring.adapters.safe_files import Content, write_new
from fordring.domain.debtor_access import DEFAULT_RULES, PIN_KEY_LEAST, AccessRules
from fordring.domain.errors import InvalidInput
from fordring.domain.saft import ExportAccount, ExportCustomer, ExportHeader, ExportVoucher
from fordring.services.api_requests import VerifiedKeys
from fordring.services.progress import Progress, no_progress
from fordring.settings import (
    ACCESS_POINT_ENV,
    ACCESS_POINT_TOKEN_ENV,
    API_KEY_SECRET_ENV,
    DEBTOR_PIN_KEY_ENV,
    DEFAULT_OUTBOX,
    MAIL_PICKUP_ENV,
    OUTBOX_ENV,
    PEPPOL_DNS_ENV,
    PEPPOL_LIST_ENV,
    PEPPOL_ZONE_ENV,
    RATES_FILE_ENV,
    SMTP_ENV,
    Settings,
)

if TYPE_CHECKING:
    import procrastinate

    from fordring.adapters.attachment_folder import FolderAttachments
    from fordring.adapters.bank_file_reader import BankFileReader
    from fordring.adapters.job_queue import JobFailure
    from fordring.adapters.passwords import Argon2PasswordHasher
    from fordring.adapters.pdf.invoice_pdf import TypstInvoiceRenderer
    from fordring.adapters.saft.reader import SaftFile
    from fordring.adapters.settlement_documents import FolderArchive, SettlementDocuments
    from fordring.domain.law.tables import RateBook
    from fordring.services.business_day import DayTools
    from fordring.services.delivery_channels import DeliveryChannels
    from fordring.services.ports import (
        LetterRenderer,
    )
    from fordring.services.ports.objections import ReceiptRenderer
    from fordring.services.ports.reports import ReportRenderer
    from fordring.services.webhooks import WebhookTools

__all__ = [
    "ACCESS_POINT_ENV",
    "ACCESS_POINT_TOKEN_ENV",
    "DEFAULT_DATABASE_URL",
    "DEFAULT_OUTBOX",
    "MAIL_PICKUP_ENV",
    "OUTBOX_ENV",
    "PEPPOL_DNS_ENV",
    "PEPPOL_LIST_ENV",
    "PEPPOL_ZONE_ENV",
    "RATES_FILE_ENV",
    "SMTP_ENV",
    "Application",
    "NotInitialised",
    "Settings",
    "customer_file",
    "display_url",
    "invoice_file",
    "migrate",
    "on_database_wait",
    "rate_book",
    "today",
    "uow_factory",
]


def today() -> date:
    """The business date when none is given: today in Europe/Oslo."""
    return clock.today_in_oslo()


def uow_factory(database_url: str) -> SqlUnitOfWorkFactory:
    """Units of work over an initialised database (NotInitialised if it is not)."""
    database = open_database(database_url)
    database.require_current_schema()
    return SqlUnitOfWorkFactory(database)


def fresh_sqlite(path: str) -> str:
    """Delete the SQLite file at `path` (if any), create the schema there; returns its URL."""
    forget_database(f"sqlite:///{path}")
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    migrate(url)
    return url


def display_url(database_url: str) -> str:
    """The URL with any password hidden, for messages."""
    return str(make_url(normalise_url(database_url)))


def customer_file(path: str, progress: Progress = no_progress) -> CustomerCsv:
    """A CSV file of customers to import, hashed; `progress` hears of each row read."""
    return CustomerCsv(path, progress)


def invoice_file(path: str, progress: Progress = no_progress) -> InvoiceCsv:
    """A CSV file of invoices to import, hashed; `progress` hears of each row read."""
    return InvoiceCsv(path, progress)


def saft_file(path: str) -> SaftFile:
    """A SAF-T Financial file to import, hashed, its version read, ready to stream (lxml
    is imported here, not when the command line starts)."""
    from fordring.adapters.saft.reader import SaftFile

    return SaftFile(path)


def saft_content(
    header: ExportHeader,
    accounts: Sequence[ExportAccount],
    customers: Sequence[ExportCustomer],
    vouchers: Iterable[ExportVoucher],
) -> Content:
    """A SAF-T Financial 1.30 file of what it is given, written as the file is made (the
    vouchers are read while they are written)."""

    def write(handle: IO[bytes]) -> None:
        from fordring.adapters.saft.writer import write_saft

        write_saft(handle, header, accounts, customers, vouchers)

    return write


def write_user_file(path: Path, content: Content, *, replace: bool) -> None:
    """A file the user named (`-o FILE`): made new, or with `replace` put in place of what
    is there; never written through a link (FileExistsError, FileNotFoundError)."""
    write_new(path, content, replace=replace)


def migrate(database_url: str) -> str:
    """Create or upgrade the schema; returns the revision it is at."""
    return open_database(database_url).migrate()


# --- collection letters: where they are rendered and put ---------------------------------


def letter_renderer(processes: int | None = None) -> TypstLetterRenderer:
    """The PDF renderer on `processes` processes (None: its default; 1: this one); close it
    (or use `with`) to stop its worker processes."""
    renderer = TypstLetterRenderer() if processes is None else TypstLetterRenderer(processes)
    renderer.debtor_page = debtor_page_address(Settings.from_env())
    return renderer


def debtor_page_address(settings: Settings) -> str:
    """The debtor's page's address letters print (docs/debtor_page.md): the setting
    FORDRING_DEBTOR_PAGE_ADDRESS, else FORDRING_PUBLIC_URL + /d, else `fordring serve`'s
    own default address."""
    if settings.debtor_page_address:
        return settings.debtor_page_address
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/d"
    return DEFAULT_DEBTOR_PAGE


def paper_outbox(path: str | None = None) -> FolderOutbox:
    """The folder letters to print are put in (argument, FORDRING_OUTBOX, or ./outbox)."""
    return FolderOutbox(Settings.from_env().overridden(outbox=path).outbox)


def document_archive(path: str | None = None) -> FolderArchive:
    """Where settlement statements are kept: the outbox folder (see `paper_outbox`)."""
    from fordring.adapters.settlement_documents import FolderArchive

    return FolderArchive(Settings.from_env().overridden(outbox=path).outbox)


def settlement_documents() -> SettlementDocuments:
    """The settlement statement as PDF and CSV (imported when needed: Typst is heavy)."""
    from fordring.adapters.settlement_documents import SettlementDocuments

    return SettlementDocuments()


def bank_file_reader() -> BankFileReader:
    """Reads Nets OCR giro and camt.054 files (format from the content)."""
    from fordring.adapters.bank_file_reader import BankFileReader

    return BankFileReader()


def ocr_writer() -> Callable[..., Path]:
    """Writes Nets OCR giro files (with netsgiro): the demo's bank file."""
    from fordring.adapters.bank.ocr_writer import write_ocr

    return write_ocr


# --- delivery (issue 6): EHF through an access point, e-mail, paper ---------------------


def now() -> datetime:
    """The moment, in Europe/Oslo: for delivery logs and the Peppol cache."""
    return clock.now_in_oslo()


def invoice_renderer(processes: int | None = None) -> TypstInvoiceRenderer:
    """The invoice PDF renderer on `processes` processes (None: its default; 1: this one);
    close it (or use `with`) to stop its worker processes."""
    from fordring.adapters.pdf.invoice_pdf import TypstInvoiceRenderer

    renderer = TypstInvoiceRenderer() if processes is None else TypstInvoiceRenderer(processes)
    renderer.debtor_page = debtor_page_address(Settings.from_env())
    return renderer


def delivery_channels(
    outbox: str | None, letters: LetterRenderer, invoices: TypstInvoiceRenderer
) -> DeliveryChannels:
    """Every channel of the delivery chain as configured by the environment."""
    return channels(Settings.from_env().overridden(outbox=outbox), letters, invoices)


# --- law (issue 3): the rate tables, with an operator's overrides -----------------------


def rate_book(path: str | None = None) -> RateBook:
    """The built-in law tables, overridden by a rates file (argument or FORDRING_RATES_FILE)."""
    return load_rate_book(rates_file_path(path))


def on_database_wait(callback: Callable[[str], None]) -> Callable[[], None]:
    """Tell `callback` (a line of text) whenever a command starts to wait for the database:
    for a day of the daily run, or another command (adapters/db/waiting.py); returns the
    function that stops telling it."""
    return waiting.listen(callback)


def rates_file_path(path: str | None = None) -> str | None:
    """The rates file in use: the argument, else FORDRING_RATES_FILE, else None."""
    return Settings.from_env().overridden(rates_file=path).rates_file


# --- the application, built once --------------------------------------------------------
class Application:
    """Everything fordring is made of, built once from `settings` (what is built from which
    setting is said here and in fordring/settings.py). A part is made when first used and
    kept, so a command pays only for what it uses; `close` (or `with`) stops the PDF
    renderers' worker processes. The CLI builds one per command line; a web process or a
    worker builds one at start and keeps it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def configured(
        self,
        *,
        outbox: str | None = None,
        rates: str | None = None,
        render_processes: int | None = None,
    ) -> Application:
        """The application with a command's own options (None: not given); itself when
        none is given. Build it before using any part: parts are not shared."""
        if outbox is None and rates is None and render_processes is None:
            return self
        return Application(
            self.settings.overridden(
                outbox=outbox, rates_file=rates, render_processes=render_processes
            )
        )

    # A process's connections to its database (adapters/db/engine.py): the API's request
    # threads are as many (entrypoints/api/app.py).
    database_connections = CONNECTIONS

    @cached_property
    def uow_factory(self) -> SqlUnitOfWorkFactory:
        """Units of work over the database (`database_url`): `uow_factory(scope)` for one
        company, `uow_factory.unscoped()` for the global jobs; NotInitialised if it has no
        schema yet."""
        return uow_factory(self.settings.database_url)

    @property
    def api_hmac_key(self) -> bytes:
        """The key API key secrets are kept under as HMAC-SHA256 (`api_key_secret`, from
        FORDRING_API_KEY_SECRET); InvalidInput naming it when it is not set."""
        secret = self.settings.api_key_secret
        if not secret or len(secret) < 16:
            reason = "set it to a secret of at least 16 characters (docs/api.md)"
            raise InvalidInput.one(API_KEY_SECRET_ENV, reason, code="not_configured")
        return secret.encode()

    @cached_property
    def verified_keys(self) -> VerifiedKeys | None:
        """The API keys this web process verified lately (`api_key_cache_seconds`; None
        when 0: every request asks the database)."""
        seconds = self.settings.api_key_cache_seconds
        return VerifiedKeys(seconds) if seconds > 0 else None

    @cached_property
    def attachments(self) -> FolderAttachments:
        """The debtor's attached files (`attachment_folder`: FORDRING_ATTACHMENTS, else
        `attachments` in the outbox), outside anything the web server serves."""
        from fordring.adapters.attachment_folder import FolderAttachments

        return FolderAttachments(self.settings.attachment_folder)

    @property
    def receipt_pdf(self) -> ReceiptRenderer:
        """The debtor's objection receipt as PDF (Typst, in the calling thread: one page)."""
        from fordring.adapters.pdf.receipt_pdf import render_receipt

        return render_receipt

    @cached_property
    def debtor_rules(self) -> AccessRules:
        """The debtor's page's limits: the settings' tries and lock, the domain's other
        defaults (domain/debtor_access.py)."""
        settings = self.settings
        lockout = timedelta(minutes=settings.debtor_lock_minutes)
        return replace(DEFAULT_RULES, max_failures=settings.debtor_max_tries, lockout=lockout)

    @cached_property
    def debtor_pin_key(self) -> bytes:
        """The key the debtor's PINs are kept under (HMAC-SHA256, decision 0015), never in
        the database: `debtor_pin_key` (FORDRING_DEBTOR_PIN_KEY, at least 32 characters;
        InvalidInput naming it when shorter), else `debtor-pin.key` in the outbox, made on
        first use (adapters/pin_key_file.py). Several machines: set it alike on each."""
        configured = self.settings.debtor_pin_key
        if configured is not None:
            if len(configured) < PIN_KEY_LEAST:
                reason = f"set it to a secret of at least {PIN_KEY_LEAST} characters"
                raise InvalidInput.one(DEBTOR_PIN_KEY_ENV, reason, code="not_configured")
            return configured.encode()
        from fordring.adapters.pin_key_file import pin_key_from_file

        return pin_key_from_file(self.settings.outbox)

    @cached_property
    def password_hasher(self) -> Argon2PasswordHasher:
        """Users' passwords, hashed with argon2id (adapters/passwords.py)."""
        from fordring.adapters.passwords import Argon2PasswordHasher

        return Argon2PasswordHasher()

    @cached_property
    def rate_book(self) -> RateBook:
        """The law's tables with the operator's rates file (`rates_file`)."""
        return load_rate_book(self.settings.rates_file)

    @cached_property
    def letters(self) -> TypstLetterRenderer:
        """Letters and collection lists as PDF (Typst worker processes: `render_processes`)."""
        renderer = letter_renderer(self.settings.render_processes)
        renderer.debtor_page = debtor_page_address(self.settings)
        return renderer

    @cached_property
    def invoices(self) -> TypstInvoiceRenderer:
        """Invoices and credit notes as PDF (Typst worker processes: `render_processes`)."""
        renderer = invoice_renderer(self.settings.render_processes)
        renderer.debtor_page = debtor_page_address(self.settings)
        return renderer

    @property
    def report_pdf(self) -> ReportRenderer:
        """The portal's reports as PDF (Typst, in the calling thread: one page or two)."""
        from fordring.adapters.pdf.report_pdf import render_report

        return render_report

    @cached_property
    def delivery_channels(self) -> DeliveryChannels:
        """The chain EHF -> e-mail -> paper: the access point and Peppol lookup
        (`access_point`, `peppol_*`), the mailer (`smtp_url`, `mail_pickup`), the paper
        outbox (`outbox`)."""
        return channels(self.settings, self.letters, self.invoices)

    @cached_property
    def day_tools(self) -> DayTools:
        """What the business day uses: the above, the settlement statements and where they
        are kept (`outbox`), the clock."""
        from fordring.adapters.settlement_documents import FolderArchive
        from fordring.services.business_day import DayTools

        return DayTools(
            self.uow_factory,
            self.rate_book,
            self.delivery_channels,
            settlement_documents(),
            FolderArchive(self.settings.outbox),
            now,
            self.debtor_pin_key,
            webhooks=self.webhook_tools,
            # without a job queue (SQLite) no worker forgets them: the day's run does
            keep_responses_days=None if self.has_job_queue else self.settings.keep_responses_days,
        )

    @cached_property
    def queued_day_tools(self) -> DayTools:
        """The business day's tools for a worker: its units of work defer the day's next
        parts to the job queue in their own transactions (PostgreSQL)."""
        from dataclasses import replace

        return replace(self.day_tools, uow_factory=self.uow_factory.on_queue())

    @cached_property
    def webhook_tools(self) -> WebhookTools:
        """What sending webhooks uses: the HTTP sender (`webhook_timeout`,
        `webhook_allow_private`), the clock, and how long a claimed delivery is left to
        its sender before another may take it (twice the timeout and 5 s)."""
        from fordring.adapters.http.webhook_sender import HttpWebhookSender
        from fordring.services.webhooks import WebhookTools

        timeout = self.settings.webhook_timeout
        sender = HttpWebhookSender(
            timeout=timeout, allow_private=self.settings.webhook_allow_private
        )
        return WebhookTools(self.uow_factory, sender, now, timedelta(seconds=2 * timeout + 5))

    @property
    def has_job_queue(self) -> bool:
        """Whether jobs can go to workers: on PostgreSQL (SQLite runs them in-process)."""
        return make_url(normalise_url(self.settings.database_url)).get_backend_name() == (
            "postgresql"
        )

    def job_queue(self) -> procrastinate.App:
        """A new procrastinate App over the database (PostgreSQL), not opened, with no
        tasks: entrypoints/jobs registers its own (a task belongs to one App)."""
        from fordring.adapters.job_queue import job_app

        return job_app(self.settings.database_url)

    def refresh_queue_statistics(self, queue: procrastinate.App) -> None:
        """ANALYZE the queue's table (`queue` opened) after queueing many jobs at once."""
        from fordring.adapters.job_queue import refresh_queue_statistics

        refresh_queue_statistics(queue)

    def job_failure_recorder(self) -> Callable[..., Any]:
        """The worker middleware that records each failed job's error (`job_failure`)."""
        from fordring.adapters.job_queue import record_failures

        return record_failures

    def job_failure_cleanup(self) -> Callable[[procrastinate.App], Awaitable[None]]:
        """Deletes the recorded failures of jobs no longer in the queue."""
        from fordring.adapters.job_queue import forget_deleted_jobs_failures

        return forget_deleted_jobs_failures

    def last_job_failures(
        self, queue: procrastinate.App, job_ids: Sequence[int]
    ) -> dict[int, JobFailure]:
        """The last failed try of each of `job_ids` that has one (`queue` opened)."""
        from fordring.adapters.job_queue import last_failures

        return last_failures(queue, job_ids)

    def close(self) -> None:
        """Stop the renderers that were started (none if no PDF was made)."""
        for name in ("letters", "invoices"):
            renderer = self.__dict__.pop(name, None)
            if renderer is not None:
                renderer.close()
        self.__dict__.pop("delivery_channels", None)
        self.__dict__.pop("day_tools", None)
        self.__dict__.pop("queued_day_tools", None)

    def __enter__(self) -> Application:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
