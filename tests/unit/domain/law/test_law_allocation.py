"""Allocation of a payment over costs, interest and principal: order, choice, and no øre
created or lost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.errors import InvalidInput
from fordring.domain.law.allocation import Component, Owed, allocate, allocation_order

D = Decimal
C, INT, P = Component.COSTS, Component.INTEREST, Component.PRINCIPAL
OWED = Owed(costs=D("100.00"), interest=D("50.00"), principal=D("1000.00"))


def test_in_collection_costs_then_interest_then_principal() -> None:
    result = allocate(D("120.00"), OWED, in_collection=True)
    assert result.applied == ((C, D("100.00")), (INT, D("20.00")), (P, D("0.00")))
    assert result.remaining == Owed(D("0.00"), D("30.00"), D("1000.00"))


def test_before_collection_principal_first() -> None:
    result = allocate(D("120.00"), OWED, in_collection=False)
    assert result.to(P) == D("120.00")
    assert result.to(C) == 0
    assert result.to(INT) == 0


def test_debtors_explicit_choice_overrides_the_order() -> None:
    result = allocate(D("120.00"), OWED, in_collection=True, debtor_choice=[P])
    assert result.order == (P, C, INT)
    assert result.to(P) == D("120.00")
    assert "debtor chose principal" in result.reason


def test_configured_order_is_used_when_given() -> None:
    result = allocate(D("60.00"), OWED, in_collection=True, configured=[INT, C, P])
    assert result.to(INT) == D("50.00")
    assert result.to(C) == D("10.00")


def test_overpayment_is_returned_not_applied() -> None:
    result = allocate(D("2000.00"), OWED, in_collection=True)
    assert result.overpayment == D("850.00")
    assert result.remaining == Owed(D(0), D(0), D(0))
    lines = result.explanation().lines
    assert lines[-1].text == "overpayment"
    assert lines[-1].amount == D("850.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"configured": [C, C, P]}, "order"),
        ({"debtor_choice": [P, P]}, "debtor_choice"),
    ],
)
def test_an_order_naming_a_component_twice_is_invalid(
    kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput, match=field):
        allocation_order(in_collection=True, **kwargs)  # type: ignore[arg-type]


def test_negative_payment_or_balance_is_invalid() -> None:
    with pytest.raises(InvalidInput, match="payment"):
        allocate(D("-1"), OWED, in_collection=True)
    with pytest.raises(InvalidInput, match="interest"):
        allocate(D("1"), Owed(interest=D("-1")), in_collection=True)


ore = st.integers(0, 10**9).map(lambda n: D(n).scaleb(-2))
orders = st.one_of(st.none(), st.permutations(list(Component)))
choices = st.one_of(st.none(), st.lists(st.sampled_from(list(Component)), unique=True, max_size=3))


@given(ore, ore, ore, ore, st.booleans(), orders, choices)
def test_allocation_conserves_every_ore(
    payment: Decimal,
    costs: Decimal,
    interest: Decimal,
    principal: Decimal,
    in_collection: bool,
    configured: list[Component] | None,
    choice: list[Component] | None,
) -> None:
    owed = Owed(costs, interest, principal)
    result = allocate(
        payment, owed, in_collection=in_collection, configured=configured, debtor_choice=choice
    )
    applied = sum((amount for _, amount in result.applied), D(0))
    assert applied + result.overpayment == payment
    assert sorted(result.order) == sorted(Component)
    for component in Component:
        assert result.to(component) + result.remaining.of(component) == owed.of(component)
        assert 0 <= result.to(component) <= owed.of(component)
    if result.overpayment:
        assert result.remaining == Owed(D(0), D(0), D(0))
    assert result.explanation().total == payment
