"""The data templates/invoice.typ reads: an `InvoiceDocument` turned into JSON-ready strings.

Every amount, quantity, rate and date is formatted here, in the buyer's language, so the
template only places text; the wording lives in templates/nb.typ and templates/en.typ.
"""

from __future__ import annotations

from typing import Final

from fordring.adapters.pdf.formatting import (
    NBSP,
    account_number,
    address_lines,
    amount,
    day,
    money,
    percent,
    price,
    quantity,
)
from fordring.adapters.pdf.template_data import DEFAULT_DEBTOR_PAGE, Json
from fordring.domain.collection.letters import Party
from fordring.domain.company import Address, Company
from fordring.domain.debtor_access import masked_pin
from fordring.domain.invoice_document import InvoiceDocument
from fordring.domain.invoices import Invoice
from fordring.domain.language import Language
from fordring.domain.money import DEFAULT_CURRENCY

INVOICE: Final = "invoice"
CREDIT_NOTE: Final = "credit_note"


def invoice_data(document: InvoiceDocument) -> Json:
    """The document's data for templates/invoice.typ."""
    invoice, seller = document.invoice, document.seller
    lang = document.language
    credit = invoice.is_credit_note
    return {
        "kind": CREDIT_NOTE if credit else INVOICE,
        "lang": lang.value,
        "number": str(invoice.number),
        "date": day(invoice.issue_date, lang),
        "due": None if credit else day(invoice.due_date, lang),
        **_delivery(document, lang),
        "customer": str(document.buyer.number),
        "reference": document.buyer_reference or None,
        "currency": None if invoice.currency == DEFAULT_CURRENCY else invoice.currency,
        "credited": _credited(document, lang),
        "seller": _seller(seller),
        "buyer": {"name": document.buyer.name, "lines": _address(document.buyer.address)},
        # Lines as arrays, not objects: less JSON to write and parse at thousands of lines.
        "lines": _lines(invoice, lang),
        "vat_lines": [
            [percent(v.rate, lang), amount(v.taxable, lang), amount(v.vat, lang)]
            for v in invoice.vat_lines
        ],
        **_totals(invoice, lang),
        "account": account_number(seller.account),
        "kid": None if credit else invoice.kid,
        # issue 19: the debtor's page, the code and the PIN (masked when printed again)
        "access": None
        if document.access is None or credit
        else {
            "address": document.access.address or DEFAULT_DEBTOR_PAGE,
            "code": document.access.code,
            "pin": document.access.pin or masked_pin(),
        },
    }


def _seller(seller: Company) -> Json:
    """Who invoices: its address, organisation number and registrations (§ 5-1-1 nr. 2)."""
    return {
        "name": seller.name,
        "lines": _address(seller.address),
        "orgnr": _orgnr(seller.orgnr),
        "vat": seller.vat_registered,
        "foretak": seller.foretaksregisteret,
        "email": seller.email or None,
    }


def _delivery(document: InvoiceDocument, lang: Language) -> Json:
    """When the goods or services were delivered: a recurring invoice's period, else the
    invoice date (bokføringsforskriften § 5-1-1 nr. 4)."""
    start, end = document.period_start, document.period_end
    if document.period_text:
        return {"period": document.period_text, "delivered": None}
    if start is not None and end is not None:
        return {"period": f"{day(start, lang)}\u2013{day(end, lang)}", "delivered": None}
    return {"period": None, "delivered": day(document.invoice.issue_date, lang)}


def _credited(document: InvoiceDocument, lang: Language) -> Json | None:
    credited = document.credited
    if credited is None:
        return None
    return {"number": str(credited.number), "date": day(credited.issue_date, lang)}


def _lines(invoice: Invoice, lang: Language) -> list[list[str]]:
    return [
        [
            item.description,
            quantity(item.quantity, lang),
            price(item.unit_price, lang),
            percent(item.vat_rate, lang),
            amount(item.net, lang),
        ]
        for item in invoice.lines
    ]


def _totals(invoice: Invoice, lang: Language) -> Json:
    return {
        "net": amount(invoice.net, lang),
        "vat_total": amount(invoice.vat, lang),
        "total": amount(invoice.total, lang),
        "total_money": money(invoice.total, lang, invoice.currency),
    }


def _address(address: Address) -> list[str]:
    """The postal lines under a name; a country line only abroad."""
    return address_lines(Party("", address.street, address.postcode, address.city, address.country))


def _orgnr(orgnr: str) -> str:
    """`923 456 783`, kept on one line."""
    digits = orgnr.replace(" ", "")
    if len(digits) == 9 and digits.isdigit():
        return NBSP.join((digits[:3], digits[3:6], digits[6:]))
    return orgnr
