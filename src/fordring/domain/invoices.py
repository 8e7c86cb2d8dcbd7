"""Invoices and credit notes (SPEC L2): lines, VAT per rate, totals rounded exactly once.

A line's net amount is quantity × unit price rounded to øre (it is shown on the invoice);
VAT is computed once per rate on the sum of that rate's line amounts (as Peppol BR-CO-17
requires); the total is net + VAT. A credit note has positive lines and references the
invoice it credits; the ledger gives it the opposite sign.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.law.vat import RATES
from fordring.domain.money import DEFAULT_CURRENCY, MAX_AMOUNT, round_ore

MAX_LINES = 10_000
MAX_TERMS_DAYS = 365
MAX_QUANTITY = Decimal("1e9")  # exclusive bounds: anything larger is a typing error
MAX_UNIT_PRICE = Decimal("1e11")
_HUNDRED = Decimal(100)


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


# Lines, VAT lines and postings are NamedTuples rather than frozen dataclasses: just as
# immutable, and several times cheaper to build, which a million-invoice import feels.
class InvoiceLine(NamedTuple):
    """One line; `net` (quantity × unit price rounded to øre) is computed by `line()`."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    net: Decimal


def line(
    description: str, quantity: Decimal, unit_price: Decimal, vat_rate: Decimal
) -> InvoiceLine:
    """An invoice line with its amount as printed: quantity × unit price, rounded to øre."""
    return InvoiceLine(
        description, quantity, unit_price, vat_rate, round_ore(quantity * unit_price)
    )


class VatLine(NamedTuple):
    """One VAT rate's sum on an invoice: the taxable amount and its VAT."""

    rate: Decimal
    taxable: Decimal
    vat: Decimal


def vat_breakdown(lines: Iterable[InvoiceLine]) -> tuple[VatLine, ...]:
    """One VatLine per rate used, highest rate first, VAT rounded once per rate."""
    taxable: dict[Decimal, Decimal] = {}
    for item in lines:
        rate = item.vat_rate
        taxable[rate] = taxable[rate] + item.net if rate in taxable else item.net
    if len(taxable) == 1:
        ((rate, amount),) = taxable.items()
        return (VatLine(rate, amount, round_ore(amount * rate / _HUNDRED)),)
    return tuple(
        VatLine(rate, amount, round_ore(amount * rate / _HUNDRED))
        for rate, amount in sorted(taxable.items(), reverse=True)
    )


@dataclass(frozen=True, slots=True)
class Invoice:
    """An invoice or credit note as issued. `open_amount` lives in the customer ledger."""

    number: int
    kind: InvoiceKind
    customer_id: int
    issue_date: date
    due_date: date
    lines: tuple[InvoiceLine, ...]
    kid: str
    currency: str = DEFAULT_CURRENCY
    exchange_rate: Decimal = Decimal(1)  # NOK per unit of `currency`
    credits_invoice_id: int | None = None
    reminder_exempt: bool = False  # purrefritak on this invoice
    id: int | None = None
    vat_lines: tuple[VatLine, ...] = field(init=False)
    net: Decimal = field(init=False)
    vat: Decimal = field(init=False)
    total: Decimal = field(init=False)

    def __post_init__(self) -> None:
        breakdown = vat_breakdown(self.lines)
        if len(breakdown) == 1:
            net, vat = breakdown[0].taxable, breakdown[0].vat
        else:
            net = sum((v.taxable for v in breakdown), Decimal(0))
            vat = sum((v.vat for v in breakdown), Decimal(0))
        object.__setattr__(self, "vat_lines", breakdown)
        object.__setattr__(self, "net", net)
        object.__setattr__(self, "vat", vat)
        object.__setattr__(self, "total", net + vat)

    @property
    def is_credit_note(self) -> bool:
        return self.kind is InvoiceKind.CREDIT_NOTE

    def total_nok(self) -> Decimal:
        return round_ore(self.total * self.exchange_rate)

    def booked_nok(self) -> Decimal:
        """The NOK amount the invoice's voucher books: in a foreign currency each VAT
        line's base and VAT are converted and rounded on their own (posting_rules), so
        this can be 0.00 where `total_nok` is not."""
        if self.exchange_rate == 1:
            return self.total
        rate = self.exchange_rate
        return sum(
            (round_ore(v.taxable * rate) + round_ore(v.vat * rate) for v in self.vat_lines),
            Decimal(0),
        )


def line_problems(
    description: str, quantity: Decimal, unit_price: Decimal, vat_rate: Decimal, where: str = ""
) -> list[Problem]:
    found: list[Problem] = []
    if not description.strip():
        found.append(Problem("line", "a line needs a text", where))
    if quantity == 0:
        found.append(Problem("quantity", "must not be zero", where))
    if vat_rate not in RATES:
        found.append(Problem("vat", f"{vat_rate} is not a Norwegian VAT rate", where))
    if abs(quantity) >= MAX_QUANTITY or abs(unit_price) >= MAX_UNIT_PRICE:
        found.append(
            Problem("amount", "quantity or unit price is implausibly large", where, "too_large")
        )
    elif abs(quantity * unit_price) >= MAX_AMOUNT:
        reason = f"the line's amount is {MAX_AMOUNT:,.0f} or more"
        found.append(Problem("amount", reason, where, "too_large"))
    return found


def due_date_for(issue_date: date, due: date | None, terms_days: int | None) -> date:
    """The due date: given, or issue date + terms; never before the issue date."""
    if due is not None and terms_days is not None:
        raise InvalidInput.one("due", "give either a due date or terms in days, not both")
    if due is None:
        days = terms_days if terms_days is not None else 0
        if not 0 <= days <= MAX_TERMS_DAYS:
            raise InvalidInput.one("terms", f"must be 0-{MAX_TERMS_DAYS} days, not {days}")
        due = issue_date + timedelta(days=days)
    if due < issue_date:
        raise InvalidInput.one("due", f"{due} is before the issue date {issue_date}")
    return due


def check_invoice(
    invoice: Invoice, *, vat_registered: bool, credited_open: Decimal | None = None
) -> list[Problem]:
    """Every problem with an invoice or credit note about to be issued."""
    found: list[Problem] = []
    if not invoice.lines:
        found.append(Problem("line", "an invoice needs at least one line"))
    if len(invoice.lines) > MAX_LINES:
        found.append(Problem("line", f"at most {MAX_LINES} lines"))
    if not vat_registered and any(line.vat_rate != 0 for line in invoice.lines):
        found.append(Problem("vat", "the company is not VAT-registered: every line must be 0 %"))
    if invoice.total <= 0:
        found.append(Problem("amount", f"the total must be positive, not {invoice.total}"))
    elif invoice.booked_nok() <= 0:
        found.append(
            Problem(
                "amount",
                f"{invoice.total} {invoice.currency} is 0.00 NOK at the "
                f"exchange rate {invoice.exchange_rate}",
            )
        )
    elif invoice.total >= MAX_AMOUNT or invoice.booked_nok() >= MAX_AMOUNT:
        reason = f"the total is {MAX_AMOUNT:,.0f} NOK or more"
        found.append(Problem("amount", reason, code="too_large"))
    if invoice.exchange_rate <= 0:
        found.append(Problem("exchange_rate", "must be positive"))
    if invoice.currency == DEFAULT_CURRENCY and invoice.exchange_rate != 1:
        found.append(Problem("exchange_rate", "a NOK invoice has exchange rate 1"))
    if invoice.is_credit_note:
        if invoice.credits_invoice_id is None:
            found.append(Problem("invoice", "a credit note must reference an invoice"))
        elif credited_open is not None and invoice.total_nok() > credited_open:
            found.append(
                Problem(
                    "amount",
                    f"the credit note ({invoice.total_nok()}) exceeds what is open on the "
                    f"invoice ({credited_open}); an invoice is never credited below zero",
                )
            )
    return found
