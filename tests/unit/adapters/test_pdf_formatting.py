"""How amounts, rates, dates and accounts read on a letter, in bokmål and English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fordring.adapters.pdf.formatting import (
    NBSP,
    account_number,
    address_lines,
    amount,
    day,
    money,
    rate,
    weekday_and_day,
)
from fordring.domain.collection.letters import Party
from fordring.domain.language import Language

D = Decimal
NB, EN = Language.NB, Language.EN


@pytest.mark.parametrize(
    ("value", "nb", "en"),
    [
        ("0", "0,00", "0.00"),
        ("35", "35,00", "35.00"),
        ("999.99", "999,99", "999.99"),
        ("1234.5", "1 234,50", "1,234.50"),
        ("1234567.89", "1 234 567,89", "1,234,567.89"),
        ("-1234.50", "-1 234,50", "-1,234.50"),
        ("100000", "100 000,00", "100,000.00"),
    ],
)
def test_amounts_are_grouped_by_thousands_in_each_language(value: str, nb: str, en: str) -> None:
    assert amount(D(value), NB) == nb.replace(" ", NBSP)
    assert amount(D(value), EN) == en


def test_amounts_are_rounded_half_up_to_ore() -> None:
    assert amount(D("0.005"), EN) == "0.01"
    assert amount(D("2.675"), EN) == "2.68"
    assert amount(D("-0.005"), EN) == "-0.01"


def test_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        amount(0.1, NB)  # type: ignore[arg-type]


def test_money_in_running_text_carries_the_currency_without_a_line_break() -> None:
    assert money(D("35"), NB) == f"kr{NBSP}35,00"
    assert money(D("1234.5"), EN) == f"NOK{NBSP}1,234.50"


@pytest.mark.parametrize(
    ("value", "nb", "en"),
    [("12", "12,00 %", "12.00%"), ("12.25", "12,25 %", "12.25%"), ("9.125", "9,125 %", "9.125%")],
)
def test_rates_keep_at_least_two_decimals(value: str, nb: str, en: str) -> None:
    assert rate(D(value), NB) == nb.replace(" ", NBSP)
    assert rate(D(value), EN) == en


def test_dates_read_the_norwegian_way_and_unambiguously_in_english() -> None:
    assert day(date(2026, 3, 5), NB) == "05.03.2026"
    assert day(date(2026, 3, 5), EN) == f"5{NBSP}Mar{NBSP}2026"
    assert weekday_and_day(date(2026, 3, 5), NB) == "torsdag 05.03.2026"
    assert weekday_and_day(date(2026, 3, 5), EN) == f"Thursday 5{NBSP}Mar{NBSP}2026"


def test_a_norwegian_account_is_grouped_4_2_5_and_anything_else_is_left_alone() -> None:
    assert account_number("86011117947") == "8601\u00a011\u00a017947"
    assert account_number("8601.11.17947") == "8601\u00a011\u00a017947"
    assert account_number("NO9386011117947") == "NO9386011117947"


def test_the_country_line_is_written_only_abroad() -> None:
    home = Party("Kari", "Storgata 1", "0155", "Oslo")
    abroad = Party("Karin", "Storgatan 1", "111 22", "Stockholm", country="SE")
    assert address_lines(home) == ["Storgata 1", "0155 Oslo"]
    assert address_lines(abroad) == ["Storgatan 1", "111 22 Stockholm", "SWEDEN"]
