"""How an amount explains itself: the rule, its source and one line per step, where the
lines always sum to the total (a letter or an interest note can print them as they are)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from fordring.domain.money import round_ore, round_ore_down

UNCONFIRMED = "UNCONFIRMED: uses a value no primary source confirmed"


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Explanation:
    """`lines` sum to `total` (checked); `confirmed` is False when any number used was."""

    rule: str
    source: str
    lines: tuple[Line, ...]
    total: Decimal
    confirmed: bool = True
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if sum((line.amount for line in self.lines), Decimal(0)) != self.total:
            raise ValueError(f"explanation lines do not sum to {self.total}: {self.lines}")

    def text(self, heading: str = "") -> str:
        """Plain text for people: the heading (default: rule and total), the notes, one line
        per step with its amount, the total when there are several, the source, and a flag
        when a value used is UNCONFIRMED."""
        out = [heading or f"{self.rule}: {self.total:.2f}"]
        out.extend(f"  {note}" for note in self.notes)
        width = max([len(line.text) for line in self.lines] + [5])
        out.extend(f"  {line.text.ljust(width)}  {line.amount:>10.2f}" for line in self.lines)
        if len(self.lines) > 1:
            out.append(f"  {'total'.ljust(width)}  {self.total:>10.2f}")
        out.append(f"  source: {self.source}")
        if not self.confirmed:
            out.append(f"  {UNCONFIRMED}")
        return "\n".join(out)


def stepwise_lines(
    steps: Iterable[tuple[str, Decimal]], *, down: bool = False
) -> tuple[tuple[Line, ...], Decimal]:
    """Lines for a running product or sum given unrounded (text, running value) pairs.

    Each line's amount is the change in the running value rounded to øre, so the lines
    sum exactly to the rounded final value and only the final value is rounded once.
    `down` rounds towards zero instead of half up: for a legal maximum, which rounding
    must never exceed (DOMAIN.md § 14).
    """
    lines: list[Line] = []
    booked = Decimal("0.00")
    for text, running in steps:
        rounded = round_ore_down(running) if down else round_ore(running)
        lines.append(Line(text, rounded - booked))
        booked = rounded
    return tuple(lines), booked


def fraction_text(value: Decimal) -> str:
    """`1/20` for 0.05, `1.5` for 1.5: fractions read as the regulation writes them."""
    exact = Fraction(value)
    if exact.denominator == 1 or value >= 1:
        return f"{value.normalize():f}"
    return f"{exact.numerator}/{exact.denominator}"
