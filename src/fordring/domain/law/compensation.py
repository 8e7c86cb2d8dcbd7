"""Standard compensation (standardkompensasjon, forsinkelsesrenteloven § 3a; DOMAIN.md § 5):
a fixed amount per half-year that business and public debtors owe when late, less the
reminder fees already charged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.errors import InvalidInput
from fordring.domain.law.explanation import Explanation, Line
from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import RateBook
from fordring.domain.money import round_ore

RULE = "standard compensation (business and public debtors only)"
SOURCE = "forsinkelsesrenteloven § 3a"


@dataclass(frozen=True, slots=True)
class Compensation:
    applies: bool
    amount: Decimal
    reason: str
    explanation: Explanation


def standard_compensation(
    *, due: date, business: bool, reminder_fees_charged: Decimal, book: RateBook
) -> Compensation:
    """The amount for the half-year the debtor fell into delay (the day after `due`), less
    reminder fees already charged; never below zero. Consumers owe none."""
    if reminder_fees_charged < 0:
        raise InvalidInput.one("fees_charged", f"must not be negative: {reminder_fees_charged}")
    zero = Decimal("0.00")
    if not business:
        reason = "consumer debtor: standard compensation applies to business and public debtors"
        explanation = Explanation(RULE, SOURCE, (), zero, notes=(reason,))
        return Compensation(False, zero, reason, explanation)
    first_late_day = due + timedelta(days=1)
    row = book.standardkompensasjon.at(first_late_day)
    full = round_ore(row.value)
    deducted = min(reminder_fees_charged, full)
    lines = [Line(f"standard compensation {HalfYear.of(first_late_day)}", full)]
    if deducted:
        lines.append(Line("less reminder fees already charged", -deducted))
    total = full - deducted
    reason = f"business debtor late from {first_late_day}; {full:.2f} for that half-year"
    if deducted:
        reason += f", less {deducted:.2f} in reminder fees already charged"
    explanation = Explanation(RULE, SOURCE, tuple(lines), total, row.confirmed, (reason,))
    return Compensation(True, total, reason, explanation)
