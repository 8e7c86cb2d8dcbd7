"""A payment's date against the business date (domain/bank_files.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.bank_files import BankTransaction, date_problem, far_date_problems, year_from


def test_a_payment_up_to_a_year_either_way_is_taken() -> None:
    today = date(2026, 4, 17)
    for day in (date(2025, 4, 17), date(2026, 4, 7), date(2027, 4, 17)):
        assert date_problem(day, today) is None


def test_a_payment_more_than_a_year_off_is_refused() -> None:
    today = date(2026, 4, 17)
    assert date_problem(date(2025, 4, 16), today) == (
        "2025-04-16 is more than a year from the business date 2026-04-17"
    )
    assert date_problem(date(2027, 4, 18), today) is not None
    assert date_problem(date(2092, 4, 7), today) is not None


def test_a_year_from_the_29th_of_february_is_the_28th() -> None:
    assert year_from(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert year_from(date(2024, 2, 29), -1) == date(2023, 2, 28)


def test_a_booking_or_value_date_a_year_off_refuses_the_payment_either_way() -> None:
    """camt.054 counts a payment from the earlier of the two; the later one must be a real
    date too (a BookgDt in 9999 with a ValDt of today was booked)."""
    today = date(2026, 3, 2)

    def paid(booked: date, value: date | None) -> BankTransaction:
        return BankTransaction(
            "Ntry 1", "86011117947", Decimal("1.00"), booked, None, value_on=value
        )

    assert far_date_problems([paid(today, today), paid(today, None)], today) == []
    for booked, value in ((date(9999, 12, 31), today), (today, date(9999, 12, 31))):
        (problem,) = far_date_problems([paid(booked, value)], today)
        assert (problem.field, problem.where) == ("date", "Ntry 1")
        assert "9999-12-31 is more than a year" in problem.reason
