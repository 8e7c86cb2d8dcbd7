"""A payment spread over open items, and the voucher that books it (SPEC P3, in part).

The law's allocation (domain/law/allocation.py) says how much goes to principal, interest
and costs; within a component the oldest item is paid first. What is left is the
customer's credit (account 2900).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.ledger import RECEIVABLES, Posting, Voucher

BANK = "1920"
CUSTOMER_CREDIT = "2900"
PAYMENT_TYPE = "INN"


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An invoice or a charge with what is open on it, oldest first by `sort_key`."""

    invoice_id: int | None
    charge_id: int | None
    open_amount: Decimal
    sort_key: tuple[date, int]


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


def payment_voucher(
    day: date,
    customer_id: int,
    amount: Decimal,
    parts: Sequence[tuple[OpenItem, Decimal]],
    overpayment: Decimal,
    text: str,
) -> Voucher:
    """Debit the bank, credit each open item paid, and the customer's credit for the rest."""
    postings = [Posting(BANK, amount, text=text)]
    postings += [
        Posting(RECEIVABLES, -part, customer_id, item.invoice_id, text, item.charge_id)
        for item, part in parts
    ]
    if overpayment:
        postings.append(Posting(CUSTOMER_CREDIT, -overpayment, customer_id, text=text))
    return Voucher(PAYMENT_TYPE, day, text, tuple(postings))
