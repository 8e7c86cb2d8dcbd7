"""Standard compensation (standardkompensasjon, forsinkelsesrenteloven § 3a; DOMAIN.md § 5):
a fixed amount per half-year that business and public debtors owe when late, less the
reminder fees already charged."""

from __future__ import annotations

from collections.abc import Sequence
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
        lines.append(Line("less reminder and notice fees already charged", -deducted))
    total = full - deducted
    reason = f"business debtor late from {first_late_day}; {full:.2f} for that half-year"
    if deducted:
        reason += f", less {deducted:.2f} in reminder and notice fees already charged"
    explanation = Explanation(RULE, SOURCE, tuple(lines), total, row.confirmed, (reason,))
    return Compensation(True, total, reason, explanation)


DEDUCTION_SOURCE = (
    "forsinkelsesrenteloven § 3a: compensation claimed is deducted from the creditor's later "
    "out-of-court collection costs (reknehuset.no; kontohjelp.no)"
)


def salaer_less_compensation(salaer: Explanation, compensation: Decimal) -> Explanation:
    """The salær cap less standard compensation already claimed on the same claim ("deducted
    from later collection costs"), never below zero."""
    if compensation < 0:
        raise InvalidInput.one("compensation", f"must not be negative: {compensation}")
    deducted = min(compensation, salaer.total)
    lines = [Line(f"{salaer.rule}", salaer.total)]
    if deducted:
        lines.append(Line("less standard compensation claimed on the claim", -deducted))
    note = "standard compensation is deducted from later collection costs"
    return Explanation(
        f"{salaer.rule} less standard compensation",
        DEDUCTION_SOURCE,
        tuple(lines),
        salaer.total - deducted,
        salaer.confirmed,
        (note,),
    )


def claims_compensation(
    claims: Sequence[tuple[int, date]], *, fees_charged: Decimal, book: RateBook
) -> tuple[tuple[int, Compensation], ...]:
    """Standard compensation for each (claim id, due date) of one business debtor's case,
    claimed once: the fees charged on the case (earlier letters and the letter that claims
    it) are deducted claim by claim, oldest first, so no fee is deducted twice and no claim
    goes below zero (the reading kinder to the debtor when one fee covers several claims)."""
    left = fees_charged
    found: list[tuple[int, Compensation]] = []
    for claim_id, due in sorted(claims, key=lambda c: (c[1], c[0])):
        result = standard_compensation(
            due=due, business=True, reminder_fees_charged=left, book=book
        )
        deducted = sum((-line.amount for line in result.explanation.lines[1:]), Decimal(0))
        left -= deducted
        found.append((claim_id, result))
    return tuple(found)
