"""The parts of a company's day of the run (docs/workers.md, "The day as jobs"): the
chunks of woken cases the start of the day planned, and which of them are done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Customers:
    """The customers with ids in (after, up_to]; up_to None: no upper end."""

    after: int
    up_to: int | None

    def __contains__(self, customer_id: int) -> bool:
        return customer_id > self.after and (self.up_to is None or customer_id <= self.up_to)


@dataclass(frozen=True, slots=True)
class DayPart:
    """Part 0 is the start of the day (done when it committed); parts 1.. the chunks."""

    part: int
    customers: Customers
    done: bool


class DayPartRepository(Protocol):
    def woken_customers(self, day: date) -> list[tuple[int, int]]:
        """(customer id, number of cases) of the customers with open cases woken on
        `day`, by customer id."""
        ...

    def plan(self, day: date, chunks: Sequence[Customers]) -> None:
        """Store the started day: part 0 done, then each chunk of customers to do."""
        ...

    def parts(self, day: date, *, lock: bool = False) -> list[DayPart]:
        """The day's parts by number (none: not started, or ended). `lock`: until the
        transaction ends (PostgreSQL), so two parts ending at once are seen in turn."""
        ...

    def mark_done(self, day: date, part: int) -> None: ...
    def forget(self, day: date) -> None:
        """The day ended: its parts are gone with it."""
        ...
