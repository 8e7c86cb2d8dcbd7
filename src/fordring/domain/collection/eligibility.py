"""Can an invoice be sent to collection, and if not, exactly why (SPEC C2).

Each check looks at the facts and returns a reason (a stable code and a sentence) or None;
an invoice is eligible when no check objects. All reasons are shown at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain import kid as kids
from fordring.domain.collection.agreement import Agreement
from fordring.domain.law.limitation import SOURCE as LIMITATION_SOURCE
from fordring.domain.law.limitation import is_time_barred, limitation_last_day
from fordring.domain.ledger import CollectionMapping

COLLECTION_CURRENCY = "NOK"


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What eligibility needs to know about one invoice, its customer and its case."""

    invoice_number: int
    is_credit_note: bool
    currency: str
    due_date: date | None
    total: Decimal  # NOK
    open_amount: Decimal  # NOK
    kid: str
    invoice_exempt: bool
    voucher_mapping: CollectionMapping
    customer_is_business: bool
    customer_orgnr: str | None
    customer_address_complete: bool
    customer_exempt: bool
    in_collection: bool  # already has a collection case
    agreement: Agreement
    today: date
    # issue 12, limitation: the day the creditor says the limitation was interrupted
    limitation_interrupted_on: date | None = None


Check = Callable[[Facts], Reason | None]


def not_an_invoice(f: Facts) -> Reason | None:
    if f.is_credit_note:
        return Reason("NOT_AN_INVOICE", "a credit note is not a claim")
    return None


def open_item_invalid(f: Facts) -> Reason | None:
    if f.due_date is None:
        return Reason("OPEN_ITEM_NO_DUE_DATE", "the open item has no due date")
    if f.total <= 0:
        return Reason("OPEN_ITEM_ZERO_AMOUNT", "the invoice amount is zero")
    if not kids.is_valid(f.kid):
        return Reason("OPEN_ITEM_INVALID_KID", f"the KID {f.kid!r} is not valid")
    return None


def settled(f: Facts) -> Reason | None:
    if f.open_amount <= 0:
        return Reason("SETTLED", "nothing is open on the invoice")
    return None


def currency(f: Facts) -> Reason | None:
    if f.currency != COLLECTION_CURRENCY:
        return Reason(
            "CURRENCY", f"only {COLLECTION_CURRENCY} claims are collected, not {f.currency}"
        )
    return None


def below_minimum(f: Facts) -> Reason | None:
    if f.open_amount < f.agreement.minimum_amount:
        return Reason(
            "BELOW_MINIMUM",
            f"{f.open_amount} NOK open is below the agreement's "
            f"minimum of {f.agreement.minimum_amount} NOK",
        )
    return None


def running_days(f: Facts) -> Reason | None:
    if f.due_date is None:
        return None
    earliest = f.due_date + timedelta(days=max(f.agreement.running_days, 1))
    if f.today < earliest:
        return Reason(
            "RUNNING_DAYS",
            f"not before {earliest} (due {f.due_date}, "
            f"{f.agreement.running_days} running days in the agreement)",
        )
    return None


def time_barred(f: Facts) -> Reason | None:
    """3 years from the due date, or from the stated interruption (foreldelsesloven)."""
    if f.due_date is None:
        return None
    start = f.limitation_interrupted_on or f.due_date
    if not is_time_barred(start, f.today):
        return None
    since = "interrupted" if f.limitation_interrupted_on else "due"
    return Reason(
        "TIME_BARRED",
        f"the claim is time-barred: 3 years from {start} ({since}) ended on "
        f"{limitation_last_day(start)} ({LIMITATION_SOURCE}); if the limitation was "
        "interrupted, give the day with --limitation-interrupted",
    )


def customer_information(f: Facts) -> Reason | None:
    if not f.customer_address_complete:
        return Reason("CUSTOMER_ADDRESS_MISSING", "the customer's postal address is incomplete")
    if f.customer_is_business and not f.customer_orgnr:
        return Reason("CUSTOMER_ORGNR_MISSING", "the business customer has no organisation number")
    return None


def exemption(f: Facts) -> Reason | None:
    if f.customer_exempt:
        return Reason("CUSTOMER_EXEMPT", "the customer has reminder exemption (purrefritak)")
    if f.invoice_exempt:
        return Reason("INVOICE_EXEMPT", "the invoice has reminder exemption (purrefritak)")
    return None


def already_in_collection(f: Facts) -> Reason | None:
    if f.in_collection:
        return Reason("ALREADY_SENT", "the invoice already has a collection case")
    return None


def voucher_type_mapped(f: Facts) -> Reason | None:
    if f.voucher_mapping is not CollectionMapping.INVOICE:
        return Reason(
            "VOUCHER_TYPE_NOT_MAPPED",
            "the invoice's voucher type is not mapped to Invoice for collection",
        )
    return None


CHECKS: tuple[Check, ...] = (
    not_an_invoice,
    open_item_invalid,
    settled,
    currency,
    below_minimum,
    running_days,
    time_barred,
    customer_information,
    exemption,
    already_in_collection,
    voucher_type_mapped,
)


def reasons(facts: Facts) -> list[Reason]:
    """Every reason the invoice cannot be sent to collection today; empty when it can."""
    return [reason for check in CHECKS if (reason := check(facts)) is not None]
