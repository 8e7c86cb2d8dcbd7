"""The UBL 2.1 wire layer of EHF: an `InvoiceDocument` as a Peppol BIS Billing 3.0
`Invoice` (type code 380) or `CreditNote` (381), in UBL's own vocabulary.

Written as text with every value escaped (about ten times faster than building the tree
node by node with lxml), then parsed once for the checks: rules.py and schema.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from fordring.domain.company import Address, Company
from fordring.domain.customers import Customer
from fordring.domain.errors import InvalidInput
from fordring.domain.identifiers import PEPPOL_ORGNR_SCHEME, account_iban
from fordring.domain.invoice_document import (
    CREDIT_NOTE_TYPE_CODE,
    INVOICE_TYPE_CODE,
    UNIT_CODE,
    InvoiceDocument,
)
from fordring.domain.invoices import Invoice, InvoiceLine, VatLine
from fordring.domain.language import Language
from fordring.domain.law.vat import RATES
from fordring.domain.money import DEFAULT_CURRENCY, round_ore

Element = Any  # lxml.etree._Element; lxml ships no type stubs

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NAMESPACES = {"cac": CAC, "cbc": CBC, "inv": INVOICE_NS, "cn": CREDIT_NOTE_NS}

CREDIT_TRANSFER = "30"  # UNCL4461 payment means: credit transfer
VAT_SCHEME = "VAT"
TAX_SCHEME = "TAX"  # Norwegian use: "Foretaksregisteret" under this scheme (NO-R-002)
FORETAKSREGISTERET = "Foretaksregisteret"
NOT_SUBJECT_TO_VAT = "O"  # UNCL5305: a seller outside the VAT register
NOT_SUBJECT_TO_VAT_CODE = "VATEX-EU-O"
NOT_SUBJECT_TO_VAT_TEXT = {
    Language.NB: "Ikke merverdiavgiftspliktig",
    Language.EN: "Not subject to VAT",
}
CREDIT_NOTE_TEXT = {
    Language.NB: "Kreditnota for faktura {}",
    Language.EN: "Credit note for invoice {}",
}

_ROOT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<{0} xmlns="{1}" xmlns:cac="' + CAC + '"'
    ' xmlns:cbc="' + CBC + '">'
)
# Markup characters become entities; characters XML 1.0 cannot carry (C0 controls, lone
# surrogates, U+FFFE/U+FFFF) are dropped.
_DROPPED = [
    *(c for c in range(32) if chr(c) not in "\t\n\r"),
    *range(0xD800, 0xE000),
    0xFFFE,
    0xFFFF,
]
_ESCAPES: dict[int, str | None] = dict.fromkeys(_DROPPED)
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})
_SPECIAL = re.compile(r'[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def render(document: InvoiceDocument) -> bytes:
    """The UBL file of `document`: an Invoice, or a CreditNote when it credits one."""
    invoice = document.invoice
    credit = invoice.is_credit_note
    root = "CreditNote" if credit else "Invoice"
    out = [_ROOT.format(root, CREDIT_NOTE_NS if credit else INVOICE_NS)]
    _header(out, document, credit)
    out.append("<cac:AccountingSupplierParty>")
    _supplier(out, document.seller)
    out.append("</cac:AccountingSupplierParty><cac:AccountingCustomerParty>")
    _customer(out, document.buyer)
    out.append("</cac:AccountingCustomerParty>")
    if not credit:
        _payment_means(out, invoice, document.seller)
    category = None if document.seller.vat_registered else NOT_SUBJECT_TO_VAT
    _tax_totals(out, invoice, category, document.language)
    _monetary_total(out, invoice)
    line, quantity = (
        ("CreditNoteLine", "CreditedQuantity") if credit else ("InvoiceLine", "InvoicedQuantity")
    )
    currency = _escape(invoice.currency)
    for number, item in enumerate(invoice.lines, start=1):
        _line(out, line, quantity, number, item, currency, category)
    out.append(f"</{root}>")
    return "".join(out).encode()


def parse(xml: bytes) -> Element:
    """The tree of a UBL file (no entities, no network); InvalidInput if not XML."""
    try:
        return etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as error:
        raise InvalidInput.one("ehf", f"not well-formed XML: {error}") from None


def build(document: InvoiceDocument) -> Element:
    """The UBL tree of `document` (render, then parse)."""
    return parse(render(document))


def to_bytes(root: Element) -> bytes:
    """A tree as a UTF-8 XML file with its declaration."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def number(value: Decimal) -> str:
    """A quantity, price or percent as written: no exponent, decimals as given."""
    return format(value, "f")


def _escape(text: str) -> str:
    return text.translate(_ESCAPES) if _SPECIAL.search(text) else text


def _cbc(out: list[str], name: str, text: str) -> None:
    """A basic element; left out when blank (PEPPOL-EN16931-R008: no empty elements)."""
    escaped = _escape(text)
    if escaped and not escaped.isspace():
        out.append(f"<cbc:{name}>{escaped}</cbc:{name}>")


def _money(out: list[str], name: str, value: Decimal, currency: str) -> None:
    """An amount as UBL carries it: two decimals (already rounded to øre), no exponent."""
    out.append(f'<cbc:{name} currencyID="{currency}">{value:.2f}</cbc:{name}>')


def _header(out: list[str], document: InvoiceDocument, credit: bool) -> None:
    """Everything before the parties, in the schema's order."""
    invoice = document.invoice
    _cbc(out, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(out, "ProfileID", PROFILE_ID)
    _cbc(out, "ID", str(invoice.number))
    _cbc(out, "IssueDate", invoice.issue_date.isoformat())
    if credit:
        _cbc(out, "CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
    else:
        _cbc(out, "DueDate", invoice.due_date.isoformat())
        _cbc(out, "InvoiceTypeCode", INVOICE_TYPE_CODE)
    note = _note(document)
    if note:
        _cbc(out, "Note", note)
    _cbc(out, "DocumentCurrencyCode", invoice.currency)
    if invoice.currency != DEFAULT_CURRENCY:
        _cbc(out, "TaxCurrencyCode", DEFAULT_CURRENCY)  # VAT in NOK as well (BR-53)
    _cbc(out, "BuyerReference", document.reference)
    _period(out, document)
    if credit and document.credited is not None:
        out.append("<cac:BillingReference><cac:InvoiceDocumentReference>")
        _cbc(out, "ID", str(document.credited.number))
        _cbc(out, "IssueDate", document.credited.issue_date.isoformat())
        out.append("</cac:InvoiceDocumentReference></cac:BillingReference>")


def _note(document: InvoiceDocument) -> str:
    """The one document note Peppol allows (PEPPOL-EN16931-R002): period text, credit."""
    parts = [" ".join(document.period_text.split())]
    if document.credited is not None:
        parts.append(CREDIT_NOTE_TEXT[document.language].format(document.credited.number))
    return " – ".join(part for part in parts if part)


def _period(out: list[str], document: InvoiceDocument) -> None:
    if document.period_start is None and document.period_end is None:
        return
    out.append("<cac:InvoicePeriod>")
    if document.period_start is not None:
        _cbc(out, "StartDate", document.period_start.isoformat())
    if document.period_end is not None:
        _cbc(out, "EndDate", document.period_end.isoformat())
    out.append("</cac:InvoicePeriod>")


def _endpoint(out: list[str], scheme: str, identifier: str) -> None:
    out.append(
        f'<cbc:EndpointID schemeID="{_escape(scheme)}">{_escape(identifier)}</cbc:EndpointID>'
    )


def _party_name(out: list[str], name: str) -> None:
    out.append("<cac:PartyName>")
    _cbc(out, "Name", name)
    out.append("</cac:PartyName>")


def _postal_address(out: list[str], address: Address) -> None:
    out.append("<cac:PostalAddress>")
    _cbc(out, "StreetName", address.street)
    _cbc(out, "CityName", address.city)
    _cbc(out, "PostalZone", address.postcode)
    if address.country.strip():
        out.append("<cac:Country>")
        _cbc(out, "IdentificationCode", address.country)
        out.append("</cac:Country>")
    out.append("</cac:PostalAddress>")


def _tax_scheme(out: list[str], company_id: str, scheme: str) -> None:
    out.append("<cac:PartyTaxScheme>")
    _cbc(out, "CompanyID", company_id)
    out.append(f"<cac:TaxScheme><cbc:ID>{scheme}</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>")


def _legal_entity(out: list[str], name: str, orgnr: str | None) -> None:
    out.append("<cac:PartyLegalEntity>")
    _cbc(out, "RegistrationName", name)
    if orgnr:
        scheme = PEPPOL_ORGNR_SCHEME
        out.append(f'<cbc:CompanyID schemeID="{scheme}">{_escape(orgnr)}</cbc:CompanyID>')
    out.append("</cac:PartyLegalEntity>")


def _contact(out: list[str], email: str) -> None:
    if email.strip():
        out.append("<cac:Contact>")
        _cbc(out, "ElectronicMail", email)
        out.append("</cac:Contact>")


def _supplier(out: list[str], seller: Company) -> None:
    out.append("<cac:Party>")
    _endpoint(out, PEPPOL_ORGNR_SCHEME, seller.orgnr)
    _party_name(out, seller.name)
    _postal_address(out, seller.address)
    if seller.vat_registered:
        _tax_scheme(out, f"NO{seller.orgnr}MVA", VAT_SCHEME)
    if seller.foretaksregisteret:
        _tax_scheme(out, FORETAKSREGISTERET, TAX_SCHEME)
    _legal_entity(out, seller.name, seller.orgnr)
    _contact(out, seller.email)
    out.append("</cac:Party>")


def _customer(out: list[str], buyer: Customer) -> None:
    """The buyer; without an orgnr or Peppol id it has no EndpointID (rules refuse it)."""
    out.append("<cac:Party>")
    endpoint = buyer_endpoint(buyer)
    if endpoint is not None:
        _endpoint(out, *endpoint)
    _party_name(out, buyer.name)
    _postal_address(out, buyer.address)
    _legal_entity(out, buyer.name, buyer.orgnr)
    _contact(out, buyer.email)
    out.append("</cac:Party>")


def buyer_endpoint(buyer: Customer) -> tuple[str, str] | None:
    """The buyer's Peppol address (scheme, id): its Peppol id, else 0192 and its orgnr."""
    if buyer.peppol_id:
        scheme, _, identifier = buyer.peppol_id.partition(":")
        return scheme, identifier
    if buyer.orgnr:
        return PEPPOL_ORGNR_SCHEME, buyer.orgnr
    return None


def _payment_means(out: list[str], invoice: Invoice, seller: Company) -> None:
    """Credit transfer to the seller's account with the KID; foreign payers get the IBAN."""
    out.append("<cac:PaymentMeans>")
    _cbc(out, "PaymentMeansCode", CREDIT_TRANSFER)
    if invoice.kid:
        _cbc(out, "PaymentID", invoice.kid)
    account = seller.account
    if account and invoice.currency != DEFAULT_CURRENCY:
        account = account_iban(account)
    if account:
        out.append("<cac:PayeeFinancialAccount>")
        _cbc(out, "ID", account)
        out.append("</cac:PayeeFinancialAccount>")
    out.append("</cac:PaymentMeans>")


def category_for(rate: Decimal, category: str | None) -> str:
    """UNCL5305 category of a rate: S standard, Z zero-rated; O outside the register."""
    if category is not None:
        return category
    known = RATES.get(rate)
    if known is not None:
        return known.peppol_category
    return "S" if rate else "Z"


def _tax_category(out: list[str], tag: str, rate: Decimal, code: str, reason: str = "") -> None:
    out.append(f"<cac:{tag}><cbc:ID>{code}</cbc:ID>")
    if code != NOT_SUBJECT_TO_VAT:  # BR-O-05: category O carries no rate
        out.append(f"<cbc:Percent>{number(rate)}</cbc:Percent>")
    elif reason:  # BR-O-10: and says why
        _cbc(out, "TaxExemptionReasonCode", NOT_SUBJECT_TO_VAT_CODE)
        _cbc(out, "TaxExemptionReason", reason)
    out.append(f"<cac:TaxScheme><cbc:ID>{VAT_SCHEME}</cbc:ID></cac:TaxScheme></cac:{tag}>")


def _tax_totals(out: list[str], invoice: Invoice, category: str | None, language: Language) -> None:
    currency = _escape(invoice.currency)
    out.append("<cac:TaxTotal>")
    _money(out, "TaxAmount", invoice.vat, currency)
    for vat_line in invoice.vat_lines:
        _tax_subtotal(out, vat_line, category_for(vat_line.rate, category), currency, language)
    out.append("</cac:TaxTotal>")
    if invoice.currency != DEFAULT_CURRENCY:  # BR-53: the VAT in the accounting currency
        in_nok = round_ore(invoice.vat * invoice.exchange_rate)
        out.append("<cac:TaxTotal>")
        _money(out, "TaxAmount", in_nok, DEFAULT_CURRENCY)
        out.append("</cac:TaxTotal>")


def _tax_subtotal(
    out: list[str], vat_line: VatLine, code: str, currency: str, language: Language
) -> None:
    out.append("<cac:TaxSubtotal>")
    _money(out, "TaxableAmount", vat_line.taxable, currency)
    _money(out, "TaxAmount", vat_line.vat, currency)
    _tax_category(out, "TaxCategory", vat_line.rate, code, NOT_SUBJECT_TO_VAT_TEXT[language])
    out.append("</cac:TaxSubtotal>")


def _monetary_total(out: list[str], invoice: Invoice) -> None:
    currency = _escape(invoice.currency)
    out.append("<cac:LegalMonetaryTotal>")
    _money(out, "LineExtensionAmount", invoice.net, currency)
    _money(out, "TaxExclusiveAmount", invoice.net, currency)
    _money(out, "TaxInclusiveAmount", invoice.total, currency)
    _money(out, "PayableAmount", invoice.total, currency)
    out.append("</cac:LegalMonetaryTotal>")


def _line(
    out: list[str],
    tag: str,
    quantity_tag: str,
    line_number: int,
    item: InvoiceLine,
    currency: str,
    category: str | None,
) -> None:
    """One line; a negative price moves its sign to the quantity (BR-27: price ≥ 0)."""
    quantity, price = item.quantity, item.unit_price
    if price < 0:
        quantity, price = -quantity, -price
    out.append(
        f"<cac:{tag}><cbc:ID>{line_number}</cbc:ID>"
        f'<cbc:{quantity_tag} unitCode="{UNIT_CODE}">{number(quantity)}</cbc:{quantity_tag}>'
        f'<cbc:LineExtensionAmount currencyID="{currency}">{item.net:.2f}</cbc:LineExtensionAmount>'
        f"<cac:Item><cbc:Name>{_escape(' '.join(item.description.split()))}</cbc:Name>"
    )
    _tax_category(
        out, "ClassifiedTaxCategory", item.vat_rate, category_for(item.vat_rate, category)
    )
    out.append(
        f'</cac:Item><cac:Price><cbc:PriceAmount currencyID="{currency}">{number(price)}'
        f"</cbc:PriceAmount></cac:Price></cac:{tag}>"
    )
