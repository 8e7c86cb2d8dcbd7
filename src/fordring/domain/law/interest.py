"""Late interest (forsinkelsesrente, DOMAIN.md § 6): simple interest from the day after the
due date up to and including the payment date, each day at its half-year's rate and 1/365
(1/366 in a leap year) of a year; each half-year period rounded half-up to øre."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from fordring.domain.errors import InvalidInput
from fordring.domain.law.explanation import Explanation, Line
from fordring.domain.law.tables import RateBook

RULE = "late interest: simple, each day at its half-year's rate, 1/365 (1/366) of a year"
SOURCE = "forsinkelsesrenteloven §§ 2-3"
_HUNDRED = Decimal(100)
_ORE = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    """Days `start`..`end` (both counted) at one half-year's rate."""

    start: date
    end: date
    days: int
    percent: Decimal
    days_in_year: int
    amount: Decimal
    source: str
    confirmed: bool


@dataclass(frozen=True, slots=True)
class LateInterest:
    principal: Decimal
    due: date
    paid: date
    periods: tuple[InterestPeriod, ...]
    total: Decimal

    @property
    def days(self) -> int:
        return max((self.paid - self.due).days, 0)

    @property
    def confirmed(self) -> bool:
        return all(p.confirmed for p in self.periods)

    def explanation(self) -> Explanation:
        lines = tuple(
            Line(
                f"{p.start}..{p.end}: {self.principal:.2f} × {p.percent} % × "
                f"{p.days}/{p.days_in_year}",
                p.amount,
            )
            for p in self.periods
        )
        notes = () if self.periods else ("paid on or before the due date: no late interest",)
        return Explanation(RULE, SOURCE, lines, self.total, self.confirmed, notes)


def principal_in_ore(principal: Decimal) -> int:
    """The principal as whole øre; InvalidInput when negative or finer than øre."""
    scaled = principal.scaleb(2)
    ore = int(scaled)
    if ore != scaled or ore < 0:
        raise InvalidInput.one(
            "principal", f"must be a non-negative amount in øre, not {principal}"
        )
    return ore


def late_interest_ore(book: RateBook, principal_ore: int, due: int, paid: int) -> int:
    """The fast core: interest in øre for day ordinals `due` < day <= `paid`."""
    if paid <= due:
        return 0
    schedule = book.interest_schedule
    start = due + 1
    index = bisect_right(schedule.starts, start) - 1
    if index < 0 or paid > schedule.covered_until[index]:
        _spans(book, date.fromordinal(due), date.fromordinal(paid))  # raises the MissingRate
        raise AssertionError("unreachable: a rate was missing")
    end, numerator, denominator, divisor, _ = schedule.steps[index]
    if paid <= end:
        return (principal_ore * (paid - due) * numerator + denominator) // divisor
    total = (principal_ore * (end - due) * numerator + denominator) // divisor
    for next_end, numerator, denominator, divisor, whole in schedule.steps[index + 1 :]:
        if paid <= next_end:
            return total + (principal_ore * (paid - end) * numerator + denominator) // divisor
        total += (principal_ore * whole + denominator) // divisor
        end = next_end
    raise AssertionError("unreachable: covered_until was checked")


def late_interest_total(principal: Decimal, due: date, paid: date, book: RateBook) -> Decimal:
    """The total only (no explanation): the same øre as `late_interest(...).total`."""
    scaled = principal * _HUNDRED
    ore = int(scaled)
    if ore != scaled or ore < 0:
        principal_in_ore(principal)  # raises the error naming the field
    return Decimal(late_interest_ore(book, ore, due.toordinal(), paid.toordinal())) * _ORE


def late_interest(principal: Decimal, due: date, paid: date, book: RateBook) -> LateInterest:
    """Interest with one period per half-year touched, each rounded, the total their sum."""
    ore = principal_in_ore(principal)
    periods: list[InterestPeriod] = []
    for start, end, row_index in _spans(book, due, paid):
        schedule = book.interest_schedule
        days = (end - start).days + 1
        numerator = ore * days * schedule.numerators[row_index]
        denominator = schedule.denominators[row_index]
        amount = (2 * numerator + denominator) // (2 * denominator)
        row = book.forsinkelsesrente.at(start)
        periods.append(
            InterestPeriod(
                start=start,
                end=end,
                days=days,
                percent=row.value,
                days_in_year=schedule.half_years[row_index].days_in_year,
                amount=Decimal(amount).scaleb(-2),
                source=row.source,
                confirmed=row.confirmed,
            )
        )
    total = sum((p.amount for p in periods), Decimal("0.00"))
    return LateInterest(principal, due, paid, tuple(periods), total)


def late_interest_exact(principal: Decimal, due: date, paid: date, book: RateBook) -> Fraction:
    """The unrounded interest in kroner: exactly additive over any split date."""
    total = Fraction(0)
    schedule = book.interest_schedule
    for start, end, row_index in _spans(book, due, paid):
        days = (end - start).days + 1
        ratio = Fraction(schedule.numerators[row_index], schedule.denominators[row_index])
        total += Fraction(principal) * days * ratio
    return total


def _spans(book: RateBook, due: date, paid: date) -> list[tuple[date, date, int]]:
    """(first day, last day, schedule index) for each half-year from due+1 to paid."""
    spans: list[tuple[date, date, int]] = []
    if paid <= due:
        return spans
    schedule = book.interest_schedule
    start = due + timedelta(days=1)
    index = bisect_right(schedule.starts, start.toordinal()) - 1
    while True:
        if index < 0 or index >= len(schedule.steps) or schedule.percents[index] is None:
            raise book.forsinkelsesrente.missing(start)
        end = min(paid, date.fromordinal(schedule.steps[index][0]))
        spans.append((start, end, index))
        if end == paid:
            return spans
        start, index = end + timedelta(days=1), index + 1
