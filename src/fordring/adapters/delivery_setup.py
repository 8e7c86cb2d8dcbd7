"""The delivery chain's parts built from the settings (issue 6): the access point and the
Peppol lookup for EHF, the mailer, the paper outbox; and the demo's chain, which needs no
network. Bootstrap hands them to the entry points."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fordring.adapters import clock
from fordring.adapters.email.pickup import PickupFolderMailer
from fordring.adapters.email.smtp import SmtpMailer, SmtpSettings
from fordring.adapters.paper_outbox import FolderOutbox
from fordring.settings import Settings

if TYPE_CHECKING:
    from fordring.services.delivery_channels import DeliveryChannels
    from fordring.services.ports import (
        AccessPoint,
        EhfWriter,
        InvoiceRenderer,
        LetterRenderer,
        Mailer,
        ReceiverLookup,
    )


def mailer(settings: Settings | None = None) -> Mailer | None:
    """The SMTP mailer configured by FORDRING_SMTP_URL (smtp://host:port?from=…), else a
    pickup folder (FORDRING_MAIL_PICKUP), else None: no e-mail is sent."""
    s = settings or Settings.from_env()
    if s.smtp_url:
        return SmtpMailer(SmtpSettings.from_url(s.smtp_url))
    return PickupFolderMailer(s.mail_pickup) if s.mail_pickup else None


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

        return OfflineParticipantList(s.peppol_list, now=clock.now_in_oslo)
    from fordring.adapters.peppol.sml import SmlLookup
    from fordring.domain.peppol import PRODUCTION_ZONE

    return SmlLookup(s.peppol_zone or PRODUCTION_ZONE, s.peppol_dns, now=clock.now_in_oslo)


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


def channels(
    settings: Settings,
    letters: LetterRenderer,
    invoices: InvoiceRenderer,
) -> DeliveryChannels:
    """Every channel of the delivery chain as `settings` configure it."""
    from fordring.services.delivery_channels import DeliveryChannels

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
    invoices: InvoiceRenderer,
) -> DeliveryChannels:
    """The demo's delivery chain, with no network: an offline Peppol list of
    `participants`, an access-point folder, a mail pickup folder and the paper outbox, all
    under `folder` (emptied first)."""
    from fordring.adapters.peppol.access_point import FolderAccessPoint
    from fordring.adapters.peppol.offline import OfflineParticipantList
    from fordring.services.delivery_channels import DeliveryChannels

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
        receivers=OfflineParticipantList(listed, now=clock.now_in_oslo),
        access_point=FolderAccessPoint(root / "ehf"),
        mailer=PickupFolderMailer(root / "email", "faktura@demo.example"),
    )
