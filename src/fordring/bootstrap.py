"""Wires the real adapters to the services: the database, the clock, the law's rate file.

Entry points get everything they need from here, so they never import an adapter.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from fordring.adapters import clock
from fordring.adapters.csv_source import CsvFile
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
from fordring.services.ports import UnitOfWorkFactory

if TYPE_CHECKING:
    from fordring.adapters.bank_file_reader import BankFileReader
    from fordring.adapters.pdf.invoice_pdf import TypstInvoiceRenderer
    from fordring.adapters.settlement_documents import FolderArchive, SettlementDocuments
    from fordring.domain.law.tables import RateBook
    from fordring.services.delivery import DeliveryChannels
    from fordring.services.ports import (
        AccessPoint,
        EhfWriter,
        LetterRenderer,
        Mailer,
        ReceiverLookup,
    )

__all__ = [
    "DEFAULT_DATABASE_URL",
    "NotInitialised",
    "display_url",
    "migrate",
    "open_csv",
    "rate_book",
    "today",
    "uow_factory",
]


def today() -> date:
    """The business date when none is given: today in Europe/Oslo."""
    return clock.today_in_oslo()


def uow_factory(database_url: str) -> UnitOfWorkFactory:
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


def open_csv(path: str) -> CsvFile:
    """A CSV file to import, hashed and ready to stream."""
    return CsvFile(path)


def migrate(database_url: str) -> str:
    """Create or upgrade the schema; returns the revision it is at."""
    return open_database(database_url).migrate()


# --- collection letters: where they are rendered and put ---------------------------------
OUTBOX_ENV = "FORDRING_OUTBOX"
DEFAULT_OUTBOX = "outbox"


def letter_renderer() -> TypstLetterRenderer:
    """The PDF renderer; close it (or use `with`) to stop its worker processes."""
    return TypstLetterRenderer()


def paper_outbox(path: str | None = None) -> FolderOutbox:
    """The folder letters to print are put in (argument, FORDRING_OUTBOX, or ./outbox)."""
    return FolderOutbox(path or os.environ.get(OUTBOX_ENV) or DEFAULT_OUTBOX)


def document_archive(path: str | None = None) -> FolderArchive:
    """Where settlement statements are kept: the outbox folder (see `paper_outbox`)."""
    from fordring.adapters.settlement_documents import FolderArchive

    return FolderArchive(path or os.environ.get(OUTBOX_ENV) or DEFAULT_OUTBOX)


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


SMTP_ENV = "FORDRING_SMTP_URL"
MAIL_PICKUP_ENV = "FORDRING_MAIL_PICKUP"  # a folder a mail server picks .eml files up from


def mailer() -> Mailer | None:
    """The SMTP mailer configured by FORDRING_SMTP_URL (smtp://host:port?from=…), else a
    pickup folder (FORDRING_MAIL_PICKUP), else None: no e-mail is sent."""
    url = os.environ.get(SMTP_ENV)
    if url:
        return SmtpMailer(SmtpSettings.from_url(url))
    pickup = os.environ.get(MAIL_PICKUP_ENV)
    return PickupFolderMailer(pickup) if pickup else None


# --- delivery (issue 6): EHF through an access point, e-mail, paper ---------------------
ACCESS_POINT_ENV = "FORDRING_ACCESS_POINT"  # a folder, or an http(s):// access point API
ACCESS_POINT_TOKEN_ENV = "FORDRING_ACCESS_POINT_TOKEN"
PEPPOL_LIST_ENV = "FORDRING_PEPPOL_LIST"  # an offline participant list instead of the SML
PEPPOL_ZONE_ENV = "FORDRING_PEPPOL_ZONE"  # the SML zone (default: production)
PEPPOL_DNS_ENV = "FORDRING_PEPPOL_DNS"  # a nameserver "ip[:port]" to ask instead


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


def receiver_lookup() -> ReceiverLookup:
    """Who takes EHF: the offline list (FORDRING_PEPPOL_LIST) or the Peppol SML/SMP
    (zone FORDRING_PEPPOL_ZONE, nameserver FORDRING_PEPPOL_DNS)."""
    listed = os.environ.get(PEPPOL_LIST_ENV)
    if listed:
        from fordring.adapters.peppol.offline import OfflineParticipantList

        return OfflineParticipantList(listed, now=now)
    from fordring.adapters.peppol.sml import SmlLookup
    from fordring.domain.peppol import PRODUCTION_ZONE

    return SmlLookup(
        os.environ.get(PEPPOL_ZONE_ENV) or PRODUCTION_ZONE,
        os.environ.get(PEPPOL_DNS_ENV) or None,
        now=now,
    )


def access_point() -> AccessPoint | None:
    """The Peppol access point EHF documents are handed to (FORDRING_ACCESS_POINT: a
    folder it picks up from, or the URL of its HTTP API), or None: no EHF is sent."""
    where = os.environ.get(ACCESS_POINT_ENV)
    if not where:
        return None
    from fordring.adapters.peppol.access_point import FolderAccessPoint, HttpAccessPoint

    if where.startswith(("http://", "https://")):
        return HttpAccessPoint(where, os.environ.get(ACCESS_POINT_TOKEN_ENV) or None)
    return FolderAccessPoint(where)


def delivery_channels(
    outbox: str | None, letters: LetterRenderer, invoices: TypstInvoiceRenderer
) -> DeliveryChannels:
    """Every channel of the delivery chain as configured by the environment."""
    from fordring.services.delivery import DeliveryChannels

    point = access_point()
    return DeliveryChannels(
        invoice_pdf=invoices,
        letter_pdf=letters,
        outbox=paper_outbox(outbox),
        ehf=ehf_writer() if point is not None else None,
        receivers=receiver_lookup() if point is not None else None,
        access_point=point,
        mailer=mailer(),
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
RATES_FILE_ENV = "FORDRING_RATES_FILE"


def rate_book(path: str | None = None) -> RateBook:
    """The built-in law tables, overridden by a rates file (argument or FORDRING_RATES_FILE)."""
    return load_rate_book(rates_file_path(path))


def rates_file_path(path: str | None = None) -> str | None:
    """The rates file in use: the argument, else FORDRING_RATES_FILE, else None."""
    return path or os.environ.get(RATES_FILE_ENV) or None
