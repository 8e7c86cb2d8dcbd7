"""The settlement statement as CSV: what Excel in Norway opens as it is (BOM, `;`, decimal
comma), one row per payment and no totals, and read back exactly to the øre.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.builders import settled_overpaid, settled_with_costs, settlement_of
from tests.builders import settled_payment as a_payment

from fordring.adapters.settlement_csv import SETTLEMENT_CSV_COLUMNS, settlement_csv
from fordring.domain.settlement import SettledPayment, Settlement

D = Decimal
ZERO = D("0.00")
AMOUNTS = ("beløp", "hovedstol", "renter", "gebyr", "salær", "overbetalt", "utbetalt")
TOTALS = ("received", "principal", "interest", "fees", "salaer", "credit", "paid_out")


PAYMENTS = (
    a_payment(),  # principal only
    settled_with_costs(),
    settled_overpaid(customer_number=None, customer_name=""),  # kept as the customer's credit
)


def a_settlement(payments: tuple[SettledPayment, ...] = PAYMENTS) -> Settlement:
    return settlement_of(*payments)


def read(data: bytes) -> list[dict[str, str]]:
    """The file as a spreadsheet would read it: BOM, then `;`-separated rows."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def amount(cell: str) -> Decimal:
    assert "." not in cell and " " not in cell  # no grouping, no decimal point
    return Decimal(cell.replace(",", "."))


def test_the_file_starts_with_a_bom_and_a_header_row_in_norwegian() -> None:
    data = settlement_csv(a_settlement())
    first_line = data.decode("utf-8-sig").split("\r\n")[0]
    assert first_line == (
        "mottatt;kid;betaler;kundenr;kunde;sak;fakturaer;"
        "beløp;hovedstol;renter;gebyr;salær;overbetalt;utbetalt"
    )
    assert tuple(first_line.split(";")) == SETTLEMENT_CSV_COLUMNS


def test_one_row_per_payment_and_no_totals_row() -> None:
    rows = read(settlement_csv(a_settlement()))
    assert [row["kid"] for row in rows] == ["0001004200075", "0002004300088", "0003004400071"]
    assert rows[1] == {
        "mottatt": "2026-03-02",
        "kid": "0002004300088",
        "betaler": "Bjørn Håland",
        "kundenr": "1043",
        "kunde": "Håland Bygg AS",
        "sak": "2026000123",
        "fakturaer": "10043 10050",
        "beløp": "8922,63",
        "hovedstol": "8000,00",
        "renter": "187,63",
        "gebyr": "35,00",
        "salær": "700,00",
        "overbetalt": "0,00",
        "utbetalt": "8222,63",
    }
    assert rows[0]["sak"] == "" and rows[2]["kundenr"] == "" and rows[2]["kunde"] == ""
    assert rows[2]["mottatt"] == "2026-02-27" and rows[2]["overbetalt"] == "100,00"


def test_the_rows_add_up_to_the_settlements_totals_to_the_ore() -> None:
    settlement = a_settlement()
    rows = read(settlement_csv(settlement))
    for column, total in zip(AMOUNTS, TOTALS, strict=True):
        assert sum((amount(row[column]) for row in rows), D(0)) == getattr(settlement, total)
    assert settlement.paid_out == D("10072.63")


def test_a_name_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text() -> None:
    formula = '=HYPERLINK("http://x.test","klikk")'
    rows = read(settlement_csv(a_settlement((a_payment(payer=formula, customer_name="-1+1"),))))
    assert rows[0]["betaler"] == "'" + formula
    assert rows[0]["kunde"] == "'-1+1"


def test_separators_and_quotes_in_a_name_survive_the_round_trip() -> None:
    name = 'Hansen; "Snekker" AS\navd. Øst'
    rows = read(settlement_csv(a_settlement((a_payment(payer=name),))))
    assert rows[0]["betaler"] == name


def test_an_empty_settlement_is_the_header_alone() -> None:
    data = settlement_csv(a_settlement(()))
    assert data.decode("utf-8-sig") == ";".join(SETTLEMENT_CSV_COLUMNS) + "\r\n"


def test_an_amount_in_fractions_of_an_ore_is_refused() -> None:
    odd = a_payment(amount=D("1250.005"), principal=D("1250.005"))
    with pytest.raises(ValueError, match=r"payment 1: 1250\.005 is not a whole number of øre"):
        settlement_csv(a_settlement((odd,)))


def test_a_negative_amount_keeps_its_sign_and_zero_has_none() -> None:
    reversal = a_payment(amount=D("-50.00"), principal=D("-50.00"), interest=D("-0.00"))
    rows = read(settlement_csv(a_settlement((reversal,))))
    assert rows[0]["beløp"] == "-50,00" and rows[0]["renter"] == "0,00"


ORE = st.integers(min_value=0, max_value=10**9).map(lambda n: D(n).scaleb(-2))


@st.composite
def payments(draw: st.DrawFn) -> SettledPayment:
    principal, interest, fees, salaer, credit = (draw(ORE) for _ in range(5))
    return a_payment(
        payment_id=draw(st.integers(1, 10**6)),
        amount=principal + interest + fees + salaer + credit,
        principal=principal,
        interest=interest,
        fees=fees,
        salaer=salaer,
        credit=credit,
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(payments(), max_size=30))
def test_no_ore_is_created_or_lost_between_the_settlement_and_its_file(
    listed: list[SettledPayment],
) -> None:
    settlement = a_settlement(tuple(listed))
    rows = read(settlement_csv(settlement))
    assert len(rows) == len(listed)
    for column, total in zip(AMOUNTS, TOTALS, strict=True):
        assert sum((amount(row[column]) for row in rows), D(0)) == getattr(settlement, total)
    for row in rows:
        assert amount(row["utbetalt"]) == amount(row["beløp"]) - amount(row["salær"])
