"""Near-duplicates in bank files (issue 14): a payment that looks like one already booked.

A bank may send a file again under a new transmission number or message id; each of its
payments then looks like one booked before. Where the format gives the bank's own
reference for a transaction (OCR's archive reference, camt.054's AcctSvcrRef), the same
reference with the same amount on the same day is the same payment. Without a reference,
the same KID, amount, day and payer account is. Money out (a reversal, a credit note)
counts with its sign, so it looks only like money out. A look-alike is never booked by
itself: it is held for a person, who knows whether the payer really paid twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Seen:
    """A payment already booked, as a bank file's payment is compared with it."""

    number: int
    day: date
    amount: Decimal  # negative: money out
    kid: str
    payer_account: str
    archive_ref: str


class LookAlikes:
    """The payments booked on some days, looked up by what makes two payments the same."""

    def __init__(self, seen: Iterable[Seen]) -> None:
        self.by_reference: dict[tuple[str, Decimal, date], int] = {}
        self.by_payer: dict[tuple[str, Decimal, date, str], int] = {}
        for s in sorted(seen, key=lambda s: s.number):  # the first booked is named
            if s.archive_ref:
                self.by_reference.setdefault((s.archive_ref, s.amount, s.day), s.number)
            self.by_payer.setdefault((s.kid, s.amount, s.day, s.payer_account), s.number)

    def __bool__(self) -> bool:
        return bool(self.by_payer)

    def of(
        self, day: date, amount: Decimal, kid: str, payer_account: str, archive_ref: str
    ) -> tuple[int, str] | None:
        """(the number of the payment it looks like, why) or None."""
        if archive_ref:
            number = self.by_reference.get((archive_ref, amount, day))
            if number is None:
                return None
            why = f"the same bank reference {archive_ref}, amount {amount} and date {day}"
        else:
            number = self.by_payer.get((kid, amount, day, payer_account))
            if number is None:
                return None
            why = (
                f"the same KID {kid or '(none)'}, amount {amount}, date {day} and payer "
                f"account {payer_account or '(none)'}"
            )
        return number, f"looks like payment {number}: {why}; booked only if released"
