"""A bank file's look-alikes held for a person (issue 14): what the import compares its
payments with, and the held payments themselves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from fordring.domain.look_alikes import Seen


class HeldStatus(StrEnum):
    HELD = "held"  # waits for a person
    RELEASED = "released"  # booked as the import would have: `payment_number`
    DROPPED = "dropped"  # the bank's file again: nothing booked


@dataclass(frozen=True, slots=True)
class HeldPayment:
    """A bank file's payment (or money out) held, not booked, and why."""

    id: int
    number: int
    bank_file_id: int
    place: str
    channel: str
    received_on: date
    amount: Decimal  # negative: money out (a reversal or a credit note)
    kid: str
    text: str
    payer_name: str
    payer_account: str
    archive_ref: str
    transaction_type: str
    credit_note: bool
    like_payment: int
    reason: str
    status: str = HeldStatus.HELD.value
    decided_on: date | None = None
    payment_number: int | None = None


class PaymentHolds(Protocol):
    def seen_between(self, first: date, last: date) -> list[Seen]:
        """The payments received on the days from `first` to `last` (any status)."""
        ...

    def hold(self, rows: Sequence[HeldPayment]) -> None:
        """Store held payments (their ids are the database's)."""
        ...

    def held(self, number: int, *, lock: bool = False) -> HeldPayment | None:
        """`lock`: hold its row until commit (the read decides a write)."""
        ...

    def held_listing(self, *, waiting_only: bool, limit: int) -> list[HeldPayment]: ...

    def decide_held(self, row: HeldPayment) -> None:
        """Store a decision (status, day, payment) if it is still held, else Conflict."""
        ...
