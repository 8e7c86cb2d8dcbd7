"""Fees for reminders (purring), collection notices (inkassovarsel) and the creditor's own
payment demand (betalingsoppfordring): whether one may be charged, and how much
(inkassoforskriften §§ 1-2, 1-3; DOMAIN.md §§ 2-3)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from fordring.domain.law.deadlines import FEE_EARLIEST_DAYS, earliest_fee_date
from fordring.domain.law.explanation import Explanation, Line, fraction_text
from fordring.domain.law.tables import RateBook
from fordring.domain.money import round_ore

MISSED_DEADLINE_DAYS = 14  # § 1-3 and § 1-2 (3): the missed deadline must be >= 14 days
MAX_REMINDER_FEES = 2  # § 1-3: two reminders + demand, or reminder + notice + demand
SOURCES = {
    "purring": "inkassoforskriften §§ 1-2 (1), 1-3",
    "inkassovarsel": "inkassoforskriften §§ 1-2 (2), 1-3; inkassoloven § 9",
    "betalingsoppfordring": "inkassoforskriften § 1-2 (3); inkassoloven § 10",
}


class LawLetterKind(StrEnum):
    """The letters the fee rules know (§§ 1-2, 1-3); the letters fordring sends are
    `collection.letters.LetterKind` (case_facts.LAW_LETTER_KIND maps the ones that match)."""

    PURRING = "purring"  # reminder
    INKASSOVARSEL = "inkassovarsel"  # collection notice, inkassoloven § 9
    BETALINGSOPPFORDRING = "betalingsoppfordring"  # the creditor's own payment demand, § 10


@dataclass(frozen=True, slots=True)
class EarlierLetter:
    """A letter already sent about the same claim, with the deadline it set."""

    kind: LawLetterKind
    sent: date
    deadline: date
    fee_charged: bool


@dataclass(frozen=True, slots=True)
class FeeHistory:
    """What earlier letters on the claim mean for the next fee."""

    reminder_fees: int = 0
    notice_fees: int = 0
    demand_fees: int = 0
    first_reminder_deadline_missed: bool = False  # >= 14-day deadline in the first paid reminder
    deadline_missed: bool = False  # >= 14-day deadline in any reminder or notice

    @classmethod
    def of(cls, letters: Sequence[EarlierLetter], on: date) -> FeeHistory:
        """The history as it stands when a new letter is sent on `on`."""

        def missed(letter: EarlierLetter) -> bool:
            long_enough = (letter.deadline - letter.sent).days >= MISSED_DEADLINE_DAYS
            return long_enough and on > letter.deadline

        charged = [x for x in sorted(letters, key=lambda x: x.sent) if x.fee_charged]
        reminders = [x for x in charged if x.kind is LawLetterKind.PURRING]
        return cls(
            reminder_fees=len(reminders),
            notice_fees=sum(1 for x in charged if x.kind is LawLetterKind.INKASSOVARSEL),
            demand_fees=sum(1 for x in charged if x.kind is LawLetterKind.BETALINGSOPPFORDRING),
            first_reminder_deadline_missed=bool(reminders) and missed(reminders[0]),
            deadline_missed=any(
                missed(x) for x in letters if x.kind is not LawLetterKind.BETALINGSOPPFORDRING
            ),
        )


@dataclass(frozen=True, slots=True)
class FeeDecision:
    kind: LawLetterKind
    allowed: bool
    amount: Decimal
    reason: str
    explanation: Explanation


def letter_fee(
    kind: LawLetterKind, *, due: date, sent: date, book: RateBook, history: FeeHistory | None = None
) -> FeeDecision:
    """May a letter of `kind`, sent on `sent` for a claim due on `due`, carry a fee, and how
    much?"""
    history = history or FeeHistory()
    refusal = _refusal(kind, due, sent, history)
    if refusal is not None:
        explanation = Explanation(
            f"{kind} fee", SOURCES[kind], (), Decimal("0.00"), notes=(refusal,)
        )
        return FeeDecision(kind, False, Decimal("0.00"), refusal, explanation)
    explanation = fee_amount(kind, due=due, sent=sent, book=book)
    days = (sent - due).days
    reason = f"sent {days} days after the due date (at least {FEE_EARLIEST_DAYS})"
    if kind is LawLetterKind.BETALINGSOPPFORDRING:
        reason += "; the debtor missed a deadline of at least 14 days in a reminder or notice"
    elif history.reminder_fees:
        reason += "; the debtor missed the 14-day deadline of the first reminder"
    explanation = dataclasses.replace(explanation, notes=(reason, *explanation.notes))
    return FeeDecision(kind, True, explanation.total, reason, explanation)


def fee_amount(kind: LawLetterKind, *, due: date, sent: date, book: RateBook) -> Explanation:
    """The fee: a fraction (by the claim's due date) of the inkassosats of the sending day."""
    table = (
        book.demand_fee_fraction
        if kind is LawLetterKind.BETALINGSOPPFORDRING
        else book.reminder_fee_fraction
    )
    fraction, sats = table.at(due), book.inkassosats.at(sent)
    amount = round_ore(fraction.value * sats.value)
    text = (
        f"{fraction_text(fraction.value)} (due {due}) × inkassosats {sats.value:.2f} (sent {sent})"
    )
    return Explanation(
        f"{kind} fee",
        SOURCES[kind],
        (Line(text, amount),),
        amount,
        confirmed=fraction.confirmed and sats.confirmed,
    )


def _refusal(kind: LawLetterKind, due: date, sent: date, history: FeeHistory) -> str | None:
    days = (sent - due).days
    if days < FEE_EARLIEST_DAYS:
        return (
            f"sent {days} days after the due date; a fee needs at least {FEE_EARLIEST_DAYS} "
            f"(from {earliest_fee_date(due)})"
        )
    if kind is LawLetterKind.BETALINGSOPPFORDRING:
        if history.demand_fees:
            return "a payment demand fee was already charged on this claim (at most one)"
        if not history.deadline_missed:
            return (
                "the debtor has not missed a deadline of at least 14 days in a reminder or notice"
            )
        return None
    if history.notice_fees:
        return "a notice fee was already charged; no further reminder or notice fee (§ 1-3)"
    if history.reminder_fees >= MAX_REMINDER_FEES:
        return (
            f"{history.reminder_fees} reminder fees already charged; "
            f"at most {MAX_REMINDER_FEES} per claim (§ 1-3)"
        )
    if history.reminder_fees and not history.first_reminder_deadline_missed:
        return (
            "a second fee needs the debtor to have missed a deadline of at least 14 days "
            "set in the first reminder (§ 1-3)"
        )
    if history.demand_fees:
        return "a payment demand fee was already charged; no reminder or notice fee after it"
    return None
