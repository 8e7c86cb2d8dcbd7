"""How a payment is split over costs, interest and principal: a configurable order, by
default costs → interest → principal in collection and principal first before it; a
debtor's explicit choice comes first. Every øre paid is either applied or returned as
overpayment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from fordring.domain.errors import InvalidInput
from fordring.domain.law.explanation import Explanation, Line


class Component(StrEnum):
    COSTS = "costs"  # fees, salær, standard compensation
    INTEREST = "interest"
    PRINCIPAL = "principal"


IN_COLLECTION_ORDER = (Component.COSTS, Component.INTEREST, Component.PRINCIPAL)
BEFORE_COLLECTION_ORDER = (Component.PRINCIPAL, Component.INTEREST, Component.COSTS)
RULE = "allocation of a payment"
SOURCE = "fordring default order (an agreement setting); the debtor's explicit choice first"


@dataclass(frozen=True, slots=True)
class Owed:
    costs: Decimal = Decimal(0)
    interest: Decimal = Decimal(0)
    principal: Decimal = Decimal(0)

    def of(self, component: Component) -> Decimal:
        value: Decimal = getattr(self, component.value)
        return value


@dataclass(frozen=True, slots=True)
class Allocation:
    payment: Decimal
    order: tuple[Component, ...]
    applied: tuple[tuple[Component, Decimal], ...]  # in the order used
    overpayment: Decimal
    remaining: Owed
    reason: str

    def to(self, component: Component) -> Decimal:
        return dict(self.applied)[component]

    def explanation(self) -> Explanation:
        lines = [Line(f"to {component}", amount) for component, amount in self.applied]
        lines.append(Line("overpayment", self.overpayment))
        return Explanation(RULE, SOURCE, tuple(lines), self.payment, notes=(self.reason,))


def allocation_order(
    *,
    in_collection: bool,
    configured: Sequence[Component] | None = None,
    debtor_choice: Sequence[Component] | None = None,
) -> tuple[tuple[Component, ...], str]:
    """The order to apply a payment in, and why: the debtor's choice first, then the
    configured order (or the default for the stage), without repeats."""
    for name, given in (("order", configured), ("debtor_choice", debtor_choice)):
        if given is not None and len(set(given)) != len(given):
            raise InvalidInput.one(name, "names a component twice")
    if configured:
        base, why = tuple(configured), "the configured order"
    elif in_collection:
        base, why = IN_COLLECTION_ORDER, "in collection: costs, then interest, then principal"
    else:
        base, why = BEFORE_COLLECTION_ORDER, "before collection: principal first"
    rest = [c for c in (*base, *IN_COLLECTION_ORDER) if not debtor_choice or c not in debtor_choice]
    order = tuple(dict.fromkeys([*(debtor_choice or ()), *rest]))
    if debtor_choice:
        why = f"the debtor chose {', '.join(debtor_choice)} first; then {why}"
    return order, why


def allocate(
    payment: Decimal,
    owed: Owed,
    *,
    in_collection: bool,
    configured: Sequence[Component] | None = None,
    debtor_choice: Sequence[Component] | None = None,
) -> Allocation:
    """Apply `payment` over `owed` in the resolved order; what is left is overpayment."""
    if payment < 0:
        raise InvalidInput.one("payment", f"must not be negative: {payment}")
    for component in Component:
        if owed.of(component) < 0:
            raise InvalidInput.one(
                component.value, f"owed must not be negative: {owed.of(component)}"
            )
    order, reason = allocation_order(
        in_collection=in_collection, configured=configured, debtor_choice=debtor_choice
    )
    left = payment
    applied: list[tuple[Component, Decimal]] = []
    remaining: dict[str, Decimal] = {}
    for component in order:
        due = owed.of(component)
        part = min(left, due)
        applied.append((component, part))
        remaining[component.value] = due - part
        left -= part
    return Allocation(payment, order, tuple(applied), left, Owed(**remaining), reason)
