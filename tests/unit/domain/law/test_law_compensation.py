"""Standard compensation for business debtors (forsinkelsesrenteloven § 3a)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fordring.domain.errors import InvalidInput
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.compensation import (
    claims_compensation,
    salaer_less_compensation,
    standard_compensation,
)
from fordring.domain.law.explanation import Explanation, Line
from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import MissingRate

BOOK = rate_book()
D = Decimal


@pytest.mark.parametrize(
    ("due", "fees", "amount"),
    [
        ("2025-03-01", "0", "470.00"),
        ("2025-03-01", "35", "435.00"),
        ("2025-03-01", "70", "400.00"),
        ("2025-03-01", "500", "0.00"),  # never below zero
        ("2025-12-31", "0", "460.00"),  # late from 2026-01-01: 2026 H1
        ("2020-08-01", "0", "430.00"),
        ("2016-07-01", "0", "370.00"),
    ],
)
def test_business_compensation_less_reminder_fees(due: str, fees: str, amount: str) -> None:
    result = standard_compensation(
        due=date.fromisoformat(due), business=True, reminder_fees_charged=D(fees), book=BOOK
    )
    assert result.applies
    assert result.amount == D(amount)
    assert sum((line.amount for line in result.explanation.lines), D(0)) == result.amount


def test_half_year_is_that_of_the_first_late_day() -> None:
    result = standard_compensation(
        due=date(2025, 6, 30), business=True, reminder_fees_charged=D(0), book=BOOK
    )
    assert "2025 H2" in result.explanation.lines[0].text
    assert not result.explanation.confirmed  # carried forward, no source names 2025 H2


def test_no_compensation_from_a_consumer() -> None:
    result = standard_compensation(
        due=date(2025, 3, 1), business=False, reminder_fees_charged=D(0), book=BOOK
    )
    assert not result.applies
    assert result.amount == 0
    assert "consumer" in result.reason


def test_missing_compensation_for_2026_h2_names_the_half_year() -> None:
    with pytest.raises(MissingRate, match="standard compensation for 2026 H2"):
        standard_compensation(
            due=date(2026, 7, 1), business=True, reminder_fees_charged=D(0), book=BOOK
        )


def test_negative_fees_charged_is_invalid() -> None:
    with pytest.raises(InvalidInput, match="fees_charged"):
        standard_compensation(
            due=date(2025, 3, 1), business=True, reminder_fees_charged=D(-1), book=BOOK
        )


def test_2022_h1_is_390_with_its_source() -> None:
    row = BOOK.standardkompensasjon.at(date(2022, 3, 1))
    assert row.value == D(390) and row.confirmed
    assert "visma" in row.source
    result = standard_compensation(
        due=date(2021, 12, 31), business=True, reminder_fees_charged=D(0), book=BOOK
    )
    assert result.amount == D("390.00")  # late from 2022-01-01


def test_no_half_year_carries_an_amount_forward_without_saying_so() -> None:
    for row in BOOK.standardkompensasjon.rows:
        assert row.source
        if not row.confirmed:
            assert "carried forward" in row.note and "UNCONFIRMED" in row.note
    unconfirmed = {
        str(HalfYear.of(r.valid_from)) for r in BOOK.standardkompensasjon.rows if not r.confirmed
    }
    assert unconfirmed == {
        "2017 H1",
        "2017 H2",
        "2019 H1",
        "2020 H1",
        "2023 H2",
        "2024 H2",
        "2025 H2",
    }


def test_salaer_less_compensation_never_goes_below_zero() -> None:
    cap = Explanation("light salær cap", "s", (Line("cap", D("450.00")),), D("450.00"))
    net = salaer_less_compensation(cap, D("422.50"))
    assert net.total == D("27.50")
    assert [line.amount for line in net.lines] == [D("450.00"), D("-422.50")]
    assert salaer_less_compensation(cap, D("500.00")).total == D("0.00")
    assert salaer_less_compensation(cap, D(0)).lines == (Line("light salær cap", D("450.00")),)


def test_claims_of_one_case_share_the_fee_deduction_once() -> None:
    found = claims_compensation(
        [(2, date(2026, 3, 2)), (1, date(2025, 12, 1))], fees_charged=D("500"), book=BOOK
    )
    # oldest due first: claim 1 (late 2025 H2, 470 unconfirmed) takes 470 of the 500 fees,
    # claim 2 (2026 H1, 460) the other 30
    assert [(claim, c.amount) for claim, c in found] == [(1, D("0.00")), (2, D("430.00"))]
