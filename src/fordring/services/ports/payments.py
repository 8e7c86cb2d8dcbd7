"""Payments, bank files and settlements: what matching and posting write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from fordring.services.ports.payment_holds import PaymentHolds

if TYPE_CHECKING:
    from fordring.services.ports.payment_views import PaymentView, SettlementRecord


class PaymentRepository(PaymentHolds, Protocol):
    def find_bank_file(self, sha256: str, format: str, file_id: str) -> BankFileRecord | None:
        """A file read before: the same content, or the same id from the bank."""
        ...

    def add_bank_file(
        self,
        format: str,
        file_id: str,
        sha256: str,
        filename: str,
        day: date,
        transactions: int,
        total: Decimal,
    ) -> int: ...
    def targets_by_kid(self, kids: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
        """(case id by case KID, invoice id by invoice KID) for the KIDs that exist."""
        ...

    def open_invoices_by_number(self, numbers: Iterable[int]) -> dict[int, int]:
        """invoice number → id, for the numbers that are open invoices (or paid ones with
        fees or interest open)."""
        ...

    def lookup(self, case_ids: Iterable[int], invoice_ids: Iterable[int]) -> PaymentLookup: ...
    def reserve_ids(self, count: int) -> int: ...
    def add_payments(self, rows: Iterable[PaymentRow]) -> None: ...
    def prepare_lookups(self, payments: int) -> None:
        """Before matching `payments` payments at once: let the database refresh the
        statistics of what they are matched against, if the batch is large."""
        ...

    def get(self, number: int, *, lock: bool = False) -> PaymentView | None:
        """`lock`: hold the payment's row until commit (a read that decides a write)."""
        ...

    def lock_targets(self, case_ids: Iterable[int], invoice_ids: Iterable[int]) -> None:
        """Hold these cases' and invoices' rows until commit, before reading what is open."""
        ...

    def listing(
        self, *, status: str | None, limit: int, number_from: int = 0
    ) -> list[PaymentView]: ...
    def views(self, payment_ids: Sequence[int]) -> list[PaymentView]: ...
    def update(self, row: PaymentRow, *, was: PaymentRow | None = None) -> None:
        """Store what became of a payment (status, match, split, settlement); with `was`,
        only if its status and refunds are still as read, else `Conflict`."""
        ...

    def reversible(self, kid: str, amount: Decimal) -> PaymentRow | None:
        """The latest payment with this KID and amount that a reversal can take back."""
        ...

    def candidates(
        self, amounts: Iterable[Decimal], words: Iterable[str]
    ) -> list[tuple[str, str, Decimal]]:
        """Open invoices and cases owing one of `amounts`, and open invoices of customers
        whose name has one of `words`: (label, customer name, owed)."""
        ...

    def add_to_charge_open_amounts(self, changes: dict[int, Decimal]) -> None: ...
    def unsettled(self, matched_before: date) -> list[PaymentView]:
        """Client-account payments matched before `matched_before` and not yet settled."""
        ...

    def add_settlement(
        self,
        number: int,
        day: date,
        totals: tuple[int, Decimal, Decimal, Decimal],  # payments, received, kept, paid out
        voucher_id: int | None,
    ) -> int: ...
    def mark_settled(self, payment_ids: Sequence[int], settlement_id: int) -> None: ...
    def settlements(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[SettlementRecord]:
        """The settlements by number: those after number `after`, at most `limit`."""
        ...

    def settlement(self, number: int) -> SettlementRecord | None: ...
    def settlement_on(self, day: date) -> SettlementRecord | None: ...
    def settled_payments(
        self, settlement_id: int, *, after: int | None = None, limit: int | None = None
    ) -> list[PaymentView]:
        """The settlement's payments by number: those after number `after`, at most
        `limit` (every one by default)."""
        ...

    def mark_written(self, settlement_id: int, pdf: str, csv: str) -> None: ...
    # issue 12, payments: a payment in time undoes a later hand-over
    def money_in_time(self, case_id: int, by: date) -> MoneyInTime: ...
    def case_charges(self, case_id: int) -> list[CaseCharge]: ...
    def later_salaer_days(self, case_ids: Sequence[int]) -> dict[int, date]:
        """Per case, the first day salær was charged after the first (heavy salær)."""
        ...

    def case_payments(self, case_id: int) -> list[PaymentRow]:
        """The payments matched to the case (not reversed), oldest first."""
        ...

    def back_before_handover(self, case_ids: Sequence[int]) -> None:
        """Put the cases back as they stood after their collection notice."""
        ...

    def cancel_charges(self, charge_ids: Sequence[int]) -> None:
        """The charges no longer count as charged (amount 0): a correcting voucher cancelled
        them, and letters and the steps see only what stands."""
        ...


@dataclass(frozen=True, slots=True)
class InvoiceItem:
    """An invoice as a payment sees it: what is open, whose it is, its case if any."""

    id: int
    number: int
    customer_id: int
    customer_name: str
    open_amount: Decimal
    due_date: date
    case_id: int | None


@dataclass(frozen=True, slots=True)
class CaseItem:
    id: int
    number: int
    customer_id: int
    state: str
    invoice_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ChargeItem:
    id: int
    case_id: int
    invoice_id: int
    kind: str
    open_amount: Decimal
    charged_on: date


@dataclass(frozen=True, slots=True)
class PaymentLookup:
    """What payments to some cases and invoices can pay: the invoices (of the cases too),
    the cases, their open charges, and per invoice the interest ever charged."""

    invoices: dict[int, InvoiceItem]
    cases: dict[int, CaseItem]
    charges: tuple[ChargeItem, ...]
    interest_charged: dict[int, Decimal]


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """A payment as stored: what the bank said, what became of it, what it paid."""

    id: int
    number: int
    bank_file_id: int | None
    place: str
    channel: str
    received_on: date
    amount: Decimal
    kid: str
    text: str
    payer_name: str
    payer_account: str
    archive_ref: str
    status: str
    matched_by: str
    matched_on: date | None
    customer_id: int | None
    case_id: int | None
    voucher_id: int
    allocation_voucher_id: int | None = None
    principal: Decimal = Decimal(0)
    interest: Decimal = Decimal(0)
    fees: Decimal = Decimal(0)
    salaer: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    settlement_id: int | None = None
    reverses_id: int | None = None
    invoice_numbers: str = ""  # the invoices it paid something on, "10023 10024"


@dataclass(frozen=True, slots=True)
class BankFileRecord:
    id: int
    format: str
    file_id: str
    filename: str
    imported_on: date
    transactions: int


@dataclass(frozen=True, slots=True)
class CaseCharge:
    """A charge of a case, paid or not (a payment in time cancels some)."""

    id: int
    invoice_id: int
    kind: str
    amount: Decimal
    open_amount: Decimal
    charged_on: date


@dataclass(frozen=True, slots=True)
class MoneyInTime:
    """A case's claims and the money that reached them by a day (inkassoloven § 9 (2))."""

    principal: Decimal  # the invoices' totals
    received: Decimal  # payments received by the day, less what was refunded
    credited: Decimal  # credit notes issued by the day
