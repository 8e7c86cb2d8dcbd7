"""Holding a bank file's look-alikes (issue 14): before a file's payments are matched, each
is compared with the payments already booked on its day (domain/look_alikes.py); one that
looks like one of them is held for a person instead of booked. One query for the whole
file; nothing more when none was booked on its days (a bank's daily file, the benchmark).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fordring.domain.bank_files import BankTransaction, received_on
from fordring.domain.look_alikes import LookAlikes
from fordring.domain.payments import Channel
from fordring.services.ports import HeldPayment, UnitOfWork


def hold_look_alikes(
    uow: UnitOfWork,
    transactions: Sequence[BankTransaction],
    channels: Sequence[Channel],
    bank_file_id: int,
) -> set[int]:
    """Hold the transactions that look like payments already booked (stored with the
    bank file's id); the positions of those held."""
    if not transactions:
        return set()
    days = [received_on(t) for t in transactions]
    seen = LookAlikes(uow.payments.seen_between(min(days), max(days)))
    if not seen:
        return set()
    found: list[tuple[int, int, str]] = []  # (position, like payment, why)
    for n, (t, day) in enumerate(zip(transactions, days, strict=True)):
        amount = -t.amount if t.reversal else t.amount
        alike = seen.of(day, amount, t.kid or "", t.payer_account, t.archive_ref)
        if alike is not None:
            found.append((n, *alike))
    if found:
        first = uow.series.take("held", len(found))
        uow.payments.hold(
            [
                _held(first + k, transactions[n], channels[n], days[n], bank_file_id, like, why)
                for k, (n, like, why) in enumerate(found)
            ]
        )
    return {n for n, _, _ in found}


def _held(
    number: int,
    t: BankTransaction,
    channel: Channel,
    day: date,
    bank_file_id: int,
    like: int,
    why: str,
) -> HeldPayment:
    return HeldPayment(
        id=0,
        number=number,
        bank_file_id=bank_file_id,
        place=t.where,
        channel=channel.value,
        received_on=day,
        amount=-t.amount if t.reversal else t.amount,
        kid=t.kid or "",
        text=t.text,
        payer_name=t.payer_name,
        payer_account=t.payer_account,
        archive_ref=t.archive_ref,
        transaction_type=t.transaction_type,
        credit_note=t.credit_note,
        like_payment=like,
        reason=why,
    )
