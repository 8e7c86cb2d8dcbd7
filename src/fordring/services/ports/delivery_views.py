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
    document: str  # "invoice 1001", "case 17", "collection list 2026-04-14"
    customer_number: int | None  # None: the collection list goes to the creditor
    customer_name: str
    queued_on: date
    state: str
    channel: str
    attempts: tuple[AttemptRecord, ...]
    # On paper: the day whose post it went in, and its print batch of that day (None: in
    # none yet, the next delivery makes it; docs/delivery.md).
    post_day: date | None = None
    print_batch: int | None = None
