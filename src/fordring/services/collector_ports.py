"""What the collector's services ask of storage: collectors, the creditors they serve, case
KIDs unique per client account, client-account bank files and the collector's queue."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from fordring.domain.collector import Collector, ServedCreditor


@dataclass(frozen=True, slots=True)
class ClientPayment:
    """A client-account payment in the collector's queue (or assigned from it)."""

    number: int
    account: str
    place: str
    received_on: date
    amount: Decimal  # negative for a reversal
    kid: str = ""
    text: str = ""
    payer_name: str = ""
    payer_account: str = ""
    archive_ref: str = ""
    status: str = "queued"  # queued | assigned
    company_id: int | None = None
    payment_id: int | None = None
    assigned_on: date | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ClientBankFile:
    format: str
    file_id: str
    filename: str
    imported_on: date
    transactions: int


class ClientKidRepository(Protocol):
    """The scope's company's side of its collector (on the scoped unit of work)."""

    def served(self) -> tuple[int, int] | None:
        """(collector id, creditor number) of the collector serving the company, if any."""
        ...

    def register(self, kids: Sequence[tuple[str, int]]) -> None:
        """Claim (KID, case id) of the company's cases at its collector (the database
        refuses a KID another creditor of the collector has); nothing when no collector
        serves the company. A case id not the company's is NotFound."""
        ...


class CollectorRepository(Protocol):
    """Collectors across their creditors: on the unscoped unit of work only."""

    def add(self, collector: Collector) -> int: ...
    def by_orgnr(self, orgnr: str) -> Collector | None: ...
    def all(self) -> list[Collector]: ...
    def account_owner(self, accounts: Collection[str]) -> dict[str, str]:
        """The collector (orgnr) of each of `accounts` that is already a client account."""
        ...

    def creditors(self, collector_id: int) -> list[ServedCreditor]: ...
    def served_by(self, company_id: int) -> tuple[int, int] | None:
        """(collector id, creditor number) of the collector serving `company_id`, if any."""
        ...

    def membership(self, company_id: int) -> tuple[int, int, date | None] | None:
        """(collector id, creditor number, stopped on) of the company's collector, served
        now or stopped, if any."""
        ...

    def lock_creditors(self, collector_id: int, *, company_id: int | None = None) -> None:
        """Lock the collector's creditor rows until commit: shared by a file's import
        (every creditor), exclusive by stopping one (`company_id`), so a file is never
        routed to a creditor while it stops."""
        ...

    def serve(self, collector_id: int, company_id: int, since: date) -> int:
        """Serve `company_id`; its creditor number (the next free one, or its own again
        when this collector stopped serving it before)."""
        ...

    def stop(self, collector_id: int, company_id: int, on: date) -> bool:
        """Stop serving `company_id` from `on`: its KIDs are no longer the collector's to
        route. False when it was not served."""
        ...

    def open_case_kids(self, company_id: int) -> list[tuple[str, int]]:
        """(KID, case id) of the company's cases that are not closed."""
        ...

    def invoice_kids(self, company_id: int, prefix: str, length: int) -> list[str]:
        """The company's invoice KIDs of `length` characters that start with `prefix`."""
        ...

    def register_kids(
        self, collector_id: int, company_id: int, kids: Sequence[tuple[str, int]]
    ) -> None: ...
    def taken_kids(self, collector_id: int, kids: Collection[str]) -> dict[str, int]:
        """KID → company id, for those of `kids` already registered at the collector."""
        ...

    def find_bank_file(
        self, collector_id: int, sha256: str, format: str, file_id: str
    ) -> ClientBankFile | None: ...
    def add_bank_file(
        self,
        collector_id: int,
        file: ClientBankFile,
        sha256: str,
        total: Decimal,
    ) -> int: ...
    def queue(
        self, collector_id: int, bank_file_id: int, payments: Sequence[ClientPayment]
    ) -> None:
        """Put `payments` in the queue, numbered after the collector's last one."""
        ...

    def queued(self, collector_id: int, *, everything: bool = False) -> list[ClientPayment]:
        """The queue (with `everything`, assigned payments too), by number."""
        ...

    def queued_one(self, collector_id: int, number: int) -> ClientPayment | None: ...
    def assign(self, payment_id: int, company_id: int, booked_as: int, on: date) -> bool:
        """Mark a queued payment assigned; False when it was no longer queued."""
        ...
