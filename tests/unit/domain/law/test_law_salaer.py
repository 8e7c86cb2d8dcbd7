"""Salær caps: band edges, light and heavy, business and non-VAT variants, the payment plan,
and heavy salær from day 43 after the demand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fordring.domain.errors import InvalidInput
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.deadlines import letter_deadline
from fordring.domain.law.salaer import (
    HEAVY_FROM,
    SalaerLevel,
    claim_size,
    heavy_salaer_from,
    salaer_cap,
    salaer_level,
)
from fordring.domain.law.tables import MissingRate

BOOK = rate_book()
D = Decimal
DUE, PAID = date(2025, 2, 10), date(2025, 3, 1)


def cap(
    size: str,
    level: SalaerLevel = SalaerLevel.LIGHT,
    *,
    due: date = DUE,
    on: date = PAID,
    business: bool = False,
    creditor_deducts_vat: bool = True,
    instalments: int = 0,
) -> Decimal:
    return salaer_cap(
        D(size),
        level=level,
        due=due,
        on=on,
        book=BOOK,
        business=business,
        creditor_deducts_vat=creditor_deducts_vat,
        instalments=instalments,
    ).amount


@pytest.mark.parametrize(
    ("size", "light", "heavy"),
    [
        ("0.01", "175.00", "350.00"),
        ("500.00", "175.00", "350.00"),
        ("500.01", "245.00", "490.00"),
        ("1000.00", "245.00", "490.00"),
        ("1000.01", "280.00", "560.00"),
        ("2500.00", "280.00", "560.00"),
        ("2500.01", "560.00", "1120.00"),
        ("10000.00", "560.00", "1120.00"),
        ("10000.01", "1120.00", "2240.00"),
        ("50000.00", "1120.00", "2240.00"),
        ("50000.01", "2520.00", "5040.00"),
        ("250000.00", "2520.00", "5040.00"),
        ("250000.01", "5040.00", "10080.00"),
    ],
)
def test_salaer_band_edges_consumer_creditor_deducts_vat(size: str, light: str, heavy: str) -> None:
    assert cap(size) == D(light)
    assert cap(size, SalaerLevel.HEAVY) == D(heavy)


@pytest.mark.parametrize(
    ("size", "business", "deducts_vat", "amount"),
    [
        ("8000", True, True, "840.00"),  # 560 × 1.5
        ("8000", False, False, "700.00"),  # 560 + 25 %
        ("8000", True, False, "1050.00"),  # 560 × 1.5 + 25 %
        ("500", True, False, "328.12"),  # 175 × 1.5 × 1.25 = 328.125, rounded down (a cap)
    ],
)
def test_salaer_business_and_non_vat_variants(
    size: str, business: bool, deducts_vat: bool, amount: str
) -> None:
    assert cap(size, business=business, creditor_deducts_vat=deducts_vat) == D(amount)


def test_salaer_cap_is_rounded_down_and_its_lines_sum_to_it() -> None:
    result = salaer_cap(
        D(500),
        level=SalaerLevel.LIGHT,
        due=DUE,
        on=PAID,
        book=BOOK,
        business=True,
        creditor_deducts_vat=False,
    )
    assert [line.amount for line in result.explanation.lines] == [
        D("175.00"),
        D("87.50"),
        D("65.62"),
    ]
    assert result.amount == D("328.12")


def test_salaer_uses_the_sats_of_the_payment_day() -> None:
    assert cap("500", on=date(2026, 1, 5)) == D("187.50")  # 0.25 × 750 (UNCONFIRMED)
    assert cap("10000", on=date(2026, 1, 5)) == D("600.00")
    result = salaer_cap(D(500), level=SalaerLevel.LIGHT, due=DUE, on=date(2026, 1, 5), book=BOOK)
    assert not result.explanation.confirmed


def test_payment_plan_addition_only_above_four_instalments() -> None:
    assert cap("8000", instalments=4) == D("560.00")
    result = salaer_cap(
        D(8000), level=SalaerLevel.LIGHT, due=DUE, on=PAID, book=BOOK, instalments=5
    )
    assert result.amount == D("1610.00")  # 560 + 1.5 × 700 (UNCONFIRMED)
    assert not result.explanation.confirmed


def test_claim_size_adds_interest_accrued_before_due() -> None:
    assert cap(str(claim_size(D(480), D(30)))) == D("245.00")
    with pytest.raises(InvalidInput):
        claim_size(D(-1))


def test_salaer_for_a_claim_due_before_the_old_scale_is_not_guessed() -> None:
    with pytest.raises(MissingRate, match="salaer_scale"):
        cap("500", due=date(2009, 12, 31))


@pytest.mark.parametrize(
    ("size", "light", "heavy"),
    [
        ("500.00", "350.00", "700.00"),  # no 500 / 1 000 bands before 2020
        ("2500.00", "350.00", "700.00"),
        ("2500.01", "700.00", "1400.00"),
        ("10000.00", "700.00", "1400.00"),
        ("10000.01", "1400.00", "2800.00"),
        ("50000.01", "2800.00", "5600.00"),
        ("250000.00", "2800.00", "5600.00"),
        ("250000.01", "5600.00", "11200.00"),
    ],
)
def test_a_claim_due_before_2020_10_01_uses_the_old_scale(
    size: str, light: str, heavy: str
) -> None:
    """0.5 / 1 / 2 / 4 / 8 × sats light, twice that heavy, bands up to 2 500 / 10 000 /
    50 000 / 250 000 (totalkapital.no 2019 table at sats 700)."""
    old_due = date(2020, 9, 30)
    assert cap(size, due=old_due) == D(light)
    assert cap(size, SalaerLevel.HEAVY, due=old_due) == D(heavy)
    assert cap(size, due=date(2020, 10, 1)) < D(light)  # the 2020 cuts


@pytest.mark.parametrize(
    ("demand", "on", "level"),
    [
        # demand 2025-03-03, deadline Monday 2025-03-17: day 42 light, day 43 heavy
        ("2025-03-03", "2025-04-14", SalaerLevel.LIGHT),
        ("2025-03-03", "2025-04-15", SalaerLevel.HEAVY),
        ("2025-03-03", "2025-03-17", SalaerLevel.LIGHT),  # the deadline itself
        # demand 2026-03-20: its deadline moves from Good Friday to Tuesday 2026-04-07,
        # so heavy salær starts 29 days after that, not on day 43 after sending
        ("2026-03-20", "2026-05-05", SalaerLevel.LIGHT),
        ("2026-03-20", "2026-05-06", SalaerLevel.HEAVY),
    ],
)
def test_heavy_salaer_once_the_demand_deadline_is_exceeded_by_more_than_28_days(
    demand: str, on: str, level: SalaerLevel
) -> None:
    deadline = letter_deadline(date.fromisoformat(demand)).deadline
    assert salaer_level(date.fromisoformat(on), deadline) is level


def test_heavy_salaer_from_is_day_43_after_a_14_day_demand() -> None:
    deadline = letter_deadline(date(2025, 3, 3)).deadline
    assert deadline == date(2025, 3, 17)
    assert heavy_salaer_from(deadline) == date(2025, 4, 15)
    assert (heavy_salaer_from(deadline) - date(2025, 3, 3)).days == 43


def test_the_heavy_cap_says_when_it_applies() -> None:
    heavy = salaer_cap(D(8000), level=SalaerLevel.HEAVY, due=DUE, on=PAID, book=BOOK)
    assert heavy.explanation.notes == (HEAVY_FROM,)
    assert "day 43" in HEAVY_FROM
    light = salaer_cap(D(8000), level=SalaerLevel.LIGHT, due=DUE, on=PAID, book=BOOK)
    assert light.explanation.notes == ()


sizes = st.integers(0, 10**8).map(lambda ore: D(ore).scaleb(-2))


@settings(deadline=None)
@given(sizes, sizes, st.booleans(), st.booleans())
def test_salaer_grows_with_claim_size_and_heavy_is_never_below_light(
    a: Decimal, b: Decimal, business: bool, vat: bool
) -> None:
    small, large = sorted([a, b])

    def capped(size: Decimal, level: SalaerLevel = SalaerLevel.LIGHT) -> Decimal:
        return cap(str(size), level, business=business, creditor_deducts_vat=vat)

    assert capped(small) <= capped(large)
    assert capped(small) <= capped(small, SalaerLevel.HEAVY)
    assert cap(str(small)) <= capped(small)
    heavy = salaer_cap(
        small, level=SalaerLevel.HEAVY, due=DUE, on=PAID, book=BOOK, business=business
    )
    assert sum((line.amount for line in heavy.explanation.lines), D(0)) == heavy.amount
    assert heavy.amount <= D("10080.00") * D("1.5")


def test_the_heavy_cap_is_twice_the_unrounded_light_cap_rounded_down() -> None:
    def business(level: SalaerLevel, on: date = PAID) -> Decimal:
        return cap("500", level, on=on, business=True, creditor_deducts_vat=False)

    assert business(SalaerLevel.LIGHT) == D("328.12")  # 328.125 rounded down
    assert business(SalaerLevel.HEAVY) == D("656.25")  # 2 × 328.125, not 656.24
    # at the 2026 sats 750: light 0.25 × 750 × 1.5 × 1.25 = 351.5625
    later = date(2026, 1, 5)
    assert business(SalaerLevel.LIGHT, later) == D("351.56")
    assert business(SalaerLevel.HEAVY, later) == D("703.12")  # 703.125 rounded down


def test_the_payment_plan_addition_comes_after_the_business_and_vat_factors() -> None:
    result = salaer_cap(
        D(8000),
        level=SalaerLevel.LIGHT,
        due=DUE,
        on=PAID,
        book=BOOK,
        business=True,
        creditor_deducts_vat=False,
        instalments=5,
    )
    # 560 × 1.5 × 1.25 = 1050, then + 1.5 × 700 = 1050: 2100 (not (560 + 1050) × 1.875)
    assert result.amount == D("2100.00")
    assert [line.amount for line in result.explanation.lines] == [
        D("560.00"),
        D("280.00"),
        D("210.00"),
        D("1050.00"),
    ]
    assert result.explanation.lines[-1].text.startswith("payment plan of 5 instalments")


@settings(deadline=None)
@given(
    sizes,
    st.sampled_from([SalaerLevel.LIGHT, SalaerLevel.HEAVY]),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0, 5]),
    st.sampled_from([PAID, date(2026, 1, 5)]),
)
def test_a_cap_is_never_above_the_exact_value_nor_an_ore_below_it(
    size: Decimal, level: SalaerLevel, business: bool, vat: bool, instalments: int, on: date
) -> None:
    result = salaer_cap(
        size,
        level=level,
        due=DUE,
        on=on,
        book=BOOK,
        business=business,
        creditor_deducts_vat=vat,
        instalments=instalments,
    )
    sats = BOOK.inkassosats.at(on).value
    multiple = result.band.light if level is SalaerLevel.LIGHT else result.band.heavy
    exact = multiple * sats * (D("1.5") if business else 1) * (1 if vat else D("1.25"))
    exact += D("1.5") * sats if instalments else 0
    assert exact - D("0.01") < result.amount <= exact
    assert sum((line.amount for line in result.explanation.lines), D(0)) == result.amount
