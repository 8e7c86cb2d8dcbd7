"""The company register, the scope's company, number series and the import log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from fordring.domain.company import Company
from fordring.domain.customers import Customer
from fordring.domain.ledger import VoucherType


class CompanyRepository(Protocol):
    """The register of every company: unscoped, used by the global unit of work only."""

    def add(
        self, company: Company, first_numbers: Mapping[str, int], types: Sequence[VoucherType]
    ) -> Company:
        """Register a company with its number series and voucher types."""
        ...

    def by_orgnr(self, orgnr: str) -> Company | None: ...
    def all(self) -> list[Company]: ...


@dataclass(frozen=True, slots=True)
class Change:
    """One recorded change: of `subject` ("company", "customer") `key` (its orgnr or
    number), each field's value before and after, on which business day and by whom;
    `at` is when it was stored (the database's time, None before)."""

    subject: str
    key: str
    fields: Mapping[str, tuple[str, str]]
    business_date: date
    actor: str
    at: datetime | None = None


class CurrentCompany(Protocol):
    def current(self) -> Company:
        """The scope's company."""
        ...

    def current_and_customer(self, number: int) -> tuple[Company, Customer | None]:
        """The scope's company and its customer numbered `number` (as `customers.get`),
        in one round trip: what creating an invoice reads first."""
        ...

    def change(self, company: Company) -> None:
        """Store the company's changed details (its orgnr and id stay)."""
        ...

    def record(self, change: Change) -> None:
        """Add `change` to the company's change log."""
        ...

    def changes(self, subject: str | None = None, key: str | None = None) -> list[Change]:
        """The change log, of one kind of thing or one thing when asked, oldest first."""
        ...

    def kids_of_lengths(self, lengths: Sequence[int]) -> list[str]:
        """The KIDs the company's invoices and cases claim (any state) of these lengths."""
        ...


class NumberSeries(Protocol):
    def take(self, series: str, count: int = 1) -> int:
        """Reserve `count` consecutive numbers; returns the first."""
        ...

    def take_each(self, counts: Mapping[str, int]) -> dict[str, int]:
        """`take` for each series (by name: how many), in one go where the database can;
        the first number of each series with a count above 0."""
        ...

    def start(self, series: str, first: int) -> None: ...
    def peek(self, series: str) -> int:
        """The next number `take` would give (nothing reserved)."""
        ...

    def raise_to(self, series: str, at_least: int) -> None:
        """Make sure the next number taken is at least `at_least`."""
        ...


class ImportLog(Protocol):
    def find(self, kind: str, sha256: str) -> ImportRecord | None: ...
    def add(self, kind: str, sha256: str, filename: str, rows: int, on: date) -> None: ...


@dataclass(frozen=True, slots=True)
class ImportRecord:
    id: int
    kind: str
    sha256: str
    filename: str
    rows: int
    imported_on: date
