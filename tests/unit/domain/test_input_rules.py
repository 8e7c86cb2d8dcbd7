"""The input rules every edge reads text by (issue 14 point 7): each refusal names its
field and has a stable code; what is accepted reads back exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.currencies import ISO_4217
from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import (
    LAST_BUSINESS_DAY,
    MAX_INTEGER,
    check_amount,
    check_text,
    parse_amount,
    parse_business_date,
    parse_currency_code,
    parse_iso_date,
    parse_number,
    parse_whole,
    text_problems,
)
from fordring.domain.money import MAX_AMOUNT


def refusal(error: pytest.ExceptionInfo[InvalidInput]) -> list[tuple[str, str, str]]:
    return [(p.where, p.field, p.code) for p in error.value.problems]


HOSTILE_NUMBERS = [
    "1e3",
    "1E3",
    "1_000",
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e400",
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "\u0967",  # Devanagari one
    "12\u00b2",  # superscript two
    "0x10",
    "1.2.3",
    "--1",
    "1-",
    "",
    " ",
    ".",
    "1" * 41,
]


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_a_number_is_plain_ascii_digits_or_it_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_number(text, "quantity", "line 3")
    assert refusal(error) == [("line 3", "quantity", "not_a_number")]


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_an_amount_refuses_the_same_forms(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_amount(text, "amount")
    assert refusal(error) == [("", "amount", "not_an_amount")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.50", "1234.50"),
        ("1234,50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234", "1234"),  # a no-break space between thousands, as Norwegian text has
        ("-0", "0"),
        ("+5", "5"),
        (".5", "0.5"),
        ("9999999999999.99", "9999999999999.99"),
    ],
)
def test_an_amount_is_read_as_people_write_it(text: str, expected: str) -> None:
    assert parse_amount(text, "amount", allow_negative=True) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("10000000000000", "too_large"),
        ("12345678901234567890", "too_large"),
        ("1.001", "too_many_decimals"),
        ("-5", "negative"),
    ],
)
def test_an_amount_out_of_bounds_has_its_code(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_amount(text, "principal")
    assert refusal(error) == [("", "principal", code)]


@given(st.decimals(min_value=-MAX_AMOUNT + 1, max_value=MAX_AMOUNT - 1, places=2))
def test_every_amount_in_ore_below_the_limit_reads_back_exactly(amount: Decimal) -> None:
    assert parse_amount(f"{amount:f}", "amount", allow_negative=True) == amount
    assert parse_amount(f"{amount:f}".replace(".", ","), "amount", allow_negative=True) == amount


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_a_parsed_number_is_finite_and_its_text_had_no_exponent(value: Decimal) -> None:
    text = str(value)
    try:
        parsed = parse_number(text, "quantity")
    except InvalidInput:
        assert "E" in text or len(text) > 40
    else:
        assert parsed.is_finite() and parsed == value


@given(st.text(max_size=12))
def test_anything_accepted_as_a_number_is_ascii(text: str) -> None:
    try:
        parse_number(text, "quantity")
    except InvalidInput:
        return
    assert text.strip().translate({0xA0: None, 0x202F: None, 0x20: None}).isascii()


def test_check_amount_guards_amounts_read_by_the_bank_readers() -> None:
    assert check_amount(Decimal("100.00"), "Amt") == Decimal("100.00")
    with pytest.raises(InvalidInput) as error:
        check_amount(Decimal("12345678901234567890.00"), "Ntry/Amt", "Ntry 1")
    assert refusal(error) == [("Ntry 1", "Ntry/Amt", "too_large")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1e3", "not_a_whole_number"),
        ("1_000", "not_a_whole_number"),
        ("\u0661\u0662", "not_a_whole_number"),
        ("1.0", "not_a_whole_number"),
        ("", "not_a_whole_number"),
        ("9" * 31, "not_a_whole_number"),
        (str(MAX_INTEGER + 1), "out_of_range"),
        ("99999999999999999999", "out_of_range"),
        ("-1", "out_of_range"),
    ],
)
def test_a_whole_number_is_ascii_digits_within_64_bits(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_whole(text, "number")
    assert refusal(error) == [("", "number", code)]


def test_a_whole_number_may_name_what_it_should_have_been() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_whole("0", "number", minimum=1, code="not_an_invoice_number")
    assert refusal(error) == [("", "number", "not_an_invoice_number")]
    assert parse_whole("-3", "offset", minimum=-5) == -3


@given(st.integers(min_value=0, max_value=MAX_INTEGER))
def test_every_64_bit_whole_number_reads_back(value: int) -> None:
    assert parse_whole(str(value), "number") == value


@pytest.mark.parametrize(
    "text",
    [
        "20260301",
        "2026-W10-1",
        "2026-061",
        "2026-3-1",
        "2026-02-30",
        "2026-03-01T00:00",
        "\u0662" * 4,
    ],
)
def test_a_date_is_written_yyyy_mm_dd_and_only_so(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_iso_date(text, "issue_date", "line 2")
    assert refusal(error) == [("line 2", "issue_date", "not_a_date")]


@pytest.mark.parametrize("text", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_business_date_lies_in_2000_to_2100(text: str) -> None:
    assert parse_iso_date(text, "date")  # a date, but no business date
    with pytest.raises(InvalidInput) as error:
        parse_business_date(text, "date")
    assert refusal(error) == [("", "date", "out_of_range")]


@given(st.dates(min_value=date(2000, 1, 1), max_value=LAST_BUSINESS_DAY))
def test_every_business_date_reads_back(day: date) -> None:
    assert parse_business_date(day.isoformat(), "date") == day


@pytest.mark.parametrize("text", ["XXX", "XTS", "XAU", "ABC", "EURO", "€", "N0K", "ÅØÆ"])
def test_a_currency_is_an_iso_4217_code_in_use(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_currency_code(text)
    assert refusal(error) == [("", "currency", "not_a_currency")]


def test_currencies_are_read_upper_case_and_empty_is_nok() -> None:
    assert parse_currency_code(" eur ") == "EUR"
    assert parse_currency_code("") == "NOK"
    assert {"NOK", "SEK", "DKK", "EUR", "USD", "GBP", "XOF"} <= ISO_4217
    assert all(len(code) == 3 and code.isascii() and code.isupper() for code in ISO_4217)


@pytest.mark.parametrize(
    "text",
    ["Kari\x00Nordmann", "a\tb", "line\nbreak", "bell\x07", "esc\x1b[31m", "c1\x85", "\ud800"],
)
def test_a_text_with_a_control_character_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check_text(text, "name", 200, "line 5")
    assert refusal(error) == [("line 5", "name", "control_character")]


def test_a_text_longer_than_its_limit_is_refused_with_both_counts() -> None:
    assert check_text("  " + "x" * 200 + "  ", "name", 200) == "x" * 200
    problems = text_problems("x" * 201, "name", 200)
    assert [(p.field, p.code) for p in problems] == [("name", "too_long")]
    assert "201 characters; at most 200" in problems[0].reason


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=200))
def test_any_text_without_control_characters_within_its_limit_is_kept(text: str) -> None:
    assert check_text(text, "name", 200) == text.strip()
