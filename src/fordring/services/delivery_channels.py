"""The channels the delivery chain sends by (delivery.py), as one value the entry points
build from the settings (bootstrap) and hand to the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fordring.services.ports import (
    AccessPoint,
    EhfWriter,
    InvoiceRenderer,
    LetterRenderer,
    Mailer,
    PaperOutbox,
    ReceiverLookup,
)
from fordring.services.receivers import RECEIVER_TTL


@dataclass
class DeliveryChannels:
    """The adapters the chain uses; a channel left out (None) is skipped with the reason."""

    invoice_pdf: InvoiceRenderer
    letter_pdf: LetterRenderer
    outbox: PaperOutbox
    ehf: EhfWriter | None = None
    receivers: ReceiverLookup | None = None
    access_point: AccessPoint | None = None
    mailer: Mailer | None = None
    receiver_ttl: timedelta = RECEIVER_TTL
