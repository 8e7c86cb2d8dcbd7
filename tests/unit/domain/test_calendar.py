"""Norwegian banking days: weekdays minus public holidays and 24/31 December."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.calendar import (
    add_banking_days,
    closed_reason,
    holiday_week,
    is_banking_day,
    next_banking_day,
)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 4, 2), "Maundy Thursday"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 5, 1), "Labor Day"),
        (date(2026, 5, 14), "Ascension Day"),
        (date(2026, 5, 25), "Pentecost Monday"),
        (date(2026, 12, 24), "Christmas Eve (banks closed)"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 31), "New Year's Eve (banks closed)"),
        (date(2027, 1, 1), "New Year's Day"),
        (date(2026, 3, 21), "Saturday"),
        (date(2026, 3, 22), "Sunday"),
    ],
)
def test_banks_are_closed_on_holidays_weekends_and_24_and_31_december(
    day: date, reason: str
) -> None:
    assert not is_banking_day(day)
    assert closed_reason(day) == reason


def test_an_ordinary_weekday_is_a_banking_day() -> None:
    assert is_banking_day(date(2026, 3, 20))
    assert closed_reason(date(2026, 3, 20)) is None


def test_next_banking_day_skips_the_easter_weekend() -> None:
    assert next_banking_day(date(2026, 4, 2)) == date(2026, 4, 7)
    assert next_banking_day(date(2026, 4, 7)) == date(2026, 4, 7)


def test_add_banking_days_counts_only_banking_days() -> None:
    assert add_banking_days(date(2026, 4, 1), 1) == date(2026, 4, 7)
    assert add_banking_days(date(2026, 12, 23), 2) == date(2026, 12, 29)
    with pytest.raises(ValueError, match="negative"):
        add_banking_days(date(2026, 1, 5), -1)


@given(st.dates(date(2015, 1, 1), date(2030, 12, 31)))
def test_next_banking_day_is_a_banking_day_within_a_week(day: date) -> None:
    found = next_banking_day(day)
    assert is_banking_day(found)
    assert day <= found <= day + timedelta(days=6)
    assert all(not is_banking_day(day + timedelta(days=n)) for n in range((found - day).days))


@pytest.mark.parametrize(
    ("day", "week", "first_after"),
    [
        (date(2026, 12, 24), "Christmas week", date(2027, 1, 4)),  # 2 January is a Saturday
        (date(2026, 12, 28), "Christmas week", date(2027, 1, 4)),
        (date(2027, 1, 1), "Christmas week", date(2027, 1, 4)),
        (date(2026, 3, 29), "Easter week", date(2026, 4, 7)),  # Palm Sunday
        (date(2026, 3, 30), "Easter week", date(2026, 4, 7)),
        (date(2026, 4, 6), "Easter week", date(2026, 4, 7)),  # Easter Monday
        (date(2027, 3, 24), "Easter week", date(2027, 3, 30)),  # Easter 2027 is 03-28
    ],
)
def test_the_christmas_and_easter_weeks_end_on_the_first_banking_day_after_them(
    day: date, week: str, first_after: date
) -> None:
    found = holiday_week(day)
    assert found is not None and found[0].startswith(week) and found[1] == first_after


@pytest.mark.parametrize(
    "day", [date(2026, 12, 23), date(2027, 1, 2), date(2026, 3, 28), date(2026, 4, 7)]
)
def test_days_just_outside_the_holiday_weeks_are_in_none(day: date) -> None:
    assert holiday_week(day) is None
