"""Starting from existing books (SPEC L7): a SAF-T Financial file's customers and the open
items of its customer ledger at the period's end, booked as opening balances.

All or nothing, in one transaction: the file is read to its end (and checked against its
XSD) before anything is written. The customers are added (or found, by their number);
the open items become invoices, born open for what is still open, by one voucher (IB)
that debits 1500 per item and credits the opening-balance account (2050); a customer's
credit balance goes to 2900. The same file again (by content, or by its header's identity:
company, period, creation, software) changes nothing. docs/saft.md tells the rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.saft import (
    CustomerLedger,
    CustomerLines,
    SaftAccount,
    SaftCustomer,
    SaftHeader,
    SaftRecord,
)
from fordring.services.imports import raise_if_any
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.saft_booking import book_opening_items, customers_of
from fordring.services.scope import Scope

KIND = "saft"
ZERO = Decimal(0)


class SaftSource(Protocol):
    """A SAF-T file: its name, version, content hash and records (adapters/saft)."""

    @property
    def name(self) -> str: ...

    @property
    def sha256(self) -> str: ...

    def records(self) -> Iterator[SaftRecord]: ...


@dataclass(frozen=True, slots=True)
class SaftImportResult:
    """What an import took and what it left."""

    filename: str
    already: bool
    imported_on: str = ""
    version: str = ""
    period: str = ""
    customers_added: int = 0
    customers_found: int = 0  # there already, by number and name
    open_items: int = 0
    open_total: Decimal = ZERO
    credits: int = 0  # customers with a credit balance (2900)
    credit_total: Decimal = ZERO
    brought_forward: int = 0  # customers with a balance its lines do not itemise
    voucher: int | None = None
    closed_items: int = 0  # invoices settled within the file: left
    unreferenced_lines: int = 0  # customer lines with no reference: set against the items
    supplier_lines: int = 0  # left
    other_lines: int = 0  # general ledger lines of no customer: left
    accounts: int = 0  # the file's chart: left (fordring keeps its own)
    renumbered: tuple[str, ...] = ()  # references that could not be invoice numbers


@dataclass
class _Read:
    header: SaftHeader | None = None
    customers: list[SaftCustomer] = field(default_factory=list)
    lines: CustomerLines = field(default_factory=CustomerLines)
    supplier_lines: int = 0
    other_lines: int = 0
    accounts: int = 0
    problems: list[Problem] = field(default_factory=list)


def import_saft(
    source: SaftSource, scope: Scope, uow_factory: UnitOfWorkFactory
) -> SaftImportResult:
    """Import a SAF-T file's customers and open items in one transaction, or nothing."""
    with uow_factory(scope) as uow:
        company = uow.company.current()
        earlier = uow.imports.find(KIND, source.sha256)
        if earlier is not None:
            return _already(earlier.filename, earlier.imported_on.isoformat())
        read = _read(source, company.orgnr)
        header = read.header
        assert header is not None
        identity = hashlib.sha256(header.identity().encode()).hexdigest()
        earlier = uow.imports.find(KIND, identity)
        if earlier is not None:
            return _already(earlier.filename, earlier.imported_on.isoformat())
        known = {c.customer_id for c in read.customers}
        unknown = sorted(set(read.lines.line_sums) - known)
        read.problems.extend(
            Problem("CustomerID", f"{c!r} is in the ledger lines but not in MasterFiles/Customers")
            for c in unknown[:20]
        )
        raise_if_any(read.problems)
        ledger = read.lines.at_end(read.customers, header.period_end)
        # Claimed first: the same file imported at the same moment waits on the log's key
        # and is refused (a Conflict), before it writes a customer.
        rows = len(read.customers) + len(ledger.items)
        uow.imports.add(KIND, source.sha256, source.name, rows, scope.business_date)
        uow.imports.add(KIND, identity, source.name, rows, scope.business_date)
        added, found, ids = customers_of(uow, read.customers, scope.business_date)
        booked = book_opening_items(uow, company, ledger, read.customers, ids, header, source.name)
        uow.commit()
    return _result(source, read, header, ledger, added, found, booked)


def _already(filename: str, on: str) -> SaftImportResult:
    return SaftImportResult(filename, already=True, imported_on=on)


def _read(source: SaftSource, orgnr: str) -> _Read:
    read = _Read()
    for record in source.records():
        if isinstance(record, SaftHeader):
            _check_header(record, orgnr)
            read.header = record
        elif isinstance(record, SaftCustomer):
            read.customers.append(record)
        elif isinstance(record, SaftAccount):
            read.accounts += 1
        elif record.customer_id is not None:
            read.lines.add(record)
        elif record.supplier_id is not None:
            read.supplier_lines += 1
        else:
            read.other_lines += 1
    if read.header is None:
        raise InvalidInput.one("Header", "the file has no Header")
    return read


def _check_header(header: SaftHeader, orgnr: str) -> None:
    digits = "".join(ch for ch in header.orgnr if ch.isdigit())
    if digits != orgnr:
        reason = (
            f"the file is {header.company_name}'s ({header.orgnr}), not this company's "
            f"({orgnr}); nothing was imported"
        )
        raise InvalidInput.one("Header/Company/RegistrationNumber", reason, code="not_allowed")
    if header.currency != "NOK":
        reason = f"the file's default currency is {header.currency}; fordring's ledger is in NOK"
        raise InvalidInput.one("Header/DefaultCurrencyCode", reason, code="not_allowed")


def _result(
    source: SaftSource,
    read: _Read,
    header: SaftHeader,
    ledger: CustomerLedger,
    added: int,
    found: int,
    booked: tuple[int | None, tuple[str, ...]],
) -> SaftImportResult:
    voucher, renumbered = booked
    return SaftImportResult(
        filename=source.name,
        already=False,
        version=header.version,
        period=f"{header.period_start} – {header.period_end}",
        customers_added=added,
        customers_found=found,
        open_items=len(ledger.items),
        open_total=sum((i.open_amount for i in ledger.items), ZERO),
        credits=len(ledger.credits),
        credit_total=sum(ledger.credits.values(), ZERO),
        brought_forward=ledger.brought_forward,
        voucher=voucher,
        closed_items=ledger.closed,
        unreferenced_lines=ledger.unreferenced,
        supplier_lines=read.supplier_lines,
        other_lines=read.other_lines,
        accounts=read.accounts,
        renumbered=renumbered,
    )
