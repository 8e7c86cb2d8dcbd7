"""The double-entry ledger (SPEC L4, L5): accounts, voucher types, balanced vouchers.

Sign convention: a posting's amount is positive for a debit and negative for a credit;
every voucher's postings sum to exactly zero (docs/decisions/0002-sign-convention.md).
Vouchers are append-only: a correction is a reversing voucher.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from fordring.domain.errors import InvalidInput
from fordring.domain.money import round_ore

# DOMAIN.md § 12; only the accounts fordring posts to (the full list is copyrighted).
ACCOUNTS: dict[str, str] = {
    "1500": "Kundefordringer",
    "1575": "Mellomværende innfordring (oppgjørskonto)",
    "1580": "Avsetning tap på fordringer",
    "1920": "Bankinnskudd",
    "2050": "Annen egenkapital",
    "2700": "Utgående merverdiavgift, høy sats",
    "2701": "Utgående merverdiavgift, middels sats",
    "2703": "Utgående merverdiavgift, lav sats",
    "2900": "Forskudd fra kunder",
    "2910": "Skyldig inkassosalær",
    "2990": "Uidentifiserte innbetalinger",
    "3000": "Salgsinntekt, avgiftspliktig",
    "3020": "Salgsinntekt tjenester, avgiftspliktig",
    "3100": "Salgsinntekt, avgiftsfri",
    "3900": "Annen driftsrelatert inntekt",
    "7770": "Bank- og kortgebyrer",
    "7790": "Inkassokostnader",
    "7820": "Inngått på tidligere nedskrevne fordringer",
    "7830": "Tap på fordringer",
    "8055": "Renteinntekt kundefordringer",
}
RECEIVABLES = "1500"
# The counter account of an import's opening balances (SAF-T, docs/saft.md): the customer
# ledger brought in from another system, set against equity until the accountant books the
# full opening balance there.
OPENING_BALANCE = "2050"
SALES_WITH_VAT = "3000"
SALES_WITHOUT_VAT = "3100"


class CollectionMapping(StrEnum):
    """What a voucher type means to collection (innfordringsbilagsart, SPEC L5)."""

    PAYMENT = "payment"
    INVOICE = "invoice"
    CREDIT = "credit"
    INTEREST_AND_FEES = "interest_and_fees"
    SETTLEMENT = "settlement"
    NONE = "none"  # not reported to collection, e.g. a loss write-off


class VoucherTypeCode(StrEnum):
    """The voucher types (bilagsart) fordring books with, defined here only; a write-off's
    type is one of them (`text_input.parse_voucher_type` reads `--type`). A voucher's
    `type_code` is stored as text, as the company's voucher_type rows are."""

    INVOICE = "UF"
    CREDIT_NOTE = "KN"
    PAYMENT = "INN"  # payments, their allocation and refunds
    INTEREST_AND_FEES = "RG"  # fees, salær, interest and compensation charged
    SETTLEMENT = "OPPG"
    LOSS = "TAP"  # a write-off
    CORRECTION = "KORR"  # a reversal, or charges cancelled
    OPENING_BALANCE = "IB"  # open items brought in from another system (SAF-T import)


@dataclass(frozen=True, slots=True)
class VoucherType:
    code: str
    name: str
    collection: CollectionMapping


# Opening items are invoices to collection: a claim brought in may go on to collection.
OPENING_BALANCE_TYPE = VoucherType(
    VoucherTypeCode.OPENING_BALANCE, "Inngående balanse (import)", CollectionMapping.INVOICE
)
DEFAULT_VOUCHER_TYPES: tuple[VoucherType, ...] = (
    VoucherType(VoucherTypeCode.INVOICE, "Utgående faktura", CollectionMapping.INVOICE),
    VoucherType(VoucherTypeCode.CREDIT_NOTE, "Kreditnota", CollectionMapping.CREDIT),
    VoucherType(VoucherTypeCode.PAYMENT, "Innbetaling", CollectionMapping.PAYMENT),
    VoucherType(
        VoucherTypeCode.INTEREST_AND_FEES, "Renter og gebyrer", CollectionMapping.INTEREST_AND_FEES
    ),
    VoucherType(
        VoucherTypeCode.SETTLEMENT, "Oppgjør fra innfordring", CollectionMapping.SETTLEMENT
    ),
    VoucherType(VoucherTypeCode.LOSS, "Tap på fordring", CollectionMapping.NONE),
    VoucherType(VoucherTypeCode.CORRECTION, "Korrigering / reversering", CollectionMapping.NONE),
    OPENING_BALANCE_TYPE,
)


def check_account(code: str, field: str = "account") -> str:
    if not (len(code) == 4 and code.isdigit()):
        reason = f"{code!r} is not a four-digit account number"
        raise InvalidInput.one(field, reason, code="not_an_account")
    return code


class Posting(NamedTuple):
    """One line of a voucher. A 1500 posting names its open item: an invoice, or a charge
    (a fee or interest charged on an invoice in collection)."""

    account: str
    amount: Decimal  # debit > 0, credit < 0, whole øre
    customer_id: int | None = None
    invoice_id: int | None = None
    text: str = ""
    charge_id: int | None = None


class UnbalancedVoucher(ValueError):
    """A voucher whose postings do not sum to zero: it cannot exist."""


@dataclass(frozen=True, slots=True)
class Voucher:
    """A bilag: two or more postings that sum to zero, dated, of one voucher type."""

    type_code: str
    date: dt.date
    text: str
    postings: tuple[Posting, ...]
    number: int | None = None
    reverses_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if len(self.postings) < 2:
            raise UnbalancedVoucher("a voucher needs at least two postings")
        total = Decimal(0)
        for posting in self.postings:
            amount = posting.amount
            if amount != round_ore(amount):
                raise UnbalancedVoucher(f"{amount} is not in whole øre")
            total += amount
        if total != 0:
            raise UnbalancedVoucher(f"postings sum to {total}, not 0: {self.text}")

    def reversal(self, on: dt.date, text: str = "") -> Voucher:
        """The voucher that undoes this one: the same postings with opposite signs."""
        if self.id is None:
            raise ValueError("only a stored voucher can be reversed")
        postings = tuple(
            Posting(p.account, -p.amount, p.customer_id, p.invoice_id, p.text, p.charge_id)
            for p in self.postings
        )
        note = text or f"Reversering av bilag {self.number}"
        return Voucher(VoucherTypeCode.CORRECTION, on, note, postings, reverses_id=self.id)

    def charge_changes(self) -> dict[int, Decimal]:
        """How this voucher moves each charge's open amount."""
        changes: dict[int, Decimal] = {}
        for posting in self.postings:
            if posting.account == RECEIVABLES and posting.charge_id is not None:
                changes[posting.charge_id] = changes.get(posting.charge_id, Decimal(0)) + (
                    posting.amount
                )
        return changes

    def open_item_changes(self) -> dict[int, Decimal]:
        """How this voucher moves each invoice's open item (sum of its receivable postings)."""
        changes: dict[int, Decimal] = {}
        for posting in self.postings:
            if posting.account == RECEIVABLES and posting.invoice_id is not None:
                changes[posting.invoice_id] = changes.get(posting.invoice_id, Decimal(0)) + (
                    posting.amount
                )
        return changes


def trial_balance_ok(balances: Sequence[tuple[str, Decimal]]) -> bool:
    """A trial balance balances when its account sums add up to zero."""
    return sum((amount for _, amount in balances), Decimal(0)) == 0
