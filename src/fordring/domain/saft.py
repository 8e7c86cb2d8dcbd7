"""SAF-T Financial (Skatteetaten's audit file, versions 1.10 and 1.30) in fordring's terms:
what the import reads from a file, and how the customer ledger's open items at the end of
the file's period are found from its customer lines (docs/saft.md).

A SAF-T file has no list of open items: they are rebuilt from the general ledger lines that
carry a CustomerID, grouped by customer and invoice reference (ReferenceNumber, else CID),
and checked against each customer's closing balance in MasterFiles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from fordring.domain.company import Address

ZERO = Decimal(0)
NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"


@dataclass(frozen=True, slots=True)
class SaftHeader:
    """The file's Header: who it is from, which period, which version."""

    version: str  # AuditFileVersion as written ("1.0", "1.10", "1.30")
    orgnr: str  # Company/RegistrationNumber
    company_name: str
    created: date
    software: str  # SoftwareCompanyName SoftwareID SoftwareVersion
    period_start: date
    period_end: date
    currency: str

    def identity(self) -> str:
        """What makes two files the same export: company, period, creation, software."""
        return "|".join(
            (
                self.orgnr,
                self.period_start.isoformat(),
                self.period_end.isoformat(),
                self.created.isoformat(),
                self.software,
                self.version,
            )
        )


@dataclass(frozen=True, slots=True)
class SaftCustomer:
    """A MasterFiles Customer: its CustomerID, party details and closing balance."""

    customer_id: str
    name: str
    registration_number: str  # as written; may be empty, a birth number or an orgnr
    address: Address
    email: str
    phone: str
    terms_days: int | None
    opening_balance: Decimal | None  # debit positive; None when the file gives none
    closing_balance: Decimal | None
    line: int


class SaftLine(NamedTuple):
    """A GeneralLedgerEntries Transaction Line, with its transaction's id and date."""

    transaction_id: str
    transaction_date: date
    account: str
    amount: Decimal  # debit positive, credit negative
    customer_id: str | None
    supplier_id: str | None
    reference: str | None  # ReferenceNumber
    cid: str | None  # the KID
    due_date: date | None
    description: str
    line: int


class SaftAccount(NamedTuple):
    """A MasterFiles Account (read to report the file; fordring keeps its own chart)."""

    account_id: str
    description: str


SaftRecord = SaftHeader | SaftCustomer | SaftLine | SaftAccount


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An invoice of the customer ledger still open at the period's end."""

    customer_id: str
    reference: str  # the invoice's reference in the file ("" for a balance brought forward)
    issue_date: date
    due_date: date | None
    amount: Decimal  # what the invoice was (its debits)
    open_amount: Decimal
    kid: str | None
    line: int


@dataclass(slots=True)
class _Item:
    customer_id: str
    reference: str
    issue_date: date
    line: int
    due_date: date | None = None
    kid: str | None = None
    amount: Decimal = ZERO
    open_amount: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class CustomerLedger:
    """What the file's customer lines say at the period's end."""

    items: tuple[OpenItem, ...]  # open, positive, oldest first per customer
    credits: dict[str, Decimal]  # customer → a credit balance left (negative)
    closed: int  # invoices settled within the file
    unreferenced: int  # customer lines with neither ReferenceNumber nor CID
    brought_forward: int  # customers whose balance the lines do not explain in full
    highest_number: int = 0  # the highest numeric reference, settled or open


@dataclass
class CustomerLines:
    """Collects the customer lines of a file, one running item per customer and reference:
    the lines' sum is what is open, the debits what was invoiced."""

    items: dict[tuple[str, str], _Item] = field(default_factory=dict)
    unreferenced: dict[str, Decimal] = field(default_factory=dict)
    unreferenced_lines: int = 0
    line_sums: dict[str, Decimal] = field(default_factory=dict)

    def add(self, line: SaftLine) -> None:
        customer = line.customer_id
        if customer is None:
            return
        self.line_sums[customer] = self.line_sums.get(customer, ZERO) + line.amount
        reference = line.reference or line.cid
        if not reference:
            self.unreferenced[customer] = self.unreferenced.get(customer, ZERO) + line.amount
            self.unreferenced_lines += 1
            return
        key = (customer, reference)
        item = self.items.get(key)
        if item is None:
            item = _Item(customer, reference, line.transaction_date, line.line)
            self.items[key] = item
        item.open_amount += line.amount
        if line.amount > 0:
            item.amount += line.amount
            item.issue_date = min(item.issue_date, line.transaction_date)
        item.due_date = line.due_date or item.due_date
        item.kid = line.cid or item.kid

    def at_end(self, customers: Iterable[SaftCustomer], period_end: date) -> CustomerLedger:
        """The open items at the period's end. A customer's closing balance is the truth:
        what its referenced items do not explain (an opening balance, unreferenced
        payments) is, when more, one item brought forward; when less, paid off its oldest
        items first, and a credit beyond them is left as the customer's credit."""
        by_customer: dict[str, list[_Item]] = {}
        closed = 0
        for item in self.items.values():
            if item.open_amount == 0:
                closed += 1
            else:
                by_customer.setdefault(item.customer_id, []).append(item)
        items: list[OpenItem] = []
        credits: dict[str, Decimal] = {}
        brought_forward = 0
        for customer in customers:
            own = sorted(by_customer.get(customer.customer_id, []), key=_age)
            explained = sum((i.open_amount for i in own), ZERO)
            balance = customer.closing_balance
            if balance is None:
                opening = customer.opening_balance or ZERO
                lines = self.line_sums.get(customer.customer_id, ZERO)
                balance = opening + lines
            rest = balance - explained  # unexplained: > 0 owed, < 0 paid
            for item in own:
                if item.open_amount < 0:  # a credit note not set against its invoice
                    rest += item.open_amount
                    item.open_amount = ZERO
            for item in own:
                if rest >= 0:
                    break
                paid = min(item.open_amount, -rest)
                item.open_amount -= paid
                rest += paid
            items.extend(_open(i) for i in own if i.open_amount > 0)
            if rest > 0:
                brought_forward += 1
                items.append(
                    OpenItem(customer.customer_id, "", period_end, None, rest, rest, None, 0)
                )
            elif rest < 0:
                credits[customer.customer_id] = rest
        numbers = [int(r) for _, r in self.items if r.isascii() and r.isdigit() and len(r) < 16]
        return CustomerLedger(
            tuple(items),
            credits,
            closed,
            self.unreferenced_lines,
            brought_forward,
            max(numbers, default=0),
        )


def _age(item: _Item) -> tuple[date, int]:
    return (item.issue_date, item.line)


def _open(item: _Item) -> OpenItem:
    return OpenItem(
        item.customer_id,
        item.reference,
        item.issue_date,
        item.due_date,
        max(item.amount, item.open_amount),
        item.open_amount,
        item.kid,
        item.line,
    )


# --- what an export writes (version 1.30) ----------------------------------------------

# fordring's accounts are the Norwegian standard chart's (NS 4102): each is mapped to the
# code of its own number in the næringsspesifikasjon's code list (RF-1167), the grouping
# Skatteetaten's 1.30 files use instead of 1.10's StandardAccountID.
GROUPING_CATEGORY = "RF-1167"


class ExportAccount(NamedTuple):
    """An account used, with its balances at the period's start and end (debit > 0)."""

    account: str
    description: str
    opening: Decimal
    closing: Decimal


class ExportCustomer(NamedTuple):
    """A customer with its receivable (1500) balance at the period's start and end."""

    number: int
    name: str
    orgnr: str | None
    address: Address
    email: str
    phone: str
    opening: Decimal
    closing: Decimal


class ExportLine(NamedTuple):
    """A posting as a SAF-T Line: its customer, and the invoice it names as reference."""

    account: str
    amount: Decimal
    text: str
    customer: int | None  # customer number
    reference: int | None  # invoice number
    kid: str | None
    due_date: date | None


class ExportVoucher(NamedTuple):
    number: int
    type_code: str
    date: date
    text: str
    lines: tuple[ExportLine, ...]


@dataclass(frozen=True, slots=True)
class ExportHeader:
    orgnr: str
    name: str
    address: Address
    bank_account: str
    vat_registered: bool
    created: date
    start: date
    end: date
    software_version: str
    entries: int  # vouchers in the period
    total_debit: Decimal
    total_credit: Decimal
