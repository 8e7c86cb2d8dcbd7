import pytest

from fordring.domain.errors import InvalidInput
from fordring.domain.identifiers import (
    account_iban,
    format_account,
    parse_account,
    parse_orgnr,
    vat_number,
)


@pytest.mark.parametrize("good", ["988077917", "123456785", "988 077 917"])
def test_valid_organisation_numbers_are_accepted_compact(good: str) -> None:
    assert parse_orgnr(good) == good.replace(" ", "")


@pytest.mark.parametrize("bad", ["988077918", "12345678", "abcdefghi", ""])
def test_invalid_organisation_number_names_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_orgnr(bad, "orgnr")
    assert error.value.problems[0].field == "orgnr"


def test_bank_account_and_its_iban() -> None:
    assert parse_account("8601.11.17947") == "86011117947"
    assert account_iban("86011117947") == "NO9386011117947"
    assert format_account("86011117947") == "8601 11 17947"


@pytest.mark.parametrize("bad", ["86011117948", "1234", "8601111794x"])
def test_invalid_bank_account_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="account"):
        parse_account(bad)


def test_vat_number_wraps_the_orgnr() -> None:
    assert vat_number("988077917") == "NO988077917MVA"
