"""The 3-year limitation period counted by foreldelsesloven § 29 nr. 1."""

from __future__ import annotations

from datetime import date

from fordring.domain.law.limitation import is_time_barred, limitation_last_day, time_barred_from


def test_the_last_day_is_the_same_date_three_years_later() -> None:
    assert limitation_last_day(date(2023, 3, 2)) == date(2026, 3, 2)
    assert time_barred_from(date(2023, 3, 2)) == date(2026, 3, 3)


def test_a_claim_is_not_time_barred_on_its_last_day_but_is_the_day_after() -> None:
    assert not is_time_barred(date(2023, 3, 2), date(2026, 3, 2))
    assert is_time_barred(date(2023, 3, 2), date(2026, 3, 3))


def test_a_leap_day_start_ends_on_the_last_day_of_february() -> None:
    assert limitation_last_day(date(2024, 2, 29)) == date(2027, 2, 28)


def test_a_last_day_on_a_sunday_is_not_extended_for_collection() -> None:
    # 2026-03-01 is a Sunday; § 29 nr. 2 would let the creditor interrupt on Monday 03-02
    assert time_barred_from(date(2023, 3, 1)) == date(2026, 3, 2)
