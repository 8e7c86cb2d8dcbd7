"""A payment split over what a debtor owes, and the voucher that books it (SPEC P3).

The law's allocation (domain/law/allocation.py) says how much goes to costs (fees and
salær), interest and principal; within a component the oldest item is paid first. Interest
that has accrued but is not charged yet is charged now for the part the payment covers
(a new interest charge, paid at once). What is left is overpayment: the customer's credit.
Every øre of the payment lands in exactly one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from fordring.domain.collection.case_facts import ChargeKind
from fordring.domain.law.allocation import Allocation, Component, Owed, allocate
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher, VoucherTypeCode

ZERO = Decimal(0)


class Channel(StrEnum):
    """Where the money came in."""

    DIRECT = "direct"  # the creditor's own account
    CLIENT = "client"  # the collector's client account: settled the next banking day


class PaymentStatus(StrEnum):
    MATCHED = "matched"  # allocated to a customer's open items
    UNMATCHED = "unmatched"  # waits in the queue on the unmatched account
    CREDIT = "credit"  # kept whole as a customer's credit (from the queue)
    REFUNDED = "refunded"  # paid back from the queue
    REVERSED = "reversed"  # taken back by the bank (a reversal)


class ItemKind(StrEnum):
    """What an open item is, so what a payment pays: an invoice's principal, or a charge
    of its `ChargeKind` (the same names: one vocabulary, docs/glossary.md)."""

    PRINCIPAL = "principal"  # an invoice's open amount
    FEE = ChargeKind.FEE.value
    SALAER = ChargeKind.SALAER.value
    INTEREST = ChargeKind.INTEREST.value
    COMPENSATION = ChargeKind.COMPENSATION.value  # standard compensation, a cost like a fee


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An invoice or a charge (on an invoice) with what is open on it, oldest first by
    `sort_key`."""

    invoice_id: int | None
    charge_id: int | None
    open_amount: Decimal
    sort_key: tuple[date, int]
    kind: ItemKind = ItemKind.PRINCIPAL


class ItemRef(StrEnum):
    """What a payment matched by hand names: one case, or invoices (by number)."""

    CASE = "case"
    INVOICE = "invoice"


class MatchItem(NamedTuple):
    kind: ItemRef
    number: int


@dataclass(frozen=True, slots=True)
class Payable:
    """What one payment can pay, as of its day: a customer's open invoices and charges and
    the interest accrued on them that no charge claims yet (per invoice, oldest due first)."""

    customer_id: int
    invoices: tuple[OpenItem, ...]
    charges: tuple[OpenItem, ...] = ()
    uncharged_interest: tuple[tuple[int, Decimal], ...] = ()
    in_collection: bool = False

    def owed(self) -> Owed:
        costs = sum((c.open_amount for c in self.charges if c.kind is not ItemKind.INTEREST), ZERO)
        charged = sum((c.open_amount for c in self.charges if c.kind is ItemKind.INTEREST), ZERO)
        return Owed(
            costs=costs,
            interest=charged + sum((a for _, a in self.uncharged_interest), ZERO),
            principal=sum((i.open_amount for i in self.invoices), ZERO),
        )


@dataclass(frozen=True, slots=True)
class Split:
    """A payment's lines: existing items paid, interest charged and paid now, overpayment."""

    amount: Decimal
    allocation: Allocation
    parts: tuple[tuple[OpenItem, Decimal], ...]
    new_interest: tuple[tuple[int, Decimal], ...]  # (invoice id, interest charged now)
    overpayment: Decimal

    def paid(self, kind: ItemKind) -> Decimal:
        total = sum((part for item, part in self.parts if item.kind is kind), ZERO)
        if kind is ItemKind.INTEREST:
            total += sum((a for _, a in self.new_interest), ZERO)
        return total

    def describe(self, label: dict[ItemKind, str] | None = None) -> str:
        names = label or {k: k.value for k in ItemKind}
        said = [f"{self.paid(k)} to {names[k]}" for k in ItemKind if self.paid(k)]
        if self.overpayment:
            said.append(f"{self.overpayment} overpaid")
        return ", ".join(said) or "nothing"


def spread(amount: Decimal, items: Sequence[OpenItem]) -> list[tuple[OpenItem, Decimal]]:
    """`amount` over `items`, oldest first, never more than is open on each."""
    parts: list[tuple[OpenItem, Decimal]] = []
    left = amount
    for item in sorted(items, key=lambda i: i.sort_key):
        if left <= 0:
            break
        part = min(left, item.open_amount)
        if part > 0:
            parts.append((item, part))
            left -= part
    return parts


def split_payment(amount: Decimal, payable: Payable, *, principal_first: bool = False) -> Split:
    """Split `amount` by the law's order for the stage (in collection: costs, interest,
    principal; before it: principal first); `principal_first` is the debtor's choice, e.g. a
    payment with the invoice's own KID to the creditor's account."""
    allocation = allocate(
        amount,
        payable.owed(),
        in_collection=payable.in_collection,
        debtor_choice=(Component.PRINCIPAL,) if principal_first else None,
    )
    parts = spread(allocation.to(Component.PRINCIPAL), payable.invoices)
    parts += spread(
        allocation.to(Component.COSTS),
        [c for c in payable.charges if c.kind is not ItemKind.INTEREST],
    )
    interest = allocation.to(Component.INTEREST)
    charged = spread(interest, [c for c in payable.charges if c.kind is ItemKind.INTEREST])
    parts += charged
    left = interest - sum((part for _, part in charged), ZERO)
    new_interest: list[tuple[int, Decimal]] = []
    for invoice_id, accrued in payable.uncharged_interest:
        part = min(left, accrued)
        if part > 0:
            new_interest.append((invoice_id, part))
            left -= part
    return Split(amount, allocation, tuple(parts), tuple(new_interest), allocation.overpayment)


@dataclass(frozen=True, slots=True)
class PaymentAccounts:
    received: str  # where the money came in: the bank, or the collection intermediate
    credit: str  # overpayments: the customer's credit


def payment_voucher(
    day: date,
    customer_id: int,
    split: Split,
    new_interest_charges: Sequence[int],
    accounts: PaymentAccounts,
    text: str,
    type_code: str = VoucherTypeCode.PAYMENT,
) -> Voucher:
    """Debit where the money is, credit each open item paid (interest charged now under its
    new charge id), and the customer's credit for the rest."""
    postings = [Posting(accounts.received, split.amount, text=text)]
    # A charge is its own open item: its posting names the charge, not the invoice.
    postings += [
        Posting(
            RECEIVABLES,
            -part,
            customer_id,
            item.invoice_id if item.charge_id is None else None,
            text,
            item.charge_id,
        )
        for item, part in split.parts
    ]
    postings += [
        Posting(RECEIVABLES, -part, customer_id, None, text, charge_id)
        for (_, part), charge_id in zip(split.new_interest, new_interest_charges, strict=True)
    ]
    if split.overpayment:
        postings.append(Posting(accounts.credit, -split.overpayment, customer_id, text=text))
    return Voucher(type_code, day, text, tuple(postings))
