"""Invoices and credit notes as PDFs: what bokføringsforskriften § 5-1-1 asks an invoice to
show, in bokmål and English, on as many numbered pages as the lines need.

The text is read back from the PDF with pypdf, so the assertions are about what a buyer
actually sees.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from fordring.adapters.pdf.formatting import account_number, percent, price, quantity
from fordring.adapters.pdf.invoice_pdf import (
    TypstInvoiceRenderer,
    render_invoice,
    render_invoices,
)
from fordring.domain.collection.letters import LetterAccess
from fordring.domain.company import Address, Company
from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.debtor_access import hidden_code, masked_pin
from fordring.domain.invoice_document import CreditedInvoice, InvoiceDocument
from fordring.domain.invoices import Invoice, InvoiceKind, InvoiceLine, line
from fordring.domain.language import Language
from fordring.domain.language import Language as LetterLanguage
from fordring.services.ports import InvoiceRenderer

D = Decimal
SELLER = Company(
    id=1,
    orgnr="923456783",
    name="Fjordkraft Rørlegger AS",
    account="86011117947",
    address=Address("Kongens gate 12", "7011", "Trondheim"),
    email="faktura@fjordkraft.no",
)
BUYER = Customer(
    id=7,
    number=10042,
    kind=CustomerKind.CONSUMER,
    name="Ærlige Åse Øvrebø",
    address=Address("Bjørnstjerne Bjørnsons gate 7 B", "3044", "Drammen"),
)
LINES = (
    line("Rørleggerarbeid på badet", D("2.5"), D("950"), D(25)),
    line("Rør og koblinger", D(2), D("1187.50"), D(25)),
    line("Matlevering", D(1), D("2375"), D(15)),
)


def an_invoice(*lines: InvoiceLine, **changes: Any) -> Invoice:
    invoice = Invoice(
        number=1001,
        kind=InvoiceKind.INVOICE,
        customer_id=7,
        issue_date=date(2026, 3, 2),
        due_date=date(2026, 3, 16),
        lines=lines or LINES,
        kid="0000100127",
    )
    return dataclasses.replace(invoice, **changes)


def a_document(invoice: Invoice | None = None, **changes: Any) -> InvoiceDocument:
    document = InvoiceDocument(invoice or an_invoice(), SELLER, BUYER)
    return dataclasses.replace(document, **changes)


def a_credit_note() -> InvoiceDocument:
    credit = an_invoice(
        line("Rør og koblinger, returnert", D(1), D("1187.50"), D(25)),
        number=1002,
        kind=InvoiceKind.CREDIT_NOTE,
        kid="0000100234",
        credits_invoice_id=1,
    )
    return a_document(credit, credited=CreditedInvoice(1001, date(2026, 3, 2)))


def english(document: InvoiceDocument) -> InvoiceDocument:
    buyer = dataclasses.replace(document.buyer, language=Language.EN)
    return dataclasses.replace(document, buyer=buyer)


def pages_of(pdf: bytes) -> list[str]:
    """The text of each page, with no-break spaces and line breaks as plain spaces."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().replace("\xa0", " ").split()) for page in reader.pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


def test_an_invoice_shows_seller_buyer_number_dates_and_how_to_pay() -> None:
    pages = pages_of(render_invoice(a_document()))
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "Fjordkraft Rørlegger AS",
        "Kongens gate 12 7011 Trondheim",
        "Org.nr 923 456 783 MVA",
        "Foretaksregisteret",
        "Ærlige Åse Øvrebø Bjørnstjerne Bjørnsons gate 7 B 3044 Drammen",
        "Faktura 1001",
        "Fakturanr. 1001",
        "Fakturadato 02.03.2026",
        "Forfallsdato 16.03.2026",
        "Leveringsdato 02.03.2026",
        "Kundenr. 10042",
        "Til konto 8601 11 17947",
        "KID 0000100127",
    ):
        assert expected in text


def test_each_line_shows_text_quantity_unit_price_vat_and_amount() -> None:
    text = text_of(render_invoice(a_document()))
    assert "Beskrivelse Antall Enhetspris MVA Beløp" in text
    assert "Rørleggerarbeid på badet 2,5 950,00 25 % 2 375,00" in text
    assert "Rør og koblinger 2 1 187,50 25 % 2 375,00" in text
    assert "Matlevering 1 2 375,00 15 % 2 375,00" in text


def test_vat_is_shown_per_rate_and_the_totals_add_up() -> None:
    text = text_of(render_invoice(a_document()))
    assert "MVA-sats Grunnlag MVA 25 % 4 750,00 1 187,50 15 % 2 375,00 356,25" in text
    assert "Sum eks. mva. 7 125,00" in text
    assert "Sum mva. 1 543,75" in text
    assert "Å betale kr 8 668,75" in text
    assert "Beløp kr 8 668,75" in text  # in the payment box


def test_an_english_buyer_gets_english_labels_and_number_formats() -> None:
    text = text_of(render_invoice(english(a_document())))
    for expected in (
        "Invoice 1001",
        "Invoice no. 1001",
        "Invoice date 2 Mar 2026",
        "Due date 16 Mar 2026",
        "Delivery date 2 Mar 2026",
        "Customer no. 10042",
        "Org. no. 923 456 783 MVA",
        "Description Quantity Unit price VAT Amount",
        "Rør og koblinger 2 1,187.50 25% 2,375.00",
        "VAT rate Basis VAT 25% 4,750.00 1,187.50 15% 2,375.00 356.25",
        "Total excl. VAT 7,125.00",
        "Total VAT 1,543.75",
        "Amount to pay NOK 8,668.75",
        "To account 8601 11 17947",
        "KID (reference) 0000100127",
    ):
        assert expected in text
    for norwegian in ("Faktura", "Forfallsdato", "Å betale", "Beløp"):
        assert norwegian not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (Language.NB, ["Kreditnota 1002", "Kreditnotanr. 1002", "Krediterer faktura 1001 av "
                       "02.03.2026", "Kreditert beløp kr 1 484,38", "Beløpet, kr 1 484,38, er "
                       "kreditert deg og trekkes fra det som gjenstår å betale på faktura 1001"]),
        (Language.EN, ["Credit note 1002", "Credit note no. 1002", "Credits invoice 1001 of "
                       "2 Mar 2026", "Amount credited NOK 1,484.38", "The amount, NOK 1,484.38, "
                       "has been credited to you"]),
    ],
)  # fmt: skip
def test_a_credit_note_names_the_credited_invoice_and_asks_for_no_payment(
    language: Language, expected: list[str]
) -> None:
    document = a_credit_note()
    if language is Language.EN:
        document = english(document)
    text = text_of(render_invoice(document))
    for part in expected:
        assert part in text
    assert "0000100234" not in text  # no KID: nothing is to be paid
    for payment_label in ("Til konto", "Forfallsdato", "To account", "Due date"):
        assert payment_label not in text


def test_without_vat_registration_no_mva_and_without_registration_no_foretaksregisteret() -> None:
    seller = dataclasses.replace(SELLER, vat_registered=False, foretaksregisteret=False)
    lines = (line("Kurs", D(1), D(1500), D(0)),)
    text = text_of(render_invoice(a_document(an_invoice(*lines), seller=seller)))
    assert "Org.nr 923 456 783" in text
    assert "MVA" not in text
    assert "Foretaksregisteret" not in text
    assert "Beskrivelse Antall Enhetspris Beløp Kurs 1 1 500,00 1 500,00" in text
    assert "Å betale kr 1 500,00" in text


def test_a_recurring_invoice_shows_its_period_instead_of_a_delivery_date() -> None:
    text = text_of(render_invoice(a_document(period_text="Husleie mars 2026")))
    assert "Periode Husleie mars 2026" in text
    assert "Leveringsdato" not in text
    dated = a_document(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    assert "Periode 01.03.2026–31.03.2026" in text_of(render_invoice(dated))


def test_the_buyer_reference_and_a_foreign_currency_are_shown() -> None:
    document = a_document(an_invoice(currency="EUR", exchange_rate=D("11.5")))
    text = text_of(render_invoice(dataclasses.replace(document, buyer_reference="PO-4471")))
    assert "Deres ref. PO-4471" in text
    assert "Valuta EUR" in text
    assert "Å betale EUR 8 668,75" in text


def test_the_address_sits_in_the_window_of_a_c5_envelope() -> None:
    """20 mm from the left, 45-50 mm from the top of the page, as the letters have it."""
    reader = PdfReader(io.BytesIO(render_invoice(a_document())))
    page = reader.pages[0]
    height = float(page.mediabox.height)
    found: list[tuple[float, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if "Ærlige" in text:
            found.append((cm[4] + tm[4] * cm[0], height - (cm[5] + tm[5] * cm[3])))

    page.extract_text(visitor_text=visit)
    (x, y_from_top), *_ = found
    mm = 72 / 25.4
    assert 19 * mm <= x <= 21 * mm
    assert 45 * mm <= y_from_top <= 52 * mm  # the first line's baseline


def test_200_lines_run_over_numbered_pages_with_the_header_repeated_and_the_total_last() -> None:
    lines = tuple(line(f"Konsulenttime {n}", D(1), D(1000), D(25)) for n in range(200))
    pages = pages_of(render_invoice(a_document(an_invoice(*lines))))
    count = len(pages)
    assert count >= 3
    for number, text in enumerate(pages, start=1):
        assert "Beskrivelse Antall Enhetspris MVA Beløp" in text
        assert f"Side {number} av {count}" in text
    assert "Konsulenttime 199 1 1 000,00 25 % 1 000,00" in pages[-1]
    assert "Å betale kr 250 000,00" in pages[-1]
    assert all("Å betale" not in text for text in pages[:-1])


def test_an_english_invoice_numbers_its_pages_in_english() -> None:
    lines = tuple(line(f"Consulting hour {n}", D(1), D(1000), D(25)) for n in range(80))
    pages = pages_of(render_invoice(english(a_document(an_invoice(*lines)))))
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_text_from_the_data_is_printed_as_it_is_never_read_as_markup() -> None:
    lines = (line("*Fet* #set page(width: 1cm) $x$ <a> @b", D(1), D(100), D(25)),)
    text = text_of(render_invoice(a_document(an_invoice(*lines))))
    assert "*Fet* #set page(width: 1cm) $x$ <a> @b" in text


def test_the_same_invoice_gives_the_same_bytes() -> None:
    assert render_invoice(a_document()) == render_invoice(a_document())


def documents(count: int) -> list[InvoiceDocument]:
    out = [a_document(an_invoice(number=2000 + n, kid=f"{n:09d}0")) for n in range(count)]
    out[1] = english(out[1])
    out[3] = a_credit_note()
    return out


@pytest.mark.parametrize(("workers", "batch"), [(1, 50), (1, 2), (2, 1)])
def test_bulk_rendering_gives_each_invoice_its_own_pdf_in_order(workers: int, batch: int) -> None:
    work = documents(6)
    pdfs = render_invoices(work, workers=workers, batch=batch)
    assert len(pdfs) == len(work)
    for document, pdf in zip(work, pdfs, strict=True):
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1
        heading = ("Kreditnota" if document.invoice.is_credit_note else "Faktura", "Invoice")
        title = reader.metadata.title if reader.metadata else None
        number = str(document.invoice.number)
        assert title in {f"{heading[0]} {number}", f"{heading[1]} {number}"}
        assert number in text_of(pdf)


def test_bulk_rendering_matches_rendering_one_by_one() -> None:
    work = documents(4)
    with TypstInvoiceRenderer(workers=1, batch=4) as renderer:
        bulk = renderer.render_invoices(work)
        one_by_one = [renderer.render_invoice(document) for document in work]
    assert [text_of(pdf) for pdf in bulk] == [text_of(pdf) for pdf in one_by_one]
    assert renderer.render_invoices([]) == []


def test_the_renderer_is_the_services_invoice_renderer() -> None:
    renderer: InvoiceRenderer = TypstInvoiceRenderer()
    assert renderer.render_invoices([a_document()])[0].startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("value", "nb", "en"),
    [("2", "2", "2"), ("2.500", "2,5", "2.5"), ("1E+3", "1\xa0000", "1,000"), ("-3", "-3", "-3")],
)
def test_a_quantity_is_printed_as_exact_as_it_is(value: str, nb: str, en: str) -> None:
    assert quantity(D(value), LetterLanguage.NB) == nb
    assert quantity(D(value), LetterLanguage.EN) == en


def test_a_unit_price_has_two_decimals_or_more_and_a_vat_rate_as_many_as_it_needs() -> None:
    assert price(D("950"), LetterLanguage.NB) == "950,00"
    assert price(D("0.125"), LetterLanguage.NB) == "0,125"
    assert price(D("1234.5"), LetterLanguage.EN) == "1,234.50"
    assert percent(D(25), LetterLanguage.NB) == "25\xa0%"
    assert percent(D("11.11"), LetterLanguage.EN) == "11.11%"


def test_an_account_number_is_grouped_with_the_separator_given() -> None:
    assert account_number("86011117947", " ") == "8601 11 17947"
    assert account_number("86011117947") == "8601\u00a011\u00a017947"


# issue 19: the debtor's page on the invoice (agreement setting invoice_debtor_access)
ACCESS = LetterAccess("", "ABCD-EFGH-JKMN", "12345678")


def test_an_invoice_prints_the_debtor_s_page_code_and_pin_only_when_it_has_them() -> None:
    plain = text_of(render_invoice(a_document()))
    assert "tilgangskode" not in plain and "127.0.0.1:8000/d" not in plain
    renderer = TypstInvoiceRenderer(workers=1)
    renderer.debtor_page = "https://inkasso.example.no/d"
    (pdf,) = renderer.render_invoices([a_document(access=ACCESS)])
    shown = text_of(pdf)
    assert "Se fakturaen på nett: Gå til https://inkasso.example.no/d" in shown
    assert "tilgangskode ABCD-EFGH-JKMN og PIN 12345678" in shown
    english_text = text_of(render_invoice(english(a_document(access=ACCESS))))
    assert "See the invoice online" in english_text and "127.0.0.1:8000/d" in english_text
    assert "access code ABCD-EFGH-JKMN and PIN 12345678" in english_text


def test_an_invoice_printed_again_shows_the_code_masked_and_a_credit_note_none() -> None:
    again = text_of(render_invoice(a_document(access=LetterAccess("", hidden_code()))))
    assert f"tilgangskode {hidden_code()} og PIN {masked_pin()}" in again
    credit = dataclasses.replace(a_credit_note(), access=ACCESS)
    assert "tilgangskode" not in text_of(render_invoice(credit))
