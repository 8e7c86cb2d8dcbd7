"""The late-interest rates precomputed per half-year as exact integer ratios over day
ordinals, so interest for a million claims needs no per-day loop and no Decimal division."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fordring.domain.law.periods import HalfYear


@dataclass(frozen=True, slots=True)
class InterestSchedule:
    """Contiguous half-years from the first to the last rate; a gap has percent `None`.

    For half-year i, interest in øre for `p` øre over `d` days is exactly
    p * d * numerators[i] / denominators[i] (percent / 100 / days in the year), and
    rounded half-up it is (p * d * steps[i][1] + steps[i][2]) // steps[i][3]; steps[i][4]
    is steps[i][1] times the days of the whole half-year.
    """

    half_years: tuple[HalfYear, ...]
    starts: tuple[int, ...]  # date ordinal of each half-year's first day
    percents: tuple[Decimal | None, ...]
    numerators: tuple[int, ...]  # 0 where the rate is missing
    denominators: tuple[int, ...]
    # (last day, 2 * numerator, denominator, 2 * denominator, 2 * numerator * days in half)
    steps: tuple[tuple[int, int, int, int, int], ...]
    covered_until: tuple[int, ...]  # last day of the unbroken run of rates from i on

    @classmethod
    def build(cls, rates: Sequence[tuple[HalfYear, Decimal]]) -> InterestSchedule:
        by_half = dict(rates)
        halves: list[HalfYear] = []
        if by_half:
            current, last = min(by_half), max(by_half)
            while current <= last:
                halves.append(current)
                current = current.next()
        percents = tuple(by_half.get(h) for h in halves)
        numerators: list[int] = []
        denominators: list[int] = []
        for half, percent in zip(halves, percents, strict=True):
            numerator, denominator = (0, 1) if percent is None else percent.as_integer_ratio()
            numerators.append(numerator)
            denominators.append(denominator * 100 * half.days_in_year)
        starts = [h.start.toordinal() for h in halves]
        ends = [h.end.toordinal() for h in halves]
        covered = [0] * len(halves)
        reach = 0
        for i in reversed(range(len(halves))):
            if percents[i] is None:
                reach = halves[i].start.toordinal() - 1
            elif i == len(halves) - 1 or percents[i + 1] is None:
                reach = ends[i]
            covered[i] = reach
        return cls(
            half_years=tuple(halves),
            starts=tuple(starts),
            percents=percents,
            numerators=tuple(numerators),
            denominators=tuple(denominators),
            steps=tuple(
                (end, 2 * n, d, 2 * d, 2 * n * (end - start + 1))
                for end, start, n, d in zip(ends, starts, numerators, denominators, strict=True)
            ),
            covered_until=tuple(covered),
        )
