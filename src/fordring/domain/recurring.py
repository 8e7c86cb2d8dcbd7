"""Recurring invoice agreements (repeterende faktura, SPEC L6): their validation, their
periods (whole calendar months, contiguous from the start), the day each period is issued,
which periods are due on a day, and the period as text on the invoice ("mars 2026").

Choices (docs/recurring.md): a period is issued whole when it starts on or before the
agreement's last day (its end or the day it was stopped, whichever is earlier); it is
issued on `issue_day` of the month `advance_months` before its first month, never before
the agreement's start; a period caught up late is dated the day it is issued.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.invoices import MAX_TERMS_DAYS, InvoiceLine, vat_breakdown
from fordring.domain.language import Language

MAX_INTERVAL_MONTHS = 24
MAX_ADVANCE_MONTHS = 12
MAX_TEXT = 200
LAST_DAY = 31  # issue_day 31: the month's last day, whatever its length
_NAMED = {"monthly": 1, "quarterly": 3, "yearly": 12}
_NAMES = {months: name for name, months in _NAMED.items()}
_N_MONTHS = re.compile(r"^([0-9]{1,3})\s*m$")
_DASH = "\u2013"  # en dash, as in "mars–mai 2026"

MONTHS = {
    Language.NB: (
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ),
    Language.EN: (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


class Status(StrEnum):
    ACTIVE = "active"  # periods are still to be issued
    STOPPED = "stopped"  # stopped by hand (`recurring stop`)
    ENDED = "ended"  # every period up to the end date is issued


@dataclass(frozen=True, slots=True)
class Interval:
    """How many months one period covers: 1 (monthly), 3 (quarterly), 12 (yearly) or N."""

    months: int

    def __post_init__(self) -> None:
        if not 1 <= self.months <= MAX_INTERVAL_MONTHS:
            raise InvalidInput.one(
                "interval", f"must be 1-{MAX_INTERVAL_MONTHS} months, not {self.months}"
            )

    @property
    def name(self) -> str:
        """monthly, quarterly, yearly, or e.g. 2m: what `parse_interval` reads back."""
        return _NAMES.get(self.months, f"{self.months}m")


def parse_interval(text: str) -> Interval:
    """`monthly`, `quarterly`, `yearly` or `Nm` (every N months, e.g. `2m`)."""
    cleaned = text.strip().lower()
    if cleaned in _NAMED:
        return Interval(_NAMED[cleaned])
    found = _N_MONTHS.match(cleaned)
    if found is None:
        reason = f"{text!r} is not monthly, quarterly, yearly or Nm (e.g. 2m)"
        raise InvalidInput.one("interval", reason, code="not_an_interval")
    return Interval(int(found.group(1)))


def add_months(first: date, months: int) -> date:
    """The first day of the month `months` after (or before) `first`'s month."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def day_in_month(month: date, issue_day: int) -> date:
    """`issue_day` of `month`'s month; 31 is the month's last day (28 or 29 in February)."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(issue_day, last))


@dataclass(frozen=True, slots=True)
class Period:
    """One period of an agreement: whole months from `start` to `end` (both included),
    and the day it is to be issued."""

    start: date
    end: date
    issue_on: date

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def text(self, language: Language) -> str:
        """The period in words: "mars 2026", "1. kvartal 2026", "2026", "mars–mai 2026"."""
        return period_text(self.start, self.months, language)


def period_text(start: date, months: int, language: Language) -> str:
    """`months` whole months from `start` in words, in bokmål or English.

    A month: "mars 2026" / "March 2026". A calendar quarter: "1. kvartal 2026" / "Q1 2026".
    A calendar year: "2026". Anything else a month range: "mars–mai 2026",
    "november 2026–januar 2027" / "November 2026–January 2027"."""
    names = MONTHS[language]
    if months == 1:
        return f"{names[start.month - 1]} {start.year}"
    if months == 3 and start.month % 3 == 1:
        quarter = start.month // 3 + 1
        if language is Language.NB:
            return f"{quarter}. kvartal {start.year}"
        return f"Q{quarter} {start.year}"
    if months == 12 and start.month == 1:
        return str(start.year)
    last = add_months(start, months - 1)
    first_name, last_name = names[start.month - 1], names[last.month - 1]
    if last.year == start.year:
        return f"{first_name}{_DASH}{last_name} {start.year}"
    return f"{first_name} {start.year}{_DASH}{last_name} {last.year}"


@dataclass(frozen=True, slots=True)
class RecurringAgreement:
    """What an agreement invoices (fixed lines with a text the period is added to) and
    when: periods of `interval` from `start` (the 1st of a month) up to `end` or the day it
    was stopped, each issued on `issue_day` `advance_months` before the period's month."""

    text: str
    lines: tuple[InvoiceLine, ...]
    interval: Interval
    issue_day: int
    start: date
    end: date | None = None
    advance_months: int = 0
    terms_days: int = 14
    stopped_on: date | None = None
    net: Decimal = field(init=False)
    total: Decimal = field(init=False)

    def __post_init__(self) -> None:
        found = self.problems()
        if found:
            raise InvalidInput(found)
        breakdown = vat_breakdown(self.lines)
        net = sum((v.taxable for v in breakdown), Decimal(0))
        object.__setattr__(self, "net", net)
        object.__setattr__(self, "total", net + sum((v.vat for v in breakdown), Decimal(0)))

    def problems(self) -> list[Problem]:
        return agreement_problems(
            self.text,
            bool(self.lines),
            self.issue_day,
            self.start,
            self.end,
            self.advance_months,
            self.terms_days,
        )

    @property
    def last_day(self) -> date | None:
        """The last day a period may start: the end or the stop day, whichever is earlier."""
        days = [d for d in (self.end, self.stopped_on) if d is not None]
        return min(days) if days else None

    def invoice_text(self, period: Period, language: Language) -> str:
        """What the invoice says it is for: "Husleie mars 2026"."""
        return f"{self.text.strip()} {period.text(language)}"

    def issue_on(self, period_start: date) -> date:
        """The day the period starting on `period_start` is issued: `issue_day` of the month
        `advance_months` before, never before the agreement's start."""
        month = add_months(period_start, -self.advance_months)
        return max(day_in_month(month, self.issue_day), self.start)

    def period_at(self, start: date | None) -> Period | None:
        """The period starting on `start`, or None when there is none (the agreement ended
        before it, or `start` is None)."""
        if start is None:
            return None
        last = self.last_day
        if last is not None and start > last:
            return None
        following = add_months(start, self.interval.months)
        return Period(start, following - timedelta(days=1), self.issue_on(start))

    def first_period(self) -> Period | None:
        return self.period_at(self.start)

    def following(self, period: Period) -> Period | None:
        """The period after `period`, or None when `period` was the last one."""
        return self.period_at(period.end + timedelta(days=1))

    def due(self, next_period: date | None, day: date) -> list[Period]:
        """Every period from the one starting on `next_period` (the first not yet issued)
        whose issue day is `day` or earlier, in order."""
        found: list[Period] = []
        period = self.period_at(next_period)
        while period is not None and period.issue_on <= day:
            found.append(period)
            period = self.following(period)
        return found

    def stopped(self, on: date) -> RecurringAgreement:
        """The agreement stopped on `on`: no period starting after `on` is issued."""
        return replace(self, stopped_on=on)

    def status(self, next_period: date | None) -> Status:
        if self.stopped_on is not None:
            return Status.STOPPED
        return Status.ACTIVE if next_period is not None else Status.ENDED


def agreement_problems(
    text: str,
    has_lines: bool,
    issue_day: int,
    start: date,
    end: date | None,
    advance_months: int,
    terms_days: int,
) -> list[Problem]:
    """What is wrong with an agreement's text and schedule (its lines apart)."""
    found: list[Problem] = []
    if not text.strip():
        found.append(Problem("text", "the agreement needs a text, e.g. Husleie"))
    elif len(text) > MAX_TEXT:
        found.append(Problem("text", f"at most {MAX_TEXT} characters"))
    if not has_lines:
        found.append(Problem("line", "give at least one --line"))
    if not (1 <= issue_day <= 28 or issue_day == LAST_DAY):
        found.append(
            Problem(
                "issue_day",
                f"must be 1-28, or 31 for the month's last day, not {issue_day}",
            )
        )
    if not 0 <= advance_months <= MAX_ADVANCE_MONTHS:
        found.append(
            Problem("advance", f"must be 0-{MAX_ADVANCE_MONTHS} months, not {advance_months}")
        )
    if not 0 <= terms_days <= MAX_TERMS_DAYS:
        found.append(Problem("terms", f"must be 0-{MAX_TERMS_DAYS} days, not {terms_days}"))
    if start.day != 1:
        found.append(Problem("start", f"periods are whole months: start on the 1st, not {start}"))
    if end is not None and end < start:
        found.append(Problem("end", f"{end} is before the start {start}"))
    return found
