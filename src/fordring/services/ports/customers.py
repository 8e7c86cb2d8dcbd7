"""Customers of the scope's company."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from fordring.domain.customers import Customer


@dataclass(frozen=True, slots=True)
class MergeBlockers:
    """What keeps a customer from being merged into another: its open cases (their
    numbers) and documents waiting to be delivered to it."""

    open_cases: tuple[int, ...]
    waiting_deliveries: int


class CustomerRepository(Protocol):
    def add_many(self, customers: Sequence[Customer]) -> None: ...
    def get(self, number: int) -> Customer | None: ...
    def by_numbers(self, numbers: Iterable[int]) -> dict[int, Customer]:
        """`get` of each of `numbers` in one read: those found, by number."""
        ...

    def update(self, customer: Customer) -> None:
        """Store a customer's changed details (found by its id)."""
        ...

    def by_id(self, customer_id: int) -> Customer | None: ...
    def list(self, *, after: int | None = None, limit: int | None = None) -> list[Customer]:
        """By number; `after` a number and at most `limit` (keyset pagination)."""
        ...

    def ids_by_number(self) -> dict[int, tuple[int, str]]:
        """customer number → (id, name) for every customer of the company."""
        ...

    def existing_numbers(self, numbers: Iterable[int]) -> set[int]: ...
    def merge_blockers(self, customer_id: int) -> MergeBlockers: ...
    def merge_into(self, from_id: int, into_id: int) -> dict[str, int]:
        """Move `from_id`'s invoices, cases, deliveries, payments and recurring agreements
        to `into_id` and mark it merged; the count moved of each."""
        ...

    def numbers_with_orgnr(self, orgnrs: Iterable[str]) -> dict[str, int]:
        """Each of `orgnrs` the company's customers have, with the lowest number having it."""
        ...
