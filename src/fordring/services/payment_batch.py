"""A batch of payments to book: each Incoming payment, what the batch Booked (vouchers with
stand-in ids, charges, events), and the account received money sits on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.history import HistoryEvent
from fordring.domain.ledger import Voucher
from fordring.domain.payments import Channel, Split
from fordring.services.ports import NewCharge, PaymentRow

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Incoming:
    """A payment to book: from a bank file, or registered by hand."""

    place: str
    channel: Channel
    amount: Decimal  # positive
    day: date
    kid: str | None = None
    text: str = ""
    payer_name: str = ""
    payer_account: str = ""
    archive_ref: str = ""


@dataclass
class Booked:
    """What a batch booked, for the caller's report and the payment rows."""

    rows: list[PaymentRow] = field(default_factory=list)
    splits: dict[int, Split] = field(default_factory=dict)  # by payment id
    vouchers: list[Voucher] = field(default_factory=list)
    charges: list[NewCharge] = field(default_factory=list)
    events: list[tuple[date, HistoryEvent]] = field(default_factory=list)  # (day, event)

    plain: bool = True  # one invoice's principal without the general split (bulk imports)
    first_id: int = 0  # the vouchers' ids and numbers, once written
    first_number: int = 0

    def add(self, voucher: Voucher) -> int:
        """Keep `voucher` for writing; its stand-in id until `write_booked` numbers it."""
        self.vouchers.append(voucher)
        return -len(self.vouchers)

    def real_id(self, stand_in: int) -> int:
        """The id of the voucher `add` returned `stand_in` for (after `write_booked`)."""
        return self.first_id - stand_in - 1 if stand_in < 0 else stand_in

    def number(self, stand_in: int) -> int:
        """The voucher number of the voucher `add` returned `stand_in` for."""
        return self.first_number - stand_in - 1


def received_account(channel: Channel, agreement: Agreement) -> str:
    """Where money received on `channel` sits in the creditor's books."""
    return agreement.bank_account if channel is Channel.DIRECT else agreement.settlement_account
