from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import parse_amount
from fordring.domain.money import Money, format_amount, round_ore, to_decimal


def test_round_ore_rounds_half_up() -> None:
    assert round_ore(Decimal("0.005")) == Decimal("0.01")
    assert round_ore(Decimal("2.675")) == Decimal("2.68")
    assert round_ore(Decimal("-0.005")) == Decimal("-0.01")
    assert round_ore(Decimal("0.004999")) == Decimal("0.00")


def test_money_adds_exactly_where_float_does_not() -> None:
    assert Money.of("0.10") + Money.of("0.20") == Money.of("0.30")


def test_money_refuses_mixing_currencies() -> None:
    with pytest.raises(ValueError, match="NOK with EUR"):
        Money.of("1") + Money.of("1", "EUR")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_no_money_operation_accepts_a_float(value: float) -> None:
    with pytest.raises(TypeError):
        Money(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of("1") * value  # type: ignore[operator]
    with pytest.raises(TypeError):
        round_ore(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_decimal(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.50", "1234.50"), ("1234,50", "1234.50"), (" 1 000 ", "1000"), ("0", "0")],
)
def test_parse_amount_reads_norwegian_and_plain_forms(text: str, expected: str) -> None:
    assert parse_amount(text, "amount") == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1.234", "-5", "1e400", "NaN", ""])
def test_parse_amount_names_the_field_when_it_refuses(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_amount(text, "principal")
    assert error.value.problems[0].field == "principal"


def test_format_amount_has_two_decimals() -> None:
    assert format_amount(Decimal(5)) == "5.00"
    assert format_amount(Decimal("-0.5")) == "-0.50"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_rounding_a_booked_amount_changes_nothing(amount: Decimal) -> None:
    assert round_ore(amount) == amount
