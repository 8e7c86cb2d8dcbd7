"""Customers of the scope's company."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from fordring.domain.customers import Customer


class CustomerRepository(Protocol):
    def add_many(self, customers: Sequence[Customer]) -> None: ...
    def get(self, number: int) -> Customer | None: ...
    def update(self, customer: Customer) -> None:
        """Store a customer's changed details (found by its id)."""
        ...

    def by_id(self, customer_id: int) -> Customer | None: ...
    def list(self) -> list[Customer]: ...
    def ids_by_number(self) -> dict[int, tuple[int, str]]:
        """customer number → (id, name) for every customer of the company."""
        ...

    def existing_numbers(self, numbers: Iterable[int]) -> set[int]: ...
