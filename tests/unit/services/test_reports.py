"""Oversikt's calendar arithmetic (services/reports.py): the months shown and the day the
next run runs up to."""

from __future__ import annotations

from datetime import date

from fordring.services.reports import month_start, next_run_day


def test_month_start_goes_back_over_new_year() -> None:
    assert month_start(date(2026, 3, 20)) == date(2026, 3, 1)
    assert month_start(date(2026, 3, 20), 2) == date(2026, 1, 1)
    assert month_start(date(2026, 3, 20), 3) == date(2025, 12, 1)
    assert month_start(date(2026, 1, 31), 11) == date(2025, 2, 1)
    assert month_start(date(2026, 1, 31), 12) == date(2025, 1, 1)


def test_the_next_run_is_the_next_banking_day_unless_today_has_run() -> None:
    today = date(2026, 3, 20)  # a Friday
    assert next_run_day(None, today) == today  # never run
    assert next_run_day(date(2026, 3, 11), today) == today  # behind: it catches up to today
    assert next_run_day(today, today) == date(2026, 3, 23)  # not Saturday: Monday
    saturday = date(2026, 3, 21)
    assert next_run_day(date(2026, 3, 20), saturday) == date(2026, 3, 23)
    assert next_run_day(date(2026, 3, 31), date(2026, 4, 1)) == date(2026, 4, 1)
    # Easter 2026: Thursday 04-02 to Monday 04-06 are no banking days
    assert next_run_day(date(2026, 4, 1), date(2026, 4, 1)) == date(2026, 4, 7)
