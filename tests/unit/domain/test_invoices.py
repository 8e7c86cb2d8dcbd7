from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.builders import domain_invoice

from fordring.domain.errors import InvalidInput
from fordring.domain.invoices import (
    Invoice,
    InvoiceKind,
    check_invoice,
    due_date_for,
    line,
    vat_breakdown,
)
from fordring.domain.law.vat import RATES, parse_vat_rate
from fordring.domain.money import round_ore


def test_vat_is_rounded_once_per_rate_not_per_line() -> None:
    # three lines of 0.10 at 25 %: per line VAT would round 0.025 up to 0.03 each (0.09)
    inv = domain_invoice(("1", "0.10", "25"), ("1", "0.10", "25"), ("1", "0.10", "25"))
    assert inv.vat == Decimal("0.08")
    assert inv.total == Decimal("0.38")


def test_several_rates_get_one_vat_line_each() -> None:
    inv = domain_invoice(("2", "100", "25"), ("1", "50", "15"), ("1", "80", "12"), ("1", "10", "0"))
    assert [(v.rate, v.taxable, v.vat) for v in inv.vat_lines] == [
        (Decimal(25), Decimal("200.00"), Decimal("50.00")),
        (Decimal(15), Decimal("50.00"), Decimal("7.50")),
        (Decimal(12), Decimal("80.00"), Decimal("9.60")),
        (Decimal(0), Decimal("10.00"), Decimal("0.00")),
    ]
    assert inv.total == Decimal("407.10")


lines = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=3),
        st.decimals(min_value=Decimal("-500"), max_value=Decimal(100000), places=4),
        st.sampled_from(sorted(RATES)),
    ),
    min_size=1,
    max_size=30,
)


@given(lines)
def test_totals_equal_the_sum_of_lines_plus_vat(
    raw: list[tuple[Decimal, Decimal, Decimal]],
) -> None:
    inv = Invoice(
        1,
        InvoiceKind.INVOICE,
        1,
        date(2026, 1, 1),
        date(2026, 1, 15),
        tuple(line("x", q, p, v) for q, p, v in raw),
        "0000000018",
    )
    assert inv.net == sum((line.net for line in inv.lines), Decimal(0))
    assert inv.total == inv.net + inv.vat
    assert inv.vat == sum((v.vat for v in vat_breakdown(inv.lines)), Decimal(0))
    assert inv.total == round_ore(inv.total)
    for vat_line in inv.vat_lines:
        assert vat_line.vat == round_ore(vat_line.taxable * vat_line.rate / 100)


def test_due_date_from_terms_or_given_never_before_issue() -> None:
    assert due_date_for(date(2026, 1, 1), None, 14) == date(2026, 1, 15)
    assert due_date_for(date(2026, 1, 1), date(2026, 2, 1), None) == date(2026, 2, 1)
    with pytest.raises(InvalidInput, match="due"):
        due_date_for(date(2026, 1, 2), date(2026, 1, 1), None)
    with pytest.raises(InvalidInput, match="terms"):
        due_date_for(date(2026, 1, 1), None, 400)


def test_a_credit_note_above_what_is_open_is_refused() -> None:
    credit = domain_invoice(("1", "100", "25"), kind=InvoiceKind.CREDIT_NOTE)
    problems = check_invoice(credit, vat_registered=True, credited_open=Decimal("124.99"))
    assert [p.field for p in problems] == ["amount"]
    assert not check_invoice(credit, vat_registered=True, credited_open=Decimal("125.00"))


def test_a_company_without_vat_registration_cannot_charge_vat() -> None:
    problems = check_invoice(domain_invoice(("1", "100", "25")), vat_registered=False)
    assert [p.field for p in problems] == ["vat"]


@pytest.mark.parametrize("text", ["25", "25%", "25.00", "15", "12 %", "0"])
def test_norwegian_vat_rates_are_accepted(text: str) -> None:
    assert parse_vat_rate(text) in RATES


@pytest.mark.parametrize(
    "text", ["24", "8", "abc", "-25", "NaN", "2.5e1", "25%%", "\u0662\u0665", "\uff12\uff15"]
)
def test_other_vat_rates_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_vat_rate(text, "vat")
    assert error.value.problems[0].field == "vat"


def test_an_invoice_worth_nothing_in_nok_is_refused() -> None:
    tiny = Invoice(
        1,
        InvoiceKind.INVOICE,
        1,
        date(2026, 1, 1),
        date(2026, 1, 15),
        (line("x", Decimal("0.001"), Decimal(5), Decimal(0)),),
        "0000000018",
        currency="EUR",
        exchange_rate=Decimal("0.0937"),
    )
    assert [p.field for p in check_invoice(tiny, vat_registered=True)] == ["amount"]
