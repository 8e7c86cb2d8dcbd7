"""Text read into typed values at the edges: every problem names its field and has a
stable code (issue 13)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.company import Address
from fordring.domain.customers import (
    CustomerChanges,
    CustomerDetails,
    CustomerKind,
    text_problems_of,
)
from fordring.domain.errors import InvalidInput
from fordring.domain.invoices import InvoiceLine, line
from fordring.domain.language import Language
from fordring.domain.ledger import VoucherTypeCode
from fordring.domain.text_input import (
    _make_line_checked,
    make_line,
    parse_currency,
    parse_customer_details,
    parse_customer_number,
    parse_line_spec,
    parse_line_specs,
    parse_match_item,
    parse_voucher_type,
)


def codes(error: pytest.ExceptionInfo[InvalidInput]) -> list[tuple[str, str, str]]:
    return [(p.where, p.field, p.code) for p in error.value.problems]


def test_a_line_spec_becomes_a_line_with_decimal_amounts_and_a_vat_rate() -> None:
    assert parse_line_spec("Time;1,5;1000.50;25%") == line(
        "Time", Decimal("1.5"), Decimal("1000.50"), Decimal(25)
    )


def test_every_bad_part_of_a_line_has_its_field_and_code() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_line_spec("Time;many;1000;7", "line 2")
    assert codes(error) == [
        ("line 2", "quantity", "not_a_number"),
        ("line 2", "vat", "not_a_vat_rate"),
    ]
    with pytest.raises(InvalidInput) as error:
        parse_line_spec("Time;1;1000", "line 1")
    assert codes(error) == [("line 1", "line", "line_format")]
    with pytest.raises(InvalidInput) as error:
        parse_line_spec("Time;1;0.0000001;25")
    assert codes(error) == [("", "unit_price", "too_many_decimals")]


def test_line_specs_are_numbered_in_their_problems() -> None:
    lines, problems = parse_line_specs(["a;1;1;25", "b;x;1;25"])
    assert len(lines) == 1
    assert [(p.where, p.field, p.code) for p in problems] == [
        ("line 2", "quantity", "not_a_number")
    ]


@pytest.mark.parametrize(
    ("currency", "rate", "field", "code"),
    [
        ("EURO", "11", "currency", "not_a_currency"),
        ("NOK", "2", "exchange_rate", "not_allowed"),
        ("EUR", "", "exchange_rate", "required"),
        ("EUR", "-1", "exchange_rate", "not_positive"),
        ("EUR", "elleve", "exchange_rate", "not_a_number"),
    ],
)
def test_a_bad_currency_or_rate_has_a_code(currency: str, rate: str, field: str, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_currency(currency, rate)
    assert codes(error) == [("", field, code)]


def test_a_currency_is_read_with_its_rate_as_decimal() -> None:
    assert parse_currency("eur", "11,4821") == ("EUR", Decimal("11.4821"))
    assert parse_currency("", "") == ("NOK", Decimal(1))


def test_customer_fields_become_details_with_typed_values() -> None:
    details = parse_customer_details(
        {
            "name": "Kari",
            "birth_date": "1980-05-17",
            "language": "EN",
            "exempt": "ja",
            "email": "kari@example.no",
            "email_reliable": "yes",
            "address": "Vei 1",
            "postcode": "0565",
            "city": "Oslo",
        }
    )
    assert details == CustomerDetails(
        CustomerKind.CONSUMER,
        "Kari",
        birth_date=date(1980, 5, 17),
        address=Address("Vei 1", "0565", "Oslo", "NO"),
        email="kari@example.no",
        language=Language.EN,
        reminder_exempt=True,
        email_reliable=True,
    )


def test_every_bad_customer_field_is_named_with_its_code() -> None:
    fields = {
        "kind": "robot",
        "orgnr": "123",
        "birth_date": "17. mai",
        "peppol": "x:1",
        "language": "sv",
        "exempt": "kanskje",
        "country": "NOR",
    }
    with pytest.raises(InvalidInput) as error:
        parse_customer_details(fields, "line 4")
    assert sorted(codes(error)) == sorted(
        [
            ("line 4", "kind", "not_a_choice"),
            ("line 4", "orgnr", "not_an_orgnr"),
            ("line 4", "birth_date", "not_a_date"),
            ("line 4", "peppol", "not_a_peppol_id"),
            ("line 4", "language", "not_a_choice"),
            ("line 4", "country", "not_a_country"),
            ("line 4", "exempt", "not_yes_no"),
        ]
    )
    with pytest.raises(InvalidInput) as error:
        parse_customer_number("0")
    assert codes(error) == [("", "number", "not_a_customer_number")]


def test_changes_leave_what_they_do_not_name_and_an_empty_peppol_removes_it() -> None:
    before = CustomerDetails(
        CustomerKind.BUSINESS, "AS", "923609016", peppol_id="0192:923609016", email="a@b.no"
    )
    after = CustomerChanges(city="Bergen", peppol_id="").applied_to(before)
    assert (after.address.city, after.peppol_id, after.email) == ("Bergen", None, "a@b.no")
    assert CustomerChanges().is_empty()


# --- the input rules as the typed helpers apply them (issue 14 point 7) ---------------


@pytest.mark.parametrize(
    ("spec", "field", "code"),
    [
        ("Time\x00;1;100;25", "line", "control_character"),
        ("T" * 501 + ";1;100;25", "line", "too_long"),
        ("Time;1.0000001;100;25", "quantity", "too_many_decimals"),
        ("Time;1e2;100;25", "quantity", "not_a_number"),
        ("Time;1;1_000;25", "unit_price", "not_a_number"),
        ("Time;100000000;99999999999;25", "amount", "too_large"),
        ("Time;999999999;99999;25", "amount", "too_large"),  # 10^14: over the largest amount
    ],
)
def test_a_line_breaking_an_input_rule_names_field_and_code(
    spec: str, field: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_line_spec(spec, "line 1")
    assert codes(error) == [("line 1", field, code)]


plain_numbers = st.one_of(
    st.decimals(min_value=-(10**10), max_value=10**10, places=7).map(str),
    st.sampled_from(["1", "0", "-1", "7.5", "1e3", "NaN", "0.0000001", "1000000000"]),
)


@given(
    st.text(max_size=8),
    plain_numbers,
    plain_numbers,
    st.sampled_from(["25", "15", "12", "0", "24", "25%"]),
)
def test_the_quick_path_for_plain_lines_agrees_with_the_full_rules(
    description: str, quantity: str, unit_price: str, vat: str
) -> None:
    def outcome(read: Callable[[], InvoiceLine]) -> object:
        try:
            return read()
        except InvalidInput as error:
            return sorted((p.field, p.code) for p in error.problems)

    quick = outcome(lambda: make_line(description, quantity, unit_price, vat))
    full = outcome(lambda: _make_line_checked(description, quantity, unit_price, vat, ""))
    if isinstance(quick, InvoiceLine) and isinstance(full, InvoiceLine):
        # the full rules strip the text; the quick path takes a CSV cell already stripped
        assert quick._replace(description=quick.description.strip()) == full
    else:
        assert quick == full


@pytest.mark.parametrize(
    ("rate", "code"),
    [("1000000", "out_of_range"), ("10.1234567", "out_of_range"), ("1e1", "not_a_number")],
)
def test_an_exchange_rate_is_plain_bounded_and_at_most_six_decimals(rate: str, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_currency("EUR", rate)
    assert codes(error) == [("", "exchange_rate", code)]


@pytest.mark.parametrize("text", ["case:" + "9" * 20, "\u0661\u0662", "case:\u0661", "1_0"])
def test_a_match_item_is_a_64_bit_number_in_ascii_digits(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_match_item(text)
    assert [p.field for p in error.value.problems] == ["item"]


def test_a_customers_texts_are_checked_by_the_input_rules() -> None:
    details = parse_customer_details(
        {"name": "Kari\x00", "address": "G" * 201, "city": "Os\nlo", "phone": "1" * 31}
    )
    assert sorted((p.field, p.code) for p in text_problems_of(details, "line 2")) == [
        ("address", "too_long"),
        ("city", "control_character"),
        ("name", "control_character"),
        ("phone", "too_long"),
    ]


def test_a_write_offs_type_is_a_voucher_type_code_in_any_case() -> None:
    assert parse_voucher_type(" tap ") is VoucherTypeCode.LOSS
    assert parse_voucher_type("INN") is VoucherTypeCode.PAYMENT
    for text in ("TAPX", "", "tap;"):
        with pytest.raises(InvalidInput) as error:
            parse_voucher_type(text)
        assert codes(error) == [("", "type", "not_a_choice")]
