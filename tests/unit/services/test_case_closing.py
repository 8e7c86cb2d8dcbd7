"""The one rule of what closing a case costs whom (`case_closing.closing_costs`), which
both the portal's confirmation and the booking of the close use."""

from __future__ import annotations

from decimal import Decimal

from fordring.domain.collection.case_facts import ChargeKind
from fordring.services.case_closing import ClosingCosts, closing_costs


def test_salaer_becomes_the_creditors_cost_and_the_rest_is_cancelled() -> None:
    open_by_kind = {
        ChargeKind.FEE: Decimal("35.00"),
        ChargeKind.COMPENSATION: Decimal("10.00"),
        ChargeKind.INTEREST: Decimal("2.50"),
        ChargeKind.SALAER: Decimal("100.00"),
    }
    assert closing_costs(open_by_kind) == ClosingCosts(Decimal("47.50"), Decimal("100.00"))


def test_nothing_open_costs_nothing() -> None:
    assert closing_costs({}) == ClosingCosts(Decimal(0), Decimal(0))
    only_salaer = closing_costs({ChargeKind.SALAER: Decimal("70.00")})
    assert only_salaer == ClosingCosts(Decimal(0), Decimal("70.00"))
