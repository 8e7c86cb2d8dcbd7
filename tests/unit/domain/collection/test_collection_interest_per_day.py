"""What one more day of late interest adds (domain/collection/claim_interest.py), which the
notice and the payment demand give so the debtor can pay the exact amount (issue 12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fordring.domain.collection.claim_interest import interest_per_day
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.interest import late_interest_total
from fordring.domain.law.tables import MissingRate

D = Decimal
BOOK = rate_book()


def test_a_day_at_the_2026_rate_is_a_365th_of_12_percent() -> None:
    # 2500.00 × 12 % / 365 = 0.8219… → 0.82
    assert interest_per_day(D("2500.00"), date(2026, 4, 16), BOOK) == D("0.82")


def test_it_is_what_one_more_day_adds_to_the_interest() -> None:
    due, day = date(2026, 3, 2), date(2026, 4, 16)
    before = late_interest_total(D("12450.00"), due, day, BOOK)
    after = late_interest_total(D("12450.00"), due, date(2026, 4, 17), BOOK)
    assert interest_per_day(D("12450.00"), day, BOOK) == after - before == D("4.09")


def test_nothing_open_adds_nothing() -> None:
    assert interest_per_day(D(0), date(2026, 4, 16), BOOK) == 0


def test_a_day_without_a_rate_in_the_tables_is_a_missing_rate() -> None:
    with pytest.raises(MissingRate):
        interest_per_day(D("100.00"), date(2099, 7, 1), BOOK)
