"""Wires the real adapters to the services: the database, the clock, the law's rate file.

`Application` is the application built once from its `Settings` (fordring/settings.py):
the CLI builds one per command line, and a web process or a worker builds one at start;
each part is made when first used and then kept. The functions below it build single
parts from the environment for the commands that do not take the application yet.
Entry points get everything they need from here, so they never import an adapter.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from sqlalchemy.engine import make_url

from fordring.adapters import clock
from fordring.adapters.csv_imports import CustomerCsv, InvoiceCsv
from fordring.adapters.db import waiting
from fordring.adapters.db.engine import (
    DEFAULT_DATABASE_URL,
    NotInitialised,
    forget_database,
    normalise_url,
    open_database,
)
from fordring.adapters.db.unit_of_work import SqlUnitOfWorkFactory
from fordring.adapters.email.pickup import PickupFolderMailer
from fordring.adapters.email.smtp import SmtpMailer, SmtpSettings
from fordring.adapters.law_rates_file import load_rate_book
from fordring.adapters.paper_outbox import FolderOutbox
from fordring.adapters.pdf import TypstLetterRenderer
from fordring.adapters.safe_files import Content, write_new
from fordring.domain.saft import ExportAccount, ExportCustomer, ExportHeader, ExportVoucher
from fordring.services.progress import Progress, no_progress
from fordring.settings import (
    ACCESS_POINT_ENV,
    ACCESS_POINT_TOKEN_ENV,
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

    from fordring.adapters.bank_file_reader import BankFileReader
    from fordring.adapters.pdf.invoice_pdf import TypstInvoiceRenderer
    from fordring.adapters.saft.reader import SaftFile
    from fordring.adapters.settlement_documents import FolderArchive, SettlementDocuments
    from fordring.domain.law.tables import RateBook
    from fordring.services.business_day import DayTools
    from fordring.services.delivery import DeliveryChannels
    from fordring.services.ports import (
        AccessPoint,
        EhfWriter,
        LetterRenderer,
        Mailer,
        ReceiverLookup,
    )

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


def letter_renderer() -> TypstLetterRenderer:
    """The PDF renderer; close it (or use `with`) to stop its worker processes."""
    return TypstLetterRenderer()


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


def mailer(settings: Settings | None = None) -> Mailer | None:
    """The SMTP mailer configured by FORDRING_SMTP_URL (smtp://host:port?from=…), else a
    pickup folder (FORDRING_MAIL_PICKUP), else None: no e-mail is sent."""
    s = settings or Settings.from_env()
    if s.smtp_url:
        return SmtpMailer(SmtpSettings.from_url(s.smtp_url))
    return PickupFolderMailer(s.mail_pickup) if s.mail_pickup else None


# --- delivery (issue 6): EHF through an access point, e-mail, paper ---------------------


def now() -> datetime:
    """The moment, in Europe/Oslo: for delivery logs and the Peppol cache."""
    return clock.now_in_oslo()


def invoice_renderer() -> TypstInvoiceRenderer:
    """The invoice PDF renderer; close it (or use `with`) to stop its worker processes."""
    from fordring.adapters.pdf.invoice_pdf import TypstInvoiceRenderer

    return TypstInvoiceRenderer()


def ehf_writer() -> EhfWriter:
    """Writes EHF (UBL 2.1, Peppol BIS Billing 3.0), checked before it is sent."""
    from fordring.adapters.ehf.writer import UblEhfWriter

    return UblEhfWriter()


def receiver_lookup(settings: Settings | None = None) -> ReceiverLookup:
    """Who takes EHF: the offline list (FORDRING_PEPPOL_LIST) or the Peppol SML/SMP
    (zone FORDRING_PEPPOL_ZONE, nameserver FORDRING_PEPPOL_DNS)."""
    s = settings or Settings.from_env()
    if s.peppol_list:
        from fordring.adapters.peppol.offline import OfflineParticipantList

        return OfflineParticipantList(s.peppol_list, now=now)
    from fordring.adapters.peppol.sml import SmlLookup
    from fordring.domain.peppol import PRODUCTION_ZONE

    return SmlLookup(s.peppol_zone or PRODUCTION_ZONE, s.peppol_dns, now=now)


def access_point(settings: Settings | None = None) -> AccessPoint | None:
    """The Peppol access point EHF documents are handed to (FORDRING_ACCESS_POINT: a
    folder it picks up from, or the URL of its HTTP API), or None: no EHF is sent."""
    s = settings or Settings.from_env()
    if not s.access_point:
        return None
    from fordring.adapters.peppol.access_point import FolderAccessPoint, HttpAccessPoint

    if s.access_point.startswith(("http://", "https://")):
        return HttpAccessPoint(s.access_point, s.access_point_token)
    return FolderAccessPoint(s.access_point)


def delivery_channels(
    outbox: str | None, letters: LetterRenderer, invoices: TypstInvoiceRenderer
) -> DeliveryChannels:
    """Every channel of the delivery chain as configured by the environment."""
    return _channels(Settings.from_env().overridden(outbox=outbox), letters, invoices)


def _channels(
    settings: Settings, letters: LetterRenderer, invoices: TypstInvoiceRenderer
) -> DeliveryChannels:
    from fordring.services.delivery import DeliveryChannels

    point = access_point(settings)
    return DeliveryChannels(
        invoice_pdf=invoices,
        letter_pdf=letters,
        outbox=FolderOutbox(settings.outbox),
        ehf=ehf_writer() if point is not None else None,
        receivers=receiver_lookup(settings) if point is not None else None,
        access_point=point,
        mailer=mailer(settings),
    )


def demo_channels(
    folder: str,
    participants: Sequence[str],
    letters: LetterRenderer,
    invoices: TypstInvoiceRenderer,
) -> DeliveryChannels:
    """The demo's delivery chain, with no network: an offline Peppol list of
    `participants`, an access-point folder, a mail pickup folder and the paper outbox, all
    under `folder` (emptied first)."""
    from fordring.adapters.peppol.access_point import FolderAccessPoint
    from fordring.adapters.peppol.offline import OfflineParticipantList
    from fordring.services.delivery import DeliveryChannels

    root = Path(folder)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    listed = root / "peppol-participants.txt"
    listed.write_text(
        "# Peppol participants that take EHF invoices (the demo's offline list)\n"
        + "".join(f"{p}\n" for p in participants),
        encoding="utf-8",
    )
    return DeliveryChannels(
        invoice_pdf=invoices,
        letter_pdf=letters,
        outbox=FolderOutbox(root / "paper"),
        ehf=ehf_writer(),
        receivers=OfflineParticipantList(listed, now=now),
        access_point=FolderAccessPoint(root / "ehf"),
        mailer=PickupFolderMailer(root / "email", "faktura@demo.example"),
    )


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

    def configured(self, *, outbox: str | None = None, rates: str | None = None) -> Application:
        """The application with a command's own options (None: not given); itself when
        none is given. Build it before using any part: parts are not shared."""
        if outbox is None and rates is None:
            return self
        return Application(self.settings.overridden(outbox=outbox, rates_file=rates))

    @cached_property
    def uow_factory(self) -> SqlUnitOfWorkFactory:
        """Units of work over the database (`database_url`): `uow_factory(scope)` for one
        company, `uow_factory.unscoped()` for the global jobs; NotInitialised if it has no
        schema yet."""
        return uow_factory(self.settings.database_url)

    @cached_property
    def rate_book(self) -> RateBook:
        """The law's tables with the operator's rates file (`rates_file`)."""
        return load_rate_book(self.settings.rates_file)

    @cached_property
    def letters(self) -> TypstLetterRenderer:
        """Letters and collection lists as PDF (Typst worker processes)."""
        return letter_renderer()

    @cached_property
    def invoices(self) -> TypstInvoiceRenderer:
        """Invoices and credit notes as PDF (Typst worker processes)."""
        return invoice_renderer()

    @cached_property
    def delivery_channels(self) -> DeliveryChannels:
        """The chain EHF -> e-mail -> paper: the access point and Peppol lookup
        (`access_point`, `peppol_*`), the mailer (`smtp_url`, `mail_pickup`), the paper
        outbox (`outbox`)."""
        return _channels(self.settings, self.letters, self.invoices)

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
        )

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

    def close(self) -> None:
        """Stop the renderers that were started (none if no PDF was made)."""
        for name in ("letters", "invoices"):
            renderer = self.__dict__.pop(name, None)
            if renderer is not None:
                renderer.close()
        self.__dict__.pop("delivery_channels", None)
        self.__dict__.pop("day_tools", None)

    def __enter__(self) -> Application:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
