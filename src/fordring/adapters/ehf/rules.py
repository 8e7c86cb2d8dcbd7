"""The EHF checks fordring makes itself before sending: a short hand-written list of the
Peppol BIS 3.0, EN 16931 and Norwegian rules its documents can break, each named by its
official id (FORDRING-* where no official rule exists).

Data rules read the InvoiceDocument (fast, and they name the field to fix); wire rules
read the UBL tree about to be sent and check that its amounts add up. Not a copy of the
Schematron files: those run in tests and benchmarks (schematron.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs
from stdnum.no import kontonr, orgnr

from fordring.adapters.ehf.ubl import NAMESPACES, buyer_endpoint
from fordring.domain import kid as kids
from fordring.domain.company import Address
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.identifiers import PEPPOL_ORGNR_SCHEME
from fordring.domain.invoice_document import InvoiceDocument

Element = Any  # lxml.etree._Element; lxml ships no type stubs
DocumentCheck = Callable[[InvoiceDocument], Iterable[Problem]]
WireCheck = Callable[[Element], Iterable[Problem]]

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_ORE = Decimal("0.01")


# Data rules: the InvoiceDocument


def _orgnr_ok(value: str) -> bool:
    return len(value) == 9 and bool(orgnr.is_valid(value))


def electronic_addresses(document: InvoiceDocument) -> Iterator[Problem]:
    """PEPPOL-EN16931-R010: the buyer has a Peppol address (the seller's is its orgnr)."""
    if buyer_endpoint(document.buyer) is None:
        yield Problem(
            "buyer.peppol_id",
            "PEPPOL-EN16931-R010: the buyer has no electronic address (no organisation "
            "number or Peppol id); a consumer gets the invoice by e-mail or post, not EHF",
        )


def organisation_numbers(document: InvoiceDocument) -> Iterator[Problem]:
    """PEPPOL-COMMON-R041: every 0192 id (endpoints, legal entities) is a valid Norwegian
    organisation number: 9 digits, MOD11."""
    seller, buyer = document.seller, document.buyer
    numbers = {seller.orgnr: "seller.orgnr"}
    if buyer.orgnr:
        numbers.setdefault(buyer.orgnr, "buyer.orgnr")
    endpoint = buyer_endpoint(buyer)
    if endpoint is not None and endpoint[0] == PEPPOL_ORGNR_SCHEME:
        numbers.setdefault(endpoint[1], "buyer.peppol_id")
    for number, field in numbers.items():
        if not _orgnr_ok(number):
            yield Problem(
                field, f"PEPPOL-COMMON-R041: {number!r} is not a valid organisation number"
            )


def seller_vat_id(document: InvoiceDocument) -> Iterator[Problem]:
    """NO-R-001: a VAT-registered seller's VAT id NO<orgnr>MVA needs a valid orgnr."""
    if document.seller.vat_registered and not _orgnr_ok(document.seller.orgnr):
        yield Problem(
            "seller.orgnr",
            f"NO-R-001: NO{document.seller.orgnr}MVA is not a valid Norwegian VAT id",
        )


def _address_problems(who: str, address: Address, country_rule: str) -> Iterator[Problem]:
    if not _COUNTRY.match(address.country):
        yield Problem(
            f"{who}.address",
            f"{country_rule}: the {who}'s country must be an ISO 3166 code, "
            f"not {address.country!r}",
        )


def names_and_countries(document: InvoiceDocument) -> Iterator[Problem]:
    """BR-06/BR-07: seller and buyer names; BR-09/BR-11: their countries."""
    if not document.seller.name.strip():
        yield Problem("seller.name", "BR-06: the seller needs a name")
    if not document.buyer.name.strip():
        yield Problem("buyer.name", "BR-07: the buyer needs a name")
    yield from _address_problems("seller", document.seller.address, "BR-09")
    yield from _address_problems("buyer", document.buyer.address, "BR-11")


def buyer_reference(document: InvoiceDocument) -> Iterator[Problem]:
    """PEPPOL-EN16931-R003: a buyer reference (the customer number when none is given)."""
    if not document.reference.strip():
        yield Problem("reference", "PEPPOL-EN16931-R003: a buyer reference is required")


def currency(document: InvoiceDocument) -> Iterator[Problem]:
    """BR-CL-04: the invoice currency is an ISO 4217 code."""
    if not _CURRENCY.match(document.invoice.currency):
        code = document.invoice.currency
        yield Problem("currency", f"BR-CL-04: {code!r} is not an ISO 4217 currency code")


def lines(document: InvoiceDocument) -> Iterator[Problem]:
    """BR-16: at least one line; BR-25: each line names what it is for."""
    if not document.invoice.lines:
        yield Problem("lines", "BR-16: an invoice or credit note needs at least one line")
    for number, item in enumerate(document.invoice.lines, start=1):
        if not item.description.strip():
            yield Problem("line", "BR-25: every line needs a text", f"line {number}")


def invoice_period(document: InvoiceDocument) -> Iterator[Problem]:
    """BR-29: a period does not end before it starts."""
    start, end = document.period_start, document.period_end
    if start is not None and end is not None and end < start:
        yield Problem("period_end", f"BR-29: the period ends {end}, before it starts {start}")


def payment(document: InvoiceDocument) -> Iterator[Problem]:
    """BR-61: an invoice paid by credit transfer names the seller's account, and
    FORDRING-ACCOUNT: a valid one (MOD11); FORDRING-KID: its KID has a valid check digit."""
    if document.invoice.is_credit_note:
        return
    account = document.seller.account
    if not account:
        yield Problem("seller.account", "BR-61: credit transfer needs the seller's account")
    elif not (len(account) == 11 and kontonr.is_valid(account)):
        yield Problem("seller.account", f"FORDRING-ACCOUNT: {account!r} is not a valid account")
    kid = document.invoice.kid
    reason = kids.problem(kid) if kid else None
    if reason:
        yield Problem("kid", f"FORDRING-KID: {kid!r} is not a valid KID: {reason}")


def not_subject_to_vat(document: InvoiceDocument) -> Iterator[Problem]:
    """BR-O-09: a seller outside the VAT register (category O) charges no VAT."""
    if not document.seller.vat_registered and document.invoice.vat != 0:
        yield Problem(
            "vat",
            f"BR-O-09: the seller is not VAT-registered but the lines carry "
            f"{document.invoice.vat} VAT; every line must be 0 %",
        )


# Wire rules: the UBL tree


@cache
def _xpath(expression: str) -> Any:
    """A compiled XPath (libxml2, so XPath 1.0) over the UBL prefixes."""
    return etree.XPath(expression, namespaces=NAMESPACES, smart_strings=False)


def _number(text: str | None) -> Decimal:
    """A number; 0 when empty or not a number (the XSD reports those)."""
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _children(element: Element) -> dict[str, str | None]:
    """An aggregate's basic children: local name -> text."""
    return {str(child.tag).rpartition("}")[2]: child.text for child in element}


def _amounts(root: Element, path: str) -> list[Decimal]:
    return [_number(text) for text in _xpath(f"{path}/text()")(root)]


def totals(root: Element) -> Iterator[Problem]:
    """BR-CO-10: net = Σ lines; BR-CO-13: without VAT = net + charges - allowances;
    BR-CO-15: with VAT = without VAT + VAT; BR-CO-16: due = with VAT - paid + rounding."""
    found = _xpath("cac:LegalMonetaryTotal")(root)
    if not found:
        yield Problem("totals", "BR-CO-10: the document has no totals")
        return
    total = {name: _number(text) for name, text in _children(found[0]).items()}
    net, exclusive = total.get("LineExtensionAmount"), total.get("TaxExclusiveAmount")
    inclusive, payable = total.get("TaxInclusiveAmount"), total.get("PayableAmount")
    line_sum = sum(_amounts(root, "(cac:InvoiceLine|cac:CreditNoteLine)/cbc:LineExtensionAmount"))
    currency = _xpath("string(cbc:DocumentCurrencyCode)")(root)
    vat = sum(
        _number(amount.text)
        for amount in _xpath("cac:TaxTotal/cbc:TaxAmount")(root)
        if amount.get("currencyID") == currency
    )
    without_vat = (
        (net or 0) + total.get("ChargeTotalAmount", 0) - total.get("AllowanceTotalAmount", 0)
    )
    due = (inclusive or 0) - total.get("PrepaidAmount", 0) + total.get("PayableRoundingAmount", 0)
    if net != line_sum:
        yield Problem(
            "totals", f"BR-CO-10: the net total {net} is not the sum of the lines {line_sum}"
        )
    if exclusive != without_vat:
        yield Problem("totals", f"BR-CO-13: the total without VAT {exclusive} is not {without_vat}")
    if inclusive != (exclusive or 0) + vat:
        yield Problem(
            "totals", f"BR-CO-15: the total with VAT {inclusive} is not {exclusive} + {vat}"
        )
    if payable != due:
        yield Problem("totals", f"BR-CO-16: the amount due {payable} is not {due}")


def vat_breakdown(root: Element) -> Iterator[Problem]:
    """BR-CO-14: the VAT total is the sum of the breakdown; BR-CO-17: each rate's VAT is
    the rate times its base (category O has no rate)."""
    for tax_total in _xpath("cac:TaxTotal[cac:TaxSubtotal]")(root):
        parts = _xpath("cac:TaxSubtotal")(tax_total)
        total = _number(_xpath("string(cbc:TaxAmount)")(tax_total))
        subtotals = [_children(part) for part in parts]
        vat_sum = sum(_number(subtotal.get("TaxAmount")) for subtotal in subtotals)
        if total != vat_sum:
            yield Problem("totals", f"BR-CO-14: the VAT total {total} is not the sum {vat_sum}")
        for part, subtotal in zip(parts, subtotals, strict=True):
            rate = _xpath("string(cac:TaxCategory/cbc:Percent)")(part)
            base, vat = _number(subtotal.get("TaxableAmount")), _number(subtotal.get("TaxAmount"))
            if rate and abs(vat - base * _number(rate) / 100) > _ORE:
                yield Problem("vat", f"BR-CO-17: VAT {vat} is not {rate} % of {base}")


def line_prices(root: Element) -> Iterator[Problem]:
    """BR-27: no line has a negative price (a discount is a negative quantity)."""
    for price in _amounts(root, "(cac:InvoiceLine|cac:CreditNoteLine)/cac:Price/cbc:PriceAmount"):
        if price < 0:
            yield Problem("lines", f"BR-27: a line has the negative price {price}")


DOCUMENT_CHECKS: tuple[DocumentCheck, ...] = (
    electronic_addresses,
    organisation_numbers,
    seller_vat_id,
    names_and_countries,
    buyer_reference,
    currency,
    lines,
    invoice_period,
    payment,
    not_subject_to_vat,
)
WIRE_CHECKS: tuple[WireCheck, ...] = (totals, vat_breakdown, line_prices)


def problems(document: InvoiceDocument, root: Element) -> list[Problem]:
    """Every problem with the document and its UBL tree, all at once."""
    found = [problem for check_one in DOCUMENT_CHECKS for problem in check_one(document)]
    found.extend(problem for check_one in WIRE_CHECKS for problem in check_one(root))
    return found


def check(document: InvoiceDocument, root: Element) -> None:
    """Raise InvalidInput with every problem found, or return quietly."""
    found = problems(document, root)
    if found:
        raise InvalidInput(found)
