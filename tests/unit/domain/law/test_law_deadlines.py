"""Letter deadlines moved to the next banking day (Easter, Whitsun, Christmas) and the
6-month limits."""

from __future__ import annotations

from datetime import date

import pytest

from fordring.domain.errors import InvalidInput
from fordring.domain.law.deadlines import (
    add_months,
    earliest_fee_date,
    legal_steps_latest,
    letter_deadline,
    new_demand_needed,
    notice_too_old,
    paused_case_closes_on,
)

day = date.fromisoformat


@pytest.mark.parametrize(
    ("sent", "deadline", "why"),
    [
        ("2026-03-20", "2026-04-07", "Good Friday"),  # Easter 2026: Fri, Sat, Sun, Mon closed
        ("2026-03-19", "2026-04-07", "Maundy Thursday"),
        ("2026-03-23", "2026-04-07", "Easter Monday"),
        ("2025-04-03", "2025-04-22", "Maundy Thursday"),  # Easter 2025
        ("2026-03-07", "2026-03-23", "Saturday"),
        ("2026-05-11", "2026-05-26", "Pentecost Monday"),  # Whit Monday
        ("2027-05-03", "2027-05-18", "Constitution Day"),  # 17 May on a Monday
        ("2026-12-10", "2026-12-28", "Christmas Eve"),  # 24 Dec: banks closed
        ("2025-12-17", "2026-01-02", "New Year's Eve"),  # 31 Dec, then 1 Jan
    ],
)
def test_deadline_on_a_non_banking_day_moves_to_the_next_banking_day(
    sent: str, deadline: str, why: str
) -> None:
    result = letter_deadline(day(sent))
    assert result.deadline == day(deadline)
    assert result.moved
    assert why in result.reason


def test_deadline_on_a_banking_day_stays() -> None:
    result = letter_deadline(day("2026-03-02"))
    assert result.deadline == result.unadjusted == day("2026-03-16")
    assert not result.moved


def test_moving_can_be_switched_off() -> None:
    result = letter_deadline(day("2026-03-20"), move=False)
    assert result.deadline == day("2026-04-03")
    assert not result.moved
    assert "not moved" in result.reason


def test_longer_deadline_counts_from_the_sending_day() -> None:
    assert letter_deadline(day("2026-03-02"), 21).deadline == day("2026-03-23")


def test_short_deadline_is_allowed_but_flagged() -> None:
    assert "shorter than the 14 days" in letter_deadline(day("2026-03-02"), 7).reason


@pytest.mark.parametrize("days", [0, -1, 400])
def test_deadline_length_out_of_range_is_invalid(days: int) -> None:
    with pytest.raises(InvalidInput, match="days"):
        letter_deadline(day("2026-03-02"), days)


def test_first_fee_day_is_14_days_after_due() -> None:
    assert earliest_fee_date(day("2025-02-10")) == day("2025-02-24")


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2026-01-15", 6, "2026-07-15"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2027-08-31", 6, "2028-02-29"),
        ("2026-12-31", 1, "2027-01-31"),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(
    start: str, months: int, end: str
) -> None:
    assert add_months(day(start), months) == day(end)


def test_new_demand_needed_when_legal_steps_not_started_within_6_months() -> None:
    assert legal_steps_latest(day("2026-01-15")) == day("2026-07-15")
    assert not new_demand_needed(day("2026-01-15"), day("2026-07-15"))
    assert new_demand_needed(day("2026-01-15"), day("2026-07-16"))


def test_paused_case_closes_after_6_months() -> None:
    assert paused_case_closes_on(day("2026-03-31")) == day("2026-09-30")


def test_notice_older_than_6_months_is_too_old_for_hand_over() -> None:
    assert not notice_too_old(day("2026-01-10"), day("2026-07-10"))
    assert notice_too_old(day("2026-01-10"), day("2026-07-11"))


@pytest.mark.parametrize(
    ("sent", "plain", "lengthened"),
    [
        ("2026-03-16", "2026-03-30", "2026-04-07"),  # Monday of Easter week
        ("2026-12-14", "2026-12-28", "2027-01-04"),  # Monday of Christmas week
        ("2026-12-10", "2026-12-28", "2027-01-04"),  # Christmas Eve, moved into the week
        ("2026-03-10", "2026-03-24", "2026-03-24"),  # no holiday week: unchanged
    ],
)
def test_holiday_weeks_lengthen_a_deadline_in_christmas_or_easter_week(
    sent: str, plain: str, lengthened: str
) -> None:
    assert letter_deadline(day(sent)).deadline == day(plain)
    result = letter_deadline(day(sent), holiday_weeks=True)
    assert result.deadline == day(lengthened)
    assert ("week" in result.reason) is (plain != lengthened)
