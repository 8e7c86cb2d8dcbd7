"""EHF test documents with good defaults: a seller, buyers, invoices, credit notes, and
where the official Peppol rule files live (../shared/data/peppol beside the repository)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.builders import ACCOUNT, CUSTOMER_ORGNR, DAY, ORGNR

from fordring.domain.company import Address, Company
from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.invoice_document import CreditedInvoice, InvoiceDocument
from fordring.domain.invoices import Invoice, InvoiceKind, line
from fordring.domain.kid import KidAlgorithm, generate

PEPPOL_DATA = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "peppol"
PEPPOL_RULES = PEPPOL_DATA / "PEPPOL-EN16931-UBL.sch"
CEN_RULES = PEPPOL_DATA / "CEN-EN16931-UBL.sch"

Line = tuple[str, str, str, str]  # description, quantity, unit price, VAT rate
TYPICAL_LINES: tuple[Line, ...] = (
    ("Konsulenttime", "7.5", "1150.00", "25"),
    ("Lunsj", "2", "189.50", "15"),
    ("Reise Oslo-Bergen", "1", "1249", "12"),
)


def seller(**changes: Any) -> Company:
    company = Company(
        id=1,
        orgnr=ORGNR,
        name="Test AS",
        account=ACCOUNT,
        address=Address("Storgata 1", "0155", "Oslo"),
        email="faktura@test.no",
    )
    return dataclasses.replace(company, **changes)


def business(**changes: Any) -> Customer:
    customer = Customer(
        id=1,
        number=10000,
        kind=CustomerKind.BUSINESS,
        name="Kunde AS",
        orgnr=CUSTOMER_ORGNR,
        address=Address("Vei 2", "5003", "Bergen"),
        email="regnskap@kunde.no",
    )
    return dataclasses.replace(customer, **changes)


def consumer(**changes: Any) -> Customer:
    customer = Customer(
        id=2,
        number=10001,
        kind=CustomerKind.CONSUMER,
        name="Kari Nordmann",
        address=Address("Vei 3", "0565", "Oslo"),
    )
    return dataclasses.replace(customer, **changes)


def invoice(
    *lines: Line,
    number: int = 1001,
    kind: InvoiceKind = InvoiceKind.INVOICE,
    **changes: Any,
) -> Invoice:
    """An invoice of `lines` (default: the three typical lines), due in 14 days, with KID."""
    specs = lines or TYPICAL_LINES
    made = Invoice(
        number=number,
        kind=kind,
        customer_id=1,
        issue_date=DAY,
        due_date=date(2026, 3, 16),
        lines=tuple(
            line(text, Decimal(quantity), Decimal(price), Decimal(rate))
            for text, quantity, price, rate in specs
        ),
        kid=generate(number, KidAlgorithm.MOD10, 10),
        credits_invoice_id=7 if kind is InvoiceKind.CREDIT_NOTE else None,
    )
    return dataclasses.replace(made, **changes) if changes else made


def document(*lines: Line, **changes: Any) -> InvoiceDocument:
    """A business invoice from Test AS to Kunde AS; `changes` replace document fields."""
    made = InvoiceDocument(invoice(*lines), seller(), business())
    return dataclasses.replace(made, **changes) if changes else made


def credit_note(*lines: Line, **changes: Any) -> InvoiceDocument:
    """A credit note crediting invoice 1001 of 2026-03-02."""
    made = InvoiceDocument(
        invoice(*lines, number=1002, kind=InvoiceKind.CREDIT_NOTE, kid=""),
        seller(),
        business(),
        credited=CreditedInvoice(1001, DAY),
    )
    return dataclasses.replace(made, **changes) if changes else made


def many_lines(count: int) -> tuple[Line, ...]:
    rates = ("25", "15", "12", "0")
    return tuple(
        (f"Vare {n}", str(1 + n % 5), f"{10 + n % 97}.{n % 100:02d}", rates[n % 4])
        for n in range(count)
    )
