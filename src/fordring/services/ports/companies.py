"""The company register, the scope's company, number series and the import log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from fordring.domain.company import Company
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


class CurrentCompany(Protocol):
    def current(self) -> Company:
        """The scope's company."""
        ...


class NumberSeries(Protocol):
    def take(self, series: str, count: int = 1) -> int:
        """Reserve `count` consecutive numbers; returns the first."""
        ...

    def start(self, series: str, first: int) -> None: ...
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
