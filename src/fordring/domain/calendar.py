"""Norwegian banking days: Monday to Friday except public holidays (the `holidays` package,
country NO, so Easter and Whitsun move with the year) and 24 and 31 December, when Norwegian
banks are closed too (DOMAIN.md § 2); and the Christmas and Easter weeks, in which
deadlines are poor collection practice (DOMAIN.md § 7)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

_BANKS_CLOSED = {
    (12, 24): "Christmas Eve (banks closed)",
    (12, 31): "New Year's Eve (banks closed)",
}
_WEEKEND = {5: "Saturday", 6: "Sunday"}


@lru_cache(maxsize=64)
def _closed_days(year: int) -> dict[date, str]:
    """Every weekday of `year` that is not a banking day, with its name."""
    public = holidays.country_holidays("NO", years=year, language="en_US")
    closed = {day: str(name) for day, name in public.items() if day.year == year}
    closed.update({date(year, m, d): name for (m, d), name in _BANKS_CLOSED.items()})
    return closed


def closed_reason(day: date) -> str | None:
    """Why banks are closed on `day` (a holiday's name, or the weekday), or None if open."""
    named = _closed_days(day.year).get(day)
    if named is not None:
        return named
    return _WEEKEND.get(day.weekday())


def is_banking_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def next_banking_day(day: date) -> date:
    """`day` itself when banks are open, else the first banking day after it."""
    while not is_banking_day(day):
        day += timedelta(days=1)
    return day


def add_banking_days(day: date, count: int) -> date:
    """The `count`-th banking day after `day` (count >= 0; 0 gives `day` itself)."""
    if count < 0:
        raise ValueError("count must not be negative")
    for _ in range(count):
        day = next_banking_day(day + timedelta(days=1))
    return day


CHRISTMAS_WEEK = "Christmas week (24 December to 1 January)"
EASTER_WEEK = "Easter week (Palm Sunday to Easter Monday)"


@lru_cache(maxsize=64)
def _easter_sunday(year: int) -> date:
    public = holidays.country_holidays("NO", years=year, language="en_US")
    return next(day for day, name in public.items() if name == "Easter Sunday")


def holiday_week(day: date) -> tuple[str, date] | None:
    """The Christmas or Easter week `day` falls in, with the first banking day after that
    week; None outside them (god inkassoskikk: no deadlines in holiday weeks)."""
    if (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1):
        new_year = date(day.year + 1 if day.month == 12 else day.year, 1, 1)
        return CHRISTMAS_WEEK, next_banking_day(new_year + timedelta(days=1))
    easter = _easter_sunday(day.year)
    if easter - timedelta(days=7) <= day <= easter + timedelta(days=1):
        return EASTER_WEEK, next_banking_day(easter + timedelta(days=2))
    return None
