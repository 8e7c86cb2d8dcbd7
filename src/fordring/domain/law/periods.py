"""Half-years (1 January to 30 June, 1 July to 31 December): the periods late interest
and standard compensation are set for (forsinkelsesrenteloven § 3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_LABEL = re.compile(r"^\s*(\d{4})\s*[- ]?\s*[Hh]\s*([12])\s*$")


@dataclass(frozen=True, slots=True, order=True)
class HalfYear:
    """One half-year: `half` is 1 (January-June) or 2 (July-December)."""

    year: int
    half: int

    def __post_init__(self) -> None:
        if self.half not in (1, 2) or not 1 <= self.year <= 9999:
            raise ValueError(f"not a half-year: {self.year} H{self.half}")

    @classmethod
    def of(cls, day: date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        """`2026 H2`, `2026H2` or `2026-H2`; ValueError otherwise."""
        match = _LABEL.match(text)
        if match is None:
            raise ValueError(f"not a half-year like '2026 H2': {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        """The last day of the half-year (inclusive)."""
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def days_in_year(self) -> int:
        """365, or 366 in a leap year: the day count a year's interest is spread over."""
        return 366 if date(self.year, 12, 31).timetuple().tm_yday == 366 else 365

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def __str__(self) -> str:
        return f"{self.year} H{self.half}"


def is_half_year_start(day: date) -> bool:
    return day.day == 1 and day.month in (1, 7)
