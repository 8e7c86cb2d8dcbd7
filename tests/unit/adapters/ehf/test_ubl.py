"""The UBL builder, the schema check and the writer: what the EHF file carries."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]
from tests.builders import ACCOUNT, CUSTOMER_ORGNR, ORGNR
from tests.unit.adapters.ehf import documents

from fordring.adapters.ehf import schema, ubl
from fordring.adapters.ehf.writer import UblEhfWriter
from fordring.domain.company import Address
from fordring.domain.errors import InvalidInput
from fordring.domain.language import Language
from fordring.services.ports import EhfWriter

NS = ubl.NAMESPACES


def text(root: Any, path: str) -> str:
    return str(root.findtext(path, None, NS))


def texts(root: Any, path: str) -> list[str]:
    return [str(element.text) for element in root.iterfind(path, NS)]


def test_an_invoice_is_a_peppol_bis_3_invoice_that_the_ubl_schema_accepts() -> None:
    root = ubl.build(documents.document())

    assert root.tag == f"{{{ubl.INVOICE_NS}}}Invoice"
    assert text(root, "cbc:CustomizationID") == ubl.CUSTOMIZATION_ID
    assert text(root, "cbc:ProfileID") == ubl.PROFILE_ID
    assert text(root, "cbc:ID") == "1001"
    assert text(root, "cbc:InvoiceTypeCode") == "380"
    assert text(root, "cbc:IssueDate") == "2026-03-02"
    assert text(root, "cbc:DueDate") == "2026-03-16"
    assert text(root, "cbc:DocumentCurrencyCode") == "NOK"
    assert text(root, "cbc:BuyerReference") == "10000"  # the customer number
    assert schema.errors(root) == []


def test_seller_and_buyer_carry_endpoint_vat_id_foretaksregisteret_and_address() -> None:
    root = ubl.build(documents.document())
    seller = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)

    assert seller.find("cbc:EndpointID", NS).attrib == {"schemeID": "0192"}
    assert text(seller, "cbc:EndpointID") == ORGNR
    assert texts(seller, "cac:PartyTaxScheme/cbc:CompanyID") == [
        f"NO{ORGNR}MVA",
        "Foretaksregisteret",
    ]
    assert texts(seller, "cac:PartyTaxScheme/cac:TaxScheme/cbc:ID") == ["VAT", "TAX"]
    assert text(seller, "cac:PartyLegalEntity/cbc:CompanyID") == ORGNR
    assert text(seller, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "NO"
    assert text(buyer, "cbc:EndpointID") == CUSTOMER_ORGNR
    assert text(buyer, "cac:PartyLegalEntity/cbc:RegistrationName") == "Kunde AS"
    assert text(buyer, "cac:PostalAddress/cbc:PostalZone") == "5003"
    assert buyer.find("cac:PartyTaxScheme", NS) is None  # the buyer's VAT status is unknown


def test_a_buyer_peppol_id_is_its_endpoint() -> None:
    document = dataclasses.replace(
        documents.document(), buyer=documents.business(peppol_id="0088:7080000000001")
    )
    endpoint = ubl.build(document).find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS)

    assert (endpoint.get("schemeID"), endpoint.text) == ("0088", "7080000000001")


def test_payment_is_a_credit_transfer_to_the_account_with_the_kid() -> None:
    document = documents.document()
    root = ubl.build(document)

    assert text(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == "30"
    assert text(root, "cac:PaymentMeans/cbc:PaymentID") == document.invoice.kid
    assert text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == ACCOUNT


def test_one_vat_breakdown_per_rate_with_categories_s_and_z() -> None:
    document = documents.document(
        ("a", "1", "100", "25"),
        ("b", "1", "100", "15"),
        ("c", "1", "100", "12"),
        ("d", "1", "100", "0"),
    )
    root = ubl.build(document)
    subtotals = root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)

    assert [text(s, "cac:TaxCategory/cbc:ID") for s in subtotals] == ["S", "S", "S", "Z"]
    assert [text(s, "cac:TaxCategory/cbc:Percent") for s in subtotals] == ["25", "15", "12", "0"]
    assert [text(s, "cbc:TaxAmount") for s in subtotals] == ["25.00", "15.00", "12.00", "0.00"]
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "52.00"
    totals = root.find("cac:LegalMonetaryTotal", NS)
    assert [child.text for child in totals] == ["400.00", "400.00", "452.00", "452.00"]


def test_lines_have_quantity_in_c62_amount_item_category_and_price() -> None:
    root = ubl.build(documents.document(("Konsulenttime", "7.5", "1150.125", "25")))
    item = root.find("cac:InvoiceLine", NS)

    assert text(item, "cbc:ID") == "1"
    assert item.find("cbc:InvoicedQuantity", NS).attrib == {"unitCode": "C62"}
    assert text(item, "cbc:InvoicedQuantity") == "7.5"
    assert text(item, "cbc:LineExtensionAmount") == "8625.94"
    assert text(item, "cac:Item/cbc:Name") == "Konsulenttime"
    assert text(item, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent") == "25"
    assert text(item, "cac:Price/cbc:PriceAmount") == "1150.125"  # prices keep their decimals


def test_a_negative_price_becomes_a_negative_quantity_at_a_positive_price() -> None:
    root = ubl.build(documents.document(("Timer", "2", "500", "25"), ("Rabatt", "1", "-100", "25")))
    discount = root.findall("cac:InvoiceLine", NS)[1]

    assert text(discount, "cbc:InvoicedQuantity") == "-1"
    assert text(discount, "cac:Price/cbc:PriceAmount") == "100"
    assert text(discount, "cbc:LineExtensionAmount") == "-100.00"


def test_a_credit_note_references_the_invoice_it_credits_and_asks_no_payment() -> None:
    root = ubl.build(documents.credit_note())

    assert root.tag == f"{{{ubl.CREDIT_NOTE_NS}}}CreditNote"
    assert text(root, "cbc:CreditNoteTypeCode") == "381"
    reference = root.find("cac:BillingReference/cac:InvoiceDocumentReference", NS)
    assert (text(reference, "cbc:ID"), text(reference, "cbc:IssueDate")) == ("1001", "2026-03-02")
    assert text(root, "cbc:Note") == "Kreditnota for faktura 1001"
    assert root.find("cac:PaymentMeans", NS) is None
    assert root.find("cbc:DueDate", NS) is None
    assert len(root.findall("cac:CreditNoteLine/cbc:CreditedQuantity", NS)) == 3
    assert schema.errors(root) == []


def test_a_recurring_invoice_carries_its_period_and_period_text() -> None:
    document = documents.document(
        period_text="Husleie mars 2026",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
    )
    root = ubl.build(document)

    assert text(root, "cac:InvoicePeriod/cbc:StartDate") == "2026-03-01"
    assert text(root, "cac:InvoicePeriod/cbc:EndDate") == "2026-03-31"
    assert text(root, "cbc:Note") == "Husleie mars 2026"
    assert schema.errors(root) == []


def test_a_seller_outside_the_vat_register_uses_category_o_without_rate_or_vat_id() -> None:
    document = dataclasses.replace(
        documents.document(("Leie", "1", "1000", "0")),
        seller=documents.seller(vat_registered=False),
        buyer=documents.business(language=Language.EN),
    )
    root = ubl.build(document)
    seller = root.find("cac:AccountingSupplierParty/cac:Party", NS)

    assert texts(seller, "cac:PartyTaxScheme/cbc:CompanyID") == ["Foretaksregisteret"]
    category = root.find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS)
    assert text(category, "cbc:ID") == "O"
    assert category.find("cbc:Percent", NS) is None
    assert text(category, "cbc:TaxExemptionReasonCode") == "VATEX-EU-O"
    assert text(category, "cbc:TaxExemptionReason") == "Not subject to VAT"
    line_category = root.find("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory", NS)
    assert text(line_category, "cbc:ID") == "O"
    assert line_category.find("cbc:Percent", NS) is None


def test_a_foreign_currency_invoice_states_its_vat_in_nok_and_the_iban() -> None:
    invoice = documents.invoice(currency="EUR", exchange_rate=Decimal("11.4567"))
    root = ubl.build(dataclasses.replace(documents.document(), invoice=invoice))

    assert text(root, "cbc:DocumentCurrencyCode") == "EUR"
    assert text(root, "cbc:TaxCurrencyCode") == "NOK"
    amounts = root.findall("cac:TaxTotal/cbc:TaxAmount", NS)
    assert [(a.get("currencyID"), a.text) for a in amounts] == [
        ("EUR", f"{invoice.vat:.2f}"),
        ("NOK", f"{(invoice.vat * Decimal('11.4567')).quantize(Decimal('0.01')):.2f}"),
    ]
    assert text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == "NO9386011117947"
    assert schema.errors(root) == []


def test_text_is_escaped_and_characters_xml_cannot_carry_are_dropped() -> None:
    buyer = documents.business(
        name='Ærlig & Sønn <"AS">', address=Address("Vei\x07 2", "5003", "Bergen")
    )
    document = dataclasses.replace(
        documents.document(("Kaffe & kake\x01\ud800", "1", "10", "15")), buyer=buyer
    )
    root = ubl.build(document)

    assert text(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name") == (
        'Ærlig & Sønn <"AS">'
    )
    assert text(root, "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:StreetName") == (
        "Vei 2"
    )
    assert text(root, "cac:InvoiceLine/cac:Item/cbc:Name") == "Kaffe & kake"


def test_the_schema_reports_a_broken_document_by_line() -> None:
    root = ubl.build(documents.document())
    due = root.find("cbc:DueDate", NS)
    root.remove(due)
    root.append(due)  # after the lines: out of the schema's order

    errors = schema.errors(root)

    assert errors
    assert "DueDate" in errors[0]
    with pytest.raises(InvalidInput) as raised:
        schema.check(root)
    assert raised.value.problems[0].field == "ehf"
    assert raised.value.problems[0].reason.startswith("UBL-XSD: line ")


def test_the_schema_refuses_a_document_that_is_not_an_invoice_or_credit_note() -> None:
    with pytest.raises(InvalidInput, match="UBL-XSD"):
        schema.check(etree.fromstring(b"<Order/>"))


def test_the_writer_returns_the_checked_bytes() -> None:
    writer: EhfWriter = UblEhfWriter()
    document = documents.document()

    xml = writer.write(document)

    assert xml == ubl.render(document)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert schema.errors(ubl.parse(xml)) == []


def test_the_writer_refuses_a_consumer_without_a_peppol_address() -> None:
    document = dataclasses.replace(documents.document(), buyer=documents.consumer())

    with pytest.raises(InvalidInput) as raised:
        UblEhfWriter().write(document)

    assert [p.field for p in raised.value.problems] == ["buyer.peppol_id"]
    assert raised.value.problems[0].reason.startswith("PEPPOL-EN16931-R010:")


def test_a_consumer_with_a_peppol_id_gets_an_ehf_without_organisation_number() -> None:
    buyer = documents.consumer(peppol_id="0192:" + CUSTOMER_ORGNR)
    xml = UblEhfWriter().write(dataclasses.replace(documents.document(), buyer=buyer))
    party = ubl.parse(xml).find("cac:AccountingCustomerParty/cac:Party", NS)

    assert text(party, "cbc:EndpointID") == CUSTOMER_ORGNR
    assert party.find("cac:PartyLegalEntity/cbc:CompanyID", NS) is None
