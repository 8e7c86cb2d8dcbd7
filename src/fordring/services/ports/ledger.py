"""The general ledger and the customer ledger (reskontro)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from fordring.domain.ledger import Voucher, VoucherType
from fordring.domain.reskontro import AgingRow


class LedgerRepository(Protocol):
    def reserve_ids(self, count: int) -> int: ...
    def add_many(self, vouchers: Sequence[Voucher]) -> None:
        """Store vouchers that carry their id and number; postings first, voucher last."""
        ...

    def add_numbered(self, vouchers: Sequence[Voucher], first_id: int, first_number: int) -> None:
        """Store vouchers in order with consecutive ids and numbers from the first given."""
        ...

    def add_voucher_types(self, types: Sequence[VoucherType]) -> None: ...
    def voucher_types(self) -> list[VoucherType]: ...
    def get(self, number: int) -> Voucher | None: ...
    def by_id(self, voucher_id: int) -> Voucher | None: ...
    def balance_of(self, account: str, invoice_id: int) -> Decimal:
        """The sum of the postings on `account` that name the invoice."""
        ...

    def vouchers(self, since: date | None, limit: int) -> list[Voucher]: ...
    def trial_balance(self, until: date | None) -> list[TrialBalanceLine]: ...
    def open_item_mismatches(self) -> list[tuple[int, Decimal, Decimal]]:
        """Invoices whose open amount differs from the sum of their receivable postings."""
        ...

    def charge_mismatches(self) -> list[tuple[int, Decimal, Decimal]]:
        """Charges whose open amount differs from the sum of their receivable postings."""
        ...

    def orphan_postings(self) -> int:
        """Postings whose voucher was never written."""
        ...

    def vouchers_in(self, start: date, end: date, after: int, limit: int) -> list[Voucher]:
        """Up to `limit` vouchers dated `start`..`end` numbered after `after`, in order."""
        ...

    def period_totals(self, start: date, end: date) -> tuple[int, Decimal, Decimal]:
        """The vouchers dated `start`..`end`: how many, their debits and their credits."""
        ...

    def customer_balances(self, until: date) -> dict[int, Decimal]:
        """Each customer's receivable balance at the end of `until`, by customer id."""
        ...

    def invoice_references(self, ids: Sequence[int]) -> dict[int, tuple[int, str, date, int]]:
        """Invoices by id: (number, KID, due date, customer id)."""
        ...


class ReskontroQueries(Protocol):
    def aging(self, as_of: date, *, by_customer: bool) -> list[AgingRow]: ...


@dataclass(frozen=True, slots=True)
class TrialBalanceLine:
    account: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit
