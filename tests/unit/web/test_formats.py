"""Norwegian numbers and dates in the portal (entrypoints/web/formats.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from fordring.entrypoints.web.formats import amount, day, moment, rate, whole

NBSP = "\u00a0"  # the thousands' separator: an amount never breaks over two lines


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), f"1{NBSP}234,50"),
        (Decimal("0"), "0,00"),
        (Decimal("-1234567.89"), f"-1{NBSP}234{NBSP}567,89"),
        (Decimal("0.01"), "0,01"),
    ],
)
def test_amounts_are_written_the_norwegian_way(value: Decimal, shown: str) -> None:
    assert amount(value) == shown


def test_an_amount_is_never_a_float() -> None:
    with pytest.raises(TypeError):
        amount(1234.5)  # type: ignore[arg-type]


def test_counts_dates_and_moments_are_written_the_norwegian_way() -> None:
    assert whole(1234567) == f"1{NBSP}234{NBSP}567"
    assert day(date(2026, 12, 24)) == "24.12.2026"
    assert day(date(2026, 3, 2)) == "02.03.2026"
    assert moment(datetime(2026, 12, 24, 13, 5, tzinfo=UTC)) == "24.12.2026 kl. 14:05"  # Oslo


def test_an_exchange_rate_shows_its_decimals_but_no_trailing_zeros_beyond_two() -> None:
    assert rate(Decimal("11.500000")) == "11,50"
    assert rate(Decimal("0.094312")) == "0,094312"
    assert rate(Decimal("1234.5")) == f"1{NBSP}234,50"
