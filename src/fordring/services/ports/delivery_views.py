"""Read models of the delivery queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fordring.services.ports.delivery import AttemptRecord


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """A queued document with every attempt to deliver it (`deliveries list`)."""

    dispatch_id: int
    kind: str
    document: str  # "invoice 1001", "case 17"
    customer_number: int
    customer_name: str
    queued_on: date
    state: str
    channel: str
    attempts: tuple[AttemptRecord, ...]
