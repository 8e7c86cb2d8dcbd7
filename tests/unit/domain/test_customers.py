from datetime import date

import pytest

from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.errors import InvalidInput
from fordring.domain.law.deadlines import add_months


def test_a_business_needs_an_organisation_number() -> None:
    with pytest.raises(InvalidInput) as error:
        Customer(None, 1, CustomerKind.BUSINESS, "Firma AS")
    assert [p.field for p in error.value.problems] == ["orgnr"]


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as error:
        Customer(None, 1, CustomerKind.CONSUMER, "", orgnr="988077917", email="nope", phone="x")
    assert {p.field for p in error.value.problems} == {"name", "orgnr", "email", "phone"}


def test_the_reliable_mark_lasts_calendar_months() -> None:
    assert add_months(date(2025, 3, 25), 12) == date(2026, 3, 25)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    marked = Customer(
        None,
        1,
        CustomerKind.CONSUMER,
        "Kari",
        email="kari@kunde.example",
        email_reliable=True,
        email_reliable_since=date(2025, 3, 25),
    )
    assert marked.reliable_email_until(12) == date(2026, 3, 25)
    assert marked.email_reliable_on(date(2026, 3, 24), 12)
    assert not marked.email_reliable_on(date(2026, 3, 25), 12)
    assert not marked.email_reliable_on(date(2025, 3, 24), 12)  # before it was set
