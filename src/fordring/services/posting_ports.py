"""The ports of the posting service: what it reads to derive state from a voucher's
postings (the payment, charges and settlement it belongs to) and to prove that payments,
charges and settlements agree with the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from fordring.services.ports import PaymentRow


@dataclass(frozen=True, slots=True)
class VoucherCharge:
    """A charge (fee, salær, interest) and the voucher that charged it."""

    id: int
    case_id: int
    kind: str
    amount: Decimal
    open_amount: Decimal
    voucher_id: int


@dataclass(frozen=True, slots=True)
class SettlementTotals:
    """What a settlement pays: how many payments, what reached the client account for
    them (read from the ledger) and what the collector keeps (their salær)."""

    payments: int
    received: Decimal
    kept: Decimal


class MoneyState(Protocol):
    def payment_of_voucher(self, voucher_id: int) -> PaymentRow | None: ...
    def reversed_by(self, voucher_id: int) -> int | None: ...
    def charges_of_voucher(self, voucher_id: int) -> list[VoucherCharge]: ...
    def cases_of(self, invoice_ids: list[int], charge_ids: list[int]) -> list[int]: ...
    def settlement_of_voucher(self, voucher_id: int) -> int | None: ...
    def unsettled_totals(self, before: date, account: str) -> SettlementTotals: ...
    def mark_settled(self, before: date, settlement_id: int) -> int: ...
    def reversed_but_standing(self) -> list[int]: ...
    def reversed_twice(self) -> list[int]: ...
    def shared_kids(self) -> list[str]: ...
    def held_for_settlement(self, account: str) -> Decimal: ...
    def settlement_mismatches(self, account: str) -> list[tuple[int, Decimal, Decimal]]: ...
    def unmatched_total(self) -> Decimal: ...
    def account_balance(self, account: str) -> Decimal: ...
