import pytest

from fordring.domain.errors import InvalidInput
from fordring.domain.identifiers import (
    BankAccount,
    Orgnr,
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


def test_an_orgnr_and_a_bank_account_value_are_checked_by_mod11_when_made() -> None:
    assert Orgnr("988 077 917") == "988077917"
    assert BankAccount("8601.11.17947") == "86011117947"
    assert isinstance(parse_orgnr("988077917"), Orgnr)
    assert isinstance(parse_account("86011117947"), BankAccount)
    for make, text, code in (
        (Orgnr, "988077918", "not_an_orgnr"),
        (BankAccount, "86011117948", "not_a_bank_account"),
    ):
        with pytest.raises(InvalidInput) as error:
            make(text)
        assert [p.code for p in error.value.problems] == [code]
