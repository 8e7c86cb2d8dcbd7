"""The checks before sending: each rule, broken on purpose, is named by its id and field."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from tests.unit.adapters.ehf import documents

from fordring.adapters.ehf import rules, ubl
from fordring.domain.company import Address
from fordring.domain.errors import InvalidInput
from fordring.domain.invoice_document import InvoiceDocument

NS = ubl.NAMESPACES


def found(document: InvoiceDocument, root: Any = None) -> list[tuple[str, str]]:
    """(field, rule id) of every problem with the document and its tree."""
    tree = ubl.build(document) if root is None else root
    return [(p.field, p.reason.partition(":")[0]) for p in rules.problems(document, tree)]


def with_seller(**changes: Any) -> InvoiceDocument:
    return dataclasses.replace(documents.document(), seller=documents.seller(**changes))


def with_buyer(buyer: Any) -> InvoiceDocument:
    return dataclasses.replace(documents.document(), buyer=buyer)


def wire_found(change: Callable[[Any], object]) -> list[tuple[str, str]]:
    """The problems after `change` edits the tree of the default invoice."""
    document = documents.document()
    root = ubl.build(document)
    change(root)
    return found(document, root)


def set_text(path: str, value: str) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        root.find(path, NS).text = value

    return change


@pytest.mark.parametrize(
    "document",
    [
        documents.document(),
        documents.credit_note(),
        documents.document(*documents.many_lines(50)),
        documents.document(("Timer", "10", "950", "25"), ("Rabatt", "1", "-500", "25")),
        dataclasses.replace(
            documents.document(("Leie", "1", "9000", "0")),
            seller=documents.seller(vat_registered=False, foretaksregisteret=False),
        ),
    ],
    ids=["invoice", "credit-note", "many-lines", "discount", "not-vat-registered"],
)
def test_documents_fordring_writes_break_no_rule(document: InvoiceDocument) -> None:
    assert found(document) == []


# Data rules


def test_a_consumer_without_peppol_id_has_no_electronic_address() -> None:
    assert found(with_buyer(documents.consumer())) == [("buyer.peppol_id", "PEPPOL-EN16931-R010")]


def test_a_consumer_with_a_peppol_id_has_one() -> None:
    assert found(with_buyer(documents.consumer(peppol_id="0192:123456785"))) == []


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (with_seller(orgnr="923609017"), "seller.orgnr"),
        (with_buyer(documents.business(orgnr="123456789")), "buyer.orgnr"),
        (with_buyer(documents.business(peppol_id="0192:12345678")), "buyer.peppol_id"),
    ],
    ids=["seller", "buyer", "buyer-peppol-id"],
)
def test_a_0192_id_must_be_a_valid_organisation_number(
    document: InvoiceDocument, field: str
) -> None:
    assert (field, "PEPPOL-COMMON-R041") in found(document)


def test_a_vat_registered_seller_needs_an_orgnr_that_makes_a_valid_vat_id() -> None:
    assert ("seller.orgnr", "NO-R-001") in found(with_seller(orgnr="92360901"))


def test_a_seller_outside_the_vat_register_has_no_vat_id_to_check() -> None:
    document = with_seller(orgnr="92360901", vat_registered=False)

    assert ("seller.orgnr", "NO-R-001") not in found(document)


def test_countries_must_be_iso_3166_codes() -> None:
    document = dataclasses.replace(
        documents.document(),
        seller=documents.seller(address=Address("Storgata 1", "0155", "Oslo", "Norge")),
        buyer=documents.business(address=Address("Vei 2", "5003", "Bergen", "")),
    )

    assert found(document) == [("seller.address", "BR-09"), ("buyer.address", "BR-11")]


def test_a_buyer_reference_is_required() -> None:
    document = dataclasses.replace(documents.document(), buyer_reference="  ")
    tree = ubl.build(dataclasses.replace(document, buyer_reference="x"))

    assert found(document, tree) == [("reference", "PEPPOL-EN16931-R003")]


def test_the_currency_must_be_an_iso_4217_code() -> None:
    document = dataclasses.replace(documents.document(), invoice=documents.invoice(currency="kr"))

    assert ("currency", "BR-CL-04") in found(document)


def test_every_line_needs_a_text() -> None:
    document = documents.document(("Timer", "1", "100", "25"), (" ", "1", "100", "25"))

    problems = rules.problems(document, ubl.build(document))

    assert [(p.field, p.reason[:5], p.where) for p in problems] == [("line", "BR-25", "line 2")]


def test_a_document_needs_a_line() -> None:
    document = dataclasses.replace(documents.document(), invoice=documents.invoice(lines=()))

    assert ("lines", "BR-16") in found(document)


def test_a_period_cannot_end_before_it_starts() -> None:
    document = documents.document(period_start=date(2026, 3, 31), period_end=date(2026, 3, 1))

    assert found(document) == [("period_end", "BR-29")]


def test_an_invoice_needs_the_account_for_credit_transfer() -> None:
    assert found(with_seller(account="")) == [("seller.account", "BR-61")]


def test_a_credit_note_asks_no_payment_and_needs_no_account() -> None:
    document = dataclasses.replace(documents.credit_note(), seller=documents.seller(account=""))

    assert found(document) == []


@pytest.mark.parametrize("account", ["86011117948", "8601111794"])
def test_the_account_must_pass_mod11(account: str) -> None:
    assert found(with_seller(account=account)) == [("seller.account", "FORDRING-ACCOUNT")]


def test_the_kid_must_have_a_valid_check_digit() -> None:
    document = dataclasses.replace(
        documents.document(), invoice=documents.invoice(kid="0000010019")
    )

    assert found(document) == [("kid", "FORDRING-KID")]


def test_a_mod11_kid_is_accepted() -> None:
    document = dataclasses.replace(documents.document(), invoice=documents.invoice(kid="123456785"))

    assert found(document) == []


def test_a_seller_outside_the_vat_register_charges_no_vat() -> None:
    document = dataclasses.replace(
        with_seller(vat_registered=False),
        invoice=documents.invoice(("Leie", "1", "1000", "25"), ("Strøm", "1", "100", "0")),
    )

    assert found(document) == [("vat", "BR-O-09")]


# Wire rules


def test_line_amounts_must_add_up_to_the_net_total() -> None:
    found_ = wire_found(set_text("cac:InvoiceLine/cbc:LineExtensionAmount", "1.00"))

    assert found_ == [("totals", "BR-CO-10")]


def test_the_total_without_vat_must_be_net_plus_charges_minus_allowances() -> None:
    found_ = wire_found(set_text("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "1.00"))

    assert ("totals", "BR-CO-13") in found_


def test_the_vat_total_must_be_the_sum_of_the_breakdown() -> None:
    found_ = wire_found(set_text("cac:TaxTotal/cbc:TaxAmount", "1.00"))

    assert ("totals", "BR-CO-14") in found_


def test_the_vat_of_a_rate_must_be_that_rate_of_its_base() -> None:
    found_ = wire_found(set_text("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", "12"))

    assert found_ == [("vat", "BR-CO-17")]


def test_the_total_with_vat_and_the_amount_due_must_add_up() -> None:
    found_ = wire_found(set_text("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "1.00"))

    assert found_ == [("totals", "BR-CO-15"), ("totals", "BR-CO-16")]


def test_a_document_without_totals_is_refused() -> None:
    def change(root: Any) -> None:
        root.remove(root.find("cac:LegalMonetaryTotal", NS))

    assert wire_found(change) == [("totals", "BR-CO-10")]


def test_no_line_has_a_negative_price() -> None:
    found_ = wire_found(set_text("cac:InvoiceLine/cac:Price/cbc:PriceAmount", "-1150.00"))

    assert found_ == [("lines", "BR-27")]


def test_check_raises_every_problem_at_once() -> None:
    document = dataclasses.replace(
        with_buyer(documents.consumer()), invoice=documents.invoice(kid="0000010019")
    )

    with pytest.raises(InvalidInput) as raised:
        rules.check(document, ubl.build(document))

    assert [p.reason.partition(":")[0] for p in raised.value.problems] == [
        "PEPPOL-EN16931-R010",
        "FORDRING-KID",
    ]
