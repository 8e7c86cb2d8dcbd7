from datetime import date

import pytest

from fordring.domain.customers import Customer, CustomerKind, months_after
from fordring.domain.errors import InvalidInput


def test_a_business_needs_an_organisation_number() -> None:
    with pytest.raises(InvalidInput) as error:
        Customer(None, 1, CustomerKind.BUSINESS, "Firma AS")
    assert [p.field for p in error.value.problems] == ["orgnr"]


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as error:
        Customer(None, 1, CustomerKind.CONSUMER, "", orgnr="988077917", email="nope", phone="x")
    assert {p.field for p in error.value.problems} == {"name", "orgnr", "email", "phone"}


def test_months_after_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_after(date(2025, 3, 25), 12) == date(2026, 3, 25)
    assert months_after(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert months_after(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert months_after(date(2025, 11, 30), 3) == date(2026, 2, 28)
