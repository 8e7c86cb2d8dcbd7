"""Norwegian identifiers: organisation number, MVA number, bank account (a Peppol
participant id is read in domain/peppol.py).

The check-digit rules come from python-stdnum (stdnum.no.*); see DOMAIN.md § 8.
Each `parse_*` returns the compact form or raises InvalidInput naming the field.
"""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.no import kontonr, mva, orgnr

from fordring.domain.errors import InvalidInput

PEPPOL_ORGNR_SCHEME = "0192"
LEGACY_ORGNR_SCHEME = "9908"


class Orgnr(str):
    """A Norwegian organisation number, checked when made: 9 digits in compact form, MOD11
    check digit (weights 3,2,7,6,5,4,3,2). What a typed command carries (NewCompany,
    NewCollector); `Orgnr(text)` refuses a bad one as `parse_orgnr` does."""

    __slots__ = ()

    def __new__(cls, text: str) -> Orgnr:
        return super().__new__(cls, _orgnr(text, "orgnr"))


class BankAccount(str):
    """A Norwegian bank account, checked when made: 11 digits in compact form, MOD11
    check digit (weights 5,4,3,2,7,6,5,4,3,2); `BankAccount(text)` refuses a bad one."""

    __slots__ = ()

    def __new__(cls, text: str) -> BankAccount:
        return super().__new__(cls, _account(text, "account"))


def parse_orgnr(value: str, field: str = "orgnr") -> Orgnr:
    """An organisation number as typed, or InvalidInput naming `field` (not_an_orgnr)."""
    return str.__new__(Orgnr, _orgnr(value, field))


def parse_account(value: str, field: str = "account") -> BankAccount:
    """A bank account as typed, or InvalidInput naming `field` (not_a_bank_account)."""
    return str.__new__(BankAccount, _account(value, field))


def _orgnr(value: str, field: str) -> str:
    try:
        return str(orgnr.validate(value))
    except ValidationError as error:
        raise InvalidInput.one(
            field, f"{value!r} is not a valid organisation number: {error}", code="not_an_orgnr"
        ) from None


def _account(value: str, field: str) -> str:
    try:
        compact = str(kontonr.validate(value))
    except ValidationError as error:
        reason = f"{value!r} is not a valid bank account: {error}"
        raise InvalidInput.one(field, reason, code="not_a_bank_account") from None
    if len(compact) != 11:
        reason = f"{value!r} is not an 11-digit bank account"
        raise InvalidInput.one(field, reason, code="not_a_bank_account")
    return compact


def account_iban(account: str) -> str:
    return str(kontonr.to_iban(account))


def format_account(account: str, separator: str = " ") -> str:
    """`86011117947` → `8601 11 17947`, 4-2-5 digits: the way every document writes it
    (issue 12); anything that is not 11 digits (dots and spaces aside) as given."""
    digits = account.replace(".", "").replace(" ", "")
    if len(digits) == 11 and digits.isdigit():
        return separator.join((digits[:4], digits[4:6], digits[6:]))
    return account


def vat_number(organisation_number: str) -> str:
    """The MVA number of a VAT-registered organisation: `NO` + orgnr + `MVA`."""
    number = f"NO{organisation_number}MVA"
    mva.validate(number)
    return number
