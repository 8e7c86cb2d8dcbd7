"""When the schedule starts the business day (entrypoints/jobs/ticks.py): at the set
Oslo time on each banking day, in summer and winter time alike, from UTC cron ticks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from fordring.domain.errors import InvalidInput
from fordring.entrypoints.jobs.ticks import business_date_of, parse_day_at, utc_crons

AT = time(7, 30)


def _tick(year: int, month: int, day: int, hour: int, minute: int) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def test_oslo_0730_is_two_utc_ticks_one_per_season() -> None:
    assert utc_crons(AT) == ["30 6 * * *", "30 5 * * *"]
    assert utc_crons(time(0, 15)) == ["15 23 * * *", "15 22 * * *"]


def test_winter_day_starts_at_the_0630_utc_tick_only() -> None:
    assert business_date_of(_tick(2026, 1, 15, 6, 30), AT) == date(2026, 1, 15)
    assert business_date_of(_tick(2026, 1, 15, 5, 30), AT) is None  # 06:30 in Oslo


def test_summer_day_starts_at_the_0530_utc_tick_only() -> None:
    assert business_date_of(_tick(2026, 7, 15, 5, 30), AT) == date(2026, 7, 15)
    assert business_date_of(_tick(2026, 7, 15, 6, 30), AT) is None  # 08:30 in Oslo


def test_the_days_either_side_of_each_dst_change_start_once_at_0730() -> None:
    # Summer time begins Sunday 2026-03-29 and ends Sunday 2026-10-25 (01:00 UTC).
    cases = {
        (2026, 3, 27): (6, 5),  # Friday before: winter, the 06:30 UTC tick
        (2026, 3, 30): (5, 6),  # Monday after: summer, the 05:30 UTC tick
        (2026, 10, 23): (5, 6),  # Friday before: summer
        (2026, 10, 26): (6, 5),  # Monday after: winter
    }
    for (year, month, day), (starts, other) in cases.items():
        assert business_date_of(_tick(year, month, day, starts, 30), AT) == date(year, month, day)
        assert business_date_of(_tick(year, month, day, other, 30), AT) is None


def test_no_day_on_a_weekend_or_a_holiday() -> None:
    assert business_date_of(_tick(2026, 3, 28, 6, 30), AT) is None  # Saturday
    assert business_date_of(_tick(2026, 5, 1, 5, 30), AT) is None  # Labour Day
    assert business_date_of(_tick(2026, 12, 25, 6, 30), AT) is None  # Christmas Day


def test_a_time_just_after_midnight_is_the_oslo_date_not_the_utc_one() -> None:
    # 00:15 in Oslo on Tuesday 2026-01-13 is 23:15 UTC on Monday.
    assert business_date_of(_tick(2026, 1, 12, 23, 15), time(0, 15)) == date(2026, 1, 13)


@pytest.mark.parametrize("text", ["7:30", "24:00", "07:60", "0730", "", "07:30:00", "٠٧:٣٠"])
def test_day_at_must_be_hh_mm(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_day_at(text)
    assert "day-at" in str(refused.value)


def test_day_at_reads_hh_mm_or_off() -> None:
    assert parse_day_at("07:30") == AT
    assert parse_day_at(" 23:59 ") == time(23, 59)
    assert parse_day_at("off") is None
    assert parse_day_at("OFF") is None
