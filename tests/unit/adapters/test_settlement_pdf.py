"""The settlement statement as a PDF: who pays whom from which account, one row per payment
with what it paid, the totals, and paid out = received − salær; long ones over many pages.

The text is read back from the PDF with pypdf, so the assertions are about what the
creditor actually sees.
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from tests.builders import settled_overpaid, settled_with_costs, settlement_of
from tests.builders import settled_payment as a_payment

from fordring.adapters.pdf.settlement_pdf import (
    payer_and_customer,
    render_settlement,
    settlement_data,
)
from fordring.domain.settlement import SettledPayment, Settlement

D = Decimal
ZERO = D("0.00")


PRINCIPAL_ONLY = a_payment()
WITH_COSTS = settled_with_costs()
OVERPAID = settled_overpaid()


def a_settlement(*payments: SettledPayment) -> Settlement:
    return settlement_of(*(payments or (PRINCIPAL_ONLY, WITH_COSTS, OVERPAID)))


def many_payments(count: int) -> tuple[SettledPayment, ...]:
    """`count` payments, each with its own KID, amount and, every tenth, a long name."""
    return tuple(
        a_payment(
            payment_id=n,
            received_on=date(2026, 3, 2) - timedelta(days=n % 3),
            kid=f"{7_000_000_000_000 + n * 7:013d}",
            payer="Bjørnstjerne Bjørnsons Rørleggerservice og Varme AS" if n % 10 == 0 else "Per",
            customer_number=20_000 + n,
            customer_name="Per Håland",
            case_number=2026_000_000 + n,
            invoice_numbers=(30_000 + n,),
            amount=D(n) + D("0.15"),
            principal=D(n),
            interest=D("0.15"),
        )
        for n in range(1, count + 1)
    )


def pages_of(pdf: bytes) -> list[str]:
    """The text of each page, with no-break spaces and line breaks as plain spaces."""
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().replace("\xa0", " ").split()) for page in reader.pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


KIDS = re.compile(r"\b7\d{12}\b")


def test_the_statement_names_its_number_day_the_collector_and_creditor_and_their_accounts() -> None:
    pages = pages_of(render_settlement(a_settlement()))
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "Oppgjørsoppgave nr. 4711",
        "Oppgjørsdato 03.03.2026",
        "Nordlys Inkasso AS Org.nr. 123 456 785 Klientkonto 1234 56 78903",
        "Fjordkraft Rørlegger AS Org.nr. 988 077 917 Utbetales til konto 8601 11 17947",
    ):
        assert expected in text
    assert "Side" not in text  # one page is not numbered


def test_each_payment_is_a_row_with_what_it_paid_and_what_is_paid_out() -> None:
    text = text_of(render_settlement(a_settlement()))
    assert (
        "Mottatt KID Betaler / kunde Sak Fakturaer Beløp Hovedstol Renter Gebyr Salær "
        "Overbetalt Utbetalt" in text
    )
    for row in (
        # principal only: the payer is the customer, no case yet
        "02.03.2026 0001004200075 Ærlige Åse Øvrebø (1042) 10042 "
        "1 250,00 1 250,00 0,00 0,00 0,00 0,00 1 250,00",
        # interest, fees and salær: the salær is kept, the rest paid out
        "02.03.2026 0002004300088 Bjørn Håland / 1043 Håland Bygg AS 2026000123 10043, 10050 "
        "8 922,63 8 000,00 187,63 35,00 700,00 0,00 8 222,63",
        # an overpayment is the customer's credit, paid out to the creditor who holds it
        "27.02.2026 0003004400071 Kari Nordmann (1044) 2026000124 10044 "
        "600,00 500,00 0,00 0,00 0,00 100,00 600,00",
    ):
        assert row in text


def test_the_totals_row_and_summary_show_paid_out_as_received_less_salaer() -> None:
    settlement = a_settlement()
    assert settlement.paid_out == settlement.received - settlement.salaer == D("10072.63")
    text = text_of(render_settlement(settlement))
    assert "Sum (3 innbetalinger) 10 772,63 9 750,00 187,63 35,00 700,00 100,00 10 072,63" in text
    for line in (
        "Mottatt totalt 10 772,63",
        "herav hovedstol 9 750,00",
        "herav renter 187,63",
        "herav gebyr 35,00",
        "herav overbetalt (kreditt) 100,00",
        "herav salær 700,00",
        "Beholdt av inkassoselskapet (salær) -700,00",
        "Utbetalt til kreditor 10 072,63",
    ):
        assert line in text


def test_a_long_statement_runs_over_numbered_pages_each_with_the_tables_header() -> None:
    settlement = a_settlement(*many_payments(2000))
    pages = pages_of(render_settlement(settlement))  # two compiled parts, joined
    assert len(pages) > 40
    for n, page in enumerate(pages, start=1):
        assert page.endswith(f"Side {n} av {len(pages)}")
        assert "Mottatt KID Betaler / kunde Sak Fakturaer Beløp" in page
    kids = [kid for page in pages for kid in KIDS.findall(page)]
    assert kids == [p.kid for p in settlement.payments]  # each once, in order
    total = sum((p.amount for p in settlement.payments), D(0))
    assert total == D("2001300.00")
    assert "Sum (2000 innbetalinger) 2 001 300,00 2 001 000,00 300,00" in pages[-1]
    assert "Mottatt totalt 2 001 300,00" in pages[0]


def test_where_parts_of_a_long_statement_meet_no_page_is_left_half_empty() -> None:
    same_height = [dataclasses.replace(p, payer="Per") for p in many_payments(700)]
    settlement = a_settlement(*same_height)
    pages = pages_of(render_settlement(settlement, rows_per_compile=200))  # four parts
    rows_per_page = [len(KIDS.findall(page)) for page in pages]
    assert sum(rows_per_page) == 700
    assert len(set(rows_per_page[1:-1])) == 1  # every full page holds as many rows
    kids = [kid for page in pages for kid in KIDS.findall(page)]
    assert kids == [p.kid for p in settlement.payments]


def test_an_amount_too_wide_for_its_column_and_a_25_digit_kid_are_still_printed() -> None:
    big = a_payment(
        kid="1234567890123456789012345",
        amount=D("12345678.90"),
        principal=D("12345678.90"),
    )
    text = text_of(render_settlement(a_settlement(big)))
    assert "12 345 678,90 12 345 678,90" in text
    assert "123456789012345 6789012345" in text  # wrapped after 15 digits


def test_text_from_the_data_is_printed_as_it_is_never_read_as_markup() -> None:
    tricky = "*fet* _kursiv_ #let x = 1 $x$ <a> @b [c] \\ // d"
    text = text_of(render_settlement(a_settlement(a_payment(payer=tricky, customer_name="A"))))
    assert "*fet* _kursiv_ #let x = 1 $x$ <a> @b [c] \\ // d / 1042 A" in text


def test_an_empty_settlement_says_it_has_no_payments() -> None:
    text = text_of(render_settlement(dataclasses.replace(a_settlement(), payments=())))
    assert "Ingen innbetalinger i dette oppgjøret." in text
    assert "Mottatt totalt 0,00" in text


def test_a_payment_whose_parts_do_not_add_up_to_what_was_received_is_refused() -> None:
    wrong = dataclasses.replace(WITH_COSTS, salaer=D("699.00"))
    with pytest.raises(ValueError, match=r"payment 2: received 8922\.63"):
        settlement_data(a_settlement(wrong))


def test_an_amount_in_fractions_of_an_ore_is_refused() -> None:
    odd = a_payment(amount=D("1250.005"), principal=D("1250.005"))
    with pytest.raises(ValueError, match="øre"):
        render_settlement(a_settlement(odd))


def test_the_data_carries_the_totals_formatted_and_one_array_per_row() -> None:
    data = settlement_data(a_settlement())
    assert data["totals"] == {
        "amount": "10\xa0772,63",
        "principal": "9\xa0750,00",
        "interest": "187,63",
        "fees": "35,00",
        "salaer": "700,00",
        "credit": "100,00",
        "kept": "700,00",
        "kept_deducted": "-700,00",
        "paid_out": "10\xa0072,63",
    }
    assert data["count"] == 3
    rows = data["rows"]
    assert isinstance(rows, list) and len(rows[1]) == 12


@pytest.mark.parametrize(
    ("payer", "number", "name", "expected"),
    [
        ("Kari Nordmann", 1044, "Kari Nordmann", "Kari Nordmann (1044)"),
        ("Bjørn Håland", 1043, "Håland Bygg AS", "Bjørn Håland / 1043 Håland Bygg AS"),
        ("", 1043, "Håland Bygg AS", "Håland Bygg AS (1043)"),
        ("Bjørn Håland", None, "", "Bjørn Håland"),
        ("", None, "", ""),
    ],
)
def test_a_row_names_the_payer_and_the_customer_when_that_says_more(
    payer: str, number: int | None, name: str, expected: str
) -> None:
    payment = a_payment(payer=payer, customer_number=number, customer_name=name)
    assert payer_and_customer(payment) == expected


def test_the_same_settlement_gives_the_same_bytes_titled_and_dated_by_its_day() -> None:
    short, long = a_settlement(), a_settlement(*many_payments(300))
    assert render_settlement(short) == render_settlement(short)
    pdf = render_settlement(long, rows_per_compile=200)  # joined from two parts
    assert pdf == render_settlement(long, rows_per_compile=200)
    for document in (pdf, render_settlement(short)):
        metadata = PdfReader(io.BytesIO(document)).metadata
        assert metadata is not None
        assert metadata.title == "Oppgjørsoppgave 4711"
        assert metadata.author == "Nordlys Inkasso AS"
        assert metadata.creation_date_raw == "D:20260303120000Z"
