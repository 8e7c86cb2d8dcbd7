"""Merging customer A into customer B (`fordring customer merge A B`): a customer entered
twice, found out later. A's invoices, cases (with their charges, letters and history),
deliveries, payments and recurring agreements become B's in one transaction, recorded in
the change log; A keeps its row and number (its postings were booked to it and the
ledger is append-only) but no command finds it any more.

Refused, with nothing written: A and B the same; either not a customer of the company;
a consumer and a business (the law treats them apart: fees, salær, compensation); A with
a collection case that is not closed (its letters and deadlines went to A as the debtor:
close it or let it end first); A with documents waiting to be delivered (deliver them
first: `fordring deliveries send`).
"""

from __future__ import annotations

from dataclasses import dataclass

from fordring.domain.errors import InvalidInput, Problem
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.companies import Change
from fordring.services.scope import Scope


@dataclass(frozen=True, slots=True)
class Merged:
    merged: int  # A's number
    into: int  # B's number
    moved: dict[str, int]  # how many invoices, cases, deliveries, payments, recurring


def merge_customers(number: int, into: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> Merged:
    """Merge customer `number` into customer `into` (see the module's docstring)."""
    if number == into:
        raise InvalidInput.one("customer", f"{number} cannot be merged into itself", code="same")
    with uow_factory(scope) as uow:
        merged, kept = uow.customers.get(number), uow.customers.get(into)
        problems = [
            Problem("customer", f"no customer number {n}", code="not_found")
            for n, found in ((number, merged), (into, kept))
            if found is None
        ]
        if merged is None or kept is None or merged.id is None or kept.id is None:
            raise InvalidInput(problems)
        if merged.kind != kept.kind:
            problems.append(
                Problem(
                    "customer",
                    f"{number} is a {merged.kind.value} and {into} a {kept.kind.value}: the law "
                    "treats them apart",
                    code="kinds_differ",
                )
            )
        blockers = uow.customers.merge_blockers(merged.id)
        if blockers.open_cases:
            cases = ", ".join(str(n) for n in blockers.open_cases)
            problems.append(
                Problem(
                    "customer",
                    f"{number} has open collection cases ({cases}): their letters went to "
                    f"{number}; close them or let them end first",
                    code="open_cases",
                )
            )
        if blockers.waiting_deliveries:
            problems.append(
                Problem(
                    "customer",
                    f"{blockers.waiting_deliveries} documents wait to be delivered to {number}: "
                    "deliver them first (fordring deliveries send)",
                    code="waiting_deliveries",
                )
            )
        if problems:
            raise InvalidInput(problems)
        moved = uow.customers.merge_into(merged.id, kept.id)
        fields = {"merged_into": (str(number), str(into))}
        fields.update({name: ("", str(count)) for name, count in moved.items() if count})
        uow.company.record(
            Change("customer", str(number), fields, scope.business_date, str(scope.actor))
        )
        uow.commit()
    return Merged(number, into, moved)
