"""Late interest: worked examples from DOMAIN.md § 6 and the invariants of simple interest."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fordring.domain.errors import InvalidInput
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.interest import (
    late_interest,
    late_interest_exact,
    late_interest_total,
)
from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import MissingRate, Row

BOOK = rate_book()
D = Decimal


@pytest.mark.parametrize(
    ("principal", "due", "paid", "periods", "total"),
    [
        # DOMAIN.md § 6: 171 days at 2025 H1, 32 days at 2025 H2
        (
            "10000",
            "2025-01-10",
            "2025-08-01",
            [(171, "12.50", "585.62"), (32, "12.25", "107.40")],
            "693.02",
        ),
        # paid the day after the due date: one day
        ("10000", "2025-03-10", "2025-03-11", [(1, "12.50", "3.42")], "3.42"),
        # leap year: February 2024 has 29 days and a day is 1/366 of the year
        ("10000", "2024-01-31", "2024-03-01", [(30, "12.50", "102.46")], "102.46"),
        # the whole of 2024 H1: 182 days over 366
        ("1000", "2023-12-31", "2024-06-30", [(182, "12.50", "62.16")], "62.16"),
        # across New Year from a 365-day year into a 366-day year
        (
            "10000",
            "2023-12-15",
            "2024-01-15",
            [(16, "11.75", "51.51"), (15, "12.50", "51.23")],
            "102.74",
        ),
        # 2020 (leap year) H1 to H2, when the rate fell from 9.50 to 8.00
        (
            "10000",
            "2020-06-20",
            "2020-07-10",
            [(10, "9.50", "25.96"), (10, "8.00", "21.86")],
            "47.82",
        ),
        # three half-years: 2024 H1 (366), 2024 H2 (184 days, 366), 2025 H1 (365)
        (
            "10000",
            "2024-06-15",
            "2025-01-05",
            [(15, "12.50", "51.23"), (184, "12.50", "628.42"), (5, "12.50", "17.12")],
            "696.77",
        ),
        # the first half-year in the table
        ("5000", "2015-01-01", "2015-01-31", [(30, "9.25", "38.01")], "38.01"),
        # exactly half an øre rounds up: 73 × 12.5 % / 365 = 0.025
        ("73", "2025-01-10", "2025-01-11", [(1, "12.50", "0.03")], "0.03"),
        # 2022 H2 to 2023 H1 (9.25 → 10.75)
        (
            "2500",
            "2022-12-01",
            "2023-01-31",
            [(30, "9.25", "19.01"), (31, "10.75", "22.83")],
            "41.84",
        ),
    ],
)
def test_late_interest_worked_examples(
    principal: str, due: str, paid: str, periods: list[tuple[int, str, str]], total: str
) -> None:
    result = late_interest(D(principal), date.fromisoformat(due), date.fromisoformat(paid), BOOK)
    assert [(p.days, str(p.percent), str(p.amount)) for p in result.periods] == periods
    assert result.total == D(total)
    assert result.days == sum(p.days for p in result.periods)
    assert late_interest_total(
        D(principal), date.fromisoformat(due), date.fromisoformat(paid), BOOK
    ) == D(total)


def test_domain_example_periods_run_from_the_day_after_due_to_the_payment_day() -> None:
    result = late_interest(D(10000), date(2025, 1, 10), date(2025, 8, 1), BOOK)
    assert [(p.start, p.end) for p in result.periods] == [
        (date(2025, 1, 11), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 8, 1)),
    ]


@pytest.mark.parametrize("paid", ["2025-01-10", "2025-01-01"])
def test_no_interest_when_paid_on_or_before_due(paid: str) -> None:
    result = late_interest(D(10000), date(2025, 1, 10), date.fromisoformat(paid), BOOK)
    assert result.total == 0
    assert result.periods == ()
    assert result.explanation().notes


def test_unconfirmed_rate_marks_the_result_unconfirmed() -> None:
    assert not late_interest(D(100), date(2025, 7, 1), date(2025, 7, 2), BOOK).confirmed
    assert late_interest(D(100), date(2025, 1, 1), date(2025, 1, 2), BOOK).confirmed


def test_missing_2026_h2_rate_names_the_half_year() -> None:
    with pytest.raises(
        MissingRate, match="no late-interest rate for 2026 H2; add it to the rates file"
    ):
        late_interest(D(10000), date(2026, 6, 1), date(2026, 7, 1), BOOK)
    with pytest.raises(MissingRate, match="2026 H2"):
        late_interest_total(D(10000), date(2026, 6, 1), date(2026, 7, 1), BOOK)


def test_missing_rate_before_the_table_names_the_half_year() -> None:
    with pytest.raises(MissingRate, match="2014 H2"):
        late_interest_total(D(10000), date(2014, 12, 20), date(2015, 1, 5), BOOK)


def test_operator_rate_for_2026_h2_is_used() -> None:
    book = BOOK.overridden({"forsinkelsesrente": [Row(date(2026, 7, 1), D("12.00"), "test")]})
    result = late_interest(D(10000), date(2026, 6, 30), date(2026, 7, 31), book)
    assert [(p.days, p.amount) for p in result.periods] == [(31, D("101.92"))]


def test_gap_in_the_rates_is_reported_not_bridged() -> None:
    book = BOOK.overridden({"forsinkelsesrente": [Row(date(2027, 1, 1), D("11.00"), "test")]})
    with pytest.raises(MissingRate, match="2026 H2"):
        late_interest_total(D(100), date(2026, 6, 1), date(2027, 1, 2), book)
    assert late_interest_total(D(36500), date(2027, 1, 1), date(2027, 1, 2), book) == D("11.00")


@pytest.mark.parametrize("principal", ["-1", "10.005"])
def test_principal_must_be_whole_non_negative_ore(principal: str) -> None:
    with pytest.raises(InvalidInput, match="principal"):
        late_interest(D(principal), date(2025, 1, 1), date(2025, 2, 1), BOOK)
    with pytest.raises(InvalidInput, match="principal"):
        late_interest_total(D(principal), date(2025, 1, 1), date(2025, 2, 1), BOOK)


# --- properties ------------------------------------------------------------------------

FIRST, LAST = date(2015, 1, 1), date(2026, 6, 30)
days = st.dates(min_value=FIRST - timedelta(days=1), max_value=LAST)
principals = st.integers(min_value=0, max_value=10**9).map(lambda ore: D(ore).scaleb(-2))


def reference(principal: Decimal, due: date, paid: date) -> Decimal:
    """Day by day with fractions, grouped per half-year, each group rounded half-up."""
    groups: dict[HalfYear, Fraction] = {}
    day = due + timedelta(days=1)
    while day <= paid:
        half = HalfYear.of(day)
        rate = Fraction(BOOK.forsinkelsesrente.at(day).value) / 100
        groups[half] = (
            groups.get(half, Fraction(0)) + Fraction(principal) * rate / half.days_in_year
        )
        day += timedelta(days=1)
    return sum((_half_up(g) for g in groups.values()), D("0.00"))


def _half_up(value: Fraction) -> Decimal:
    """Exact half-up rounding to øre of a non-negative fraction of kroner."""
    return D(math.floor((value * 200 + 1) / 2)).scaleb(-2)


@settings(deadline=None, max_examples=150)
@given(principals, days, days)
def test_interest_matches_a_day_by_day_reference(principal: Decimal, due: date, paid: date) -> None:
    due, paid = min(due, paid), max(due, paid)
    if (paid - due).days > 800:
        paid = due + timedelta(days=800)
    assert late_interest_total(principal, due, paid, BOOK) == reference(principal, due, paid)


@settings(deadline=None)
@given(principals, days, days, days)
def test_interest_is_additive_over_any_split_date(
    principal: Decimal, a: date, b: date, c: date
) -> None:
    due, split, paid = sorted([a, b, c])
    whole = late_interest_exact(principal, due, paid, BOOK)
    assert whole == late_interest_exact(principal, due, split, BOOK) + late_interest_exact(
        principal, split, paid, BOOK
    )
    # rounded per period, a split inside a half-year may move one øre, never more
    parts = late_interest_total(principal, due, split, BOOK) + late_interest_total(
        principal, split, paid, BOOK
    )
    assert abs(late_interest_total(principal, due, paid, BOOK) - parts) <= D("0.01")


@settings(deadline=None)
@given(principals, days, days, st.integers(min_value=0, max_value=22))
def test_interest_is_exactly_additive_over_a_half_year_boundary(
    principal: Decimal, a: date, b: date, offset: int
) -> None:
    due, paid = min(a, b), max(a, b)
    split = HalfYear.of(due)
    for _ in range(offset):
        split = split.next()
    split_day = min(max(split.end, due), paid)
    total = late_interest_total(principal, due, paid, BOOK)
    parts = late_interest_total(principal, due, split_day, BOOK) + late_interest_total(
        principal, split_day, paid, BOOK
    )
    assert total == parts


@settings(deadline=None)
@given(principals, days, days, days)
def test_interest_never_falls_as_time_passes(principal: Decimal, a: date, b: date, c: date) -> None:
    due, earlier, later = sorted([a, b, c])
    assert late_interest_total(principal, due, earlier, BOOK) <= late_interest_total(
        principal, due, later, BOOK
    )


@settings(deadline=None)
@given(principals, days, st.integers(min_value=0, max_value=400))
def test_interest_is_zero_when_paid_on_or_before_due(
    principal: Decimal, due: date, back: int
) -> None:
    paid = due - timedelta(days=back)
    assert late_interest_total(principal, due, paid, BOOK) == 0


@settings(deadline=None)
@given(principals, days, days)
def test_interest_lines_sum_to_the_total(principal: Decimal, a: date, b: date) -> None:
    result = late_interest(principal, min(a, b), max(a, b), BOOK)
    explanation = result.explanation()
    assert sum((line.amount for line in explanation.lines), D(0)) == result.total
    assert explanation.total == late_interest_total(principal, min(a, b), max(a, b), BOOK)
    assert sum(p.days for p in result.periods) == result.days
