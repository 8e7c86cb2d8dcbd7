import pytest

from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.errors import InvalidInput


def test_a_business_needs_an_organisation_number() -> None:
    with pytest.raises(InvalidInput) as error:
        Customer(None, 1, CustomerKind.BUSINESS, "Firma AS")
    assert [p.field for p in error.value.problems] == ["orgnr"]


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as error:
        Customer(None, 1, CustomerKind.CONSUMER, "", orgnr="988077917", email="nope", phone="x")
    assert {p.field for p in error.value.problems} == {"name", "orgnr", "email", "phone"}
