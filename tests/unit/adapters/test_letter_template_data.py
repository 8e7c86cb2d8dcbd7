"""What a letter's template is given (adapters/pdf/template_data.py): the periods of late
interest, the fees and costs apart, the account written 4-2-5 and whose it is, the interest
a day adds and the warning of heavy salær (issue 12, items 3 and 9)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from tests.unit.adapters.test_pdf_letters import COLLECTOR, CREDITOR, a_demand, a_letter, an_item

from fordring.adapters.pdf.template_data import Json, letter_data, party_data
from fordring.domain.collection.letters import InterestPeriod, LetterKind, Party
from fordring.domain.language import Language

D = Decimal
NBSP = "\u00a0"
PERIODS = (
    InterestPeriod(date(2025, 12, 2), date(2025, 12, 31), 30, D("12.25"), D("25.17"), 1, D(2500)),
    InterestPeriod(date(2026, 1, 1), date(2026, 1, 15), 15, D("12.00"), D("12.33"), 1, D(2500)),
    InterestPeriod(date(2025, 12, 2), date(2025, 12, 31), 30, D("12.25"), D("5.03"), 2, D(500)),
)


def periods(data: Json) -> list[dict[str, str]]:
    """The letter data's interest periods, one dict of texts each."""
    found = data["periods"]
    assert isinstance(found, list) and all(isinstance(p, dict) for p in found), found
    return found


def test_each_period_carries_its_invoice_and_amount_and_the_total_is_their_sum() -> None:
    data = letter_data(a_demand(interest_periods=PERIODS))
    assert periods(data)[0] == {
        "invoice": "1",
        "base": f"2{NBSP}500,00",
        "start": "02.12.2025",
        "end": "31.12.2025",
        "days": "30",
        "rate": f"12,25{NBSP}%",
        "amount": "25,17",
    }
    assert data["periods_by_invoice"] is True and data["periods_base"] is True
    assert data["periods_total"] == "42,53"


def test_periods_of_one_invoice_need_no_invoice_column() -> None:
    data = letter_data(a_demand(interest_periods=PERIODS[:2], language=Language.EN))
    assert data["periods_by_invoice"] is False
    assert periods(data)[1]["start"] == f"1{NBSP}Jan{NBSP}2026"


def test_a_letter_stored_before_the_periods_had_an_invoice_shows_no_amount_column() -> None:
    old = InterestPeriod(date(2026, 3, 3), date(2026, 3, 30), 28, D("12.00"), D("23.01"))
    data = letter_data(a_letter(LetterKind.INTEREST_NOTE, interest_periods=(old,)))
    assert (data["periods_by_invoice"], data["periods_base"]) == (False, False)
    assert periods(data)[0]["invoice"] == "" and periods(data)[0]["base"] == ""


def test_the_own_demand_fee_is_a_collection_cost_apart_from_the_fees() -> None:
    own = a_demand(
        collector=CREDITOR,
        salaer=D(0),
        licensed_collector=False,
        items=(an_item(fee=D("37.50"), demand_fee=D("112.50")),),
    )
    data = letter_data(own)
    assert (data["fees"], data["costs"], data["show_costs"]) == ("37,50", "112,50", True)
    assert data["show_salaer"] is False
    assert own.total == D("12450.00") + D("37.50") + D("187.63") + D("112.50")


def test_a_collectors_demand_shows_salaer_and_no_collection_costs_line() -> None:
    data = letter_data(a_demand())
    assert (data["show_salaer"], data["show_costs"]) == (True, False)


def test_the_account_is_written_4_2_5_with_no_break_spaces_and_names_its_holder() -> None:
    data = letter_data(a_letter(LetterKind.COLLECTION_NOTICE, account_holder=CREDITOR.name))
    assert data["account"] == f"8601{NBSP}11{NBSP}17947"
    assert (data["account_holder"], data["client_account"]) == (CREDITOR.name, False)
    old = letter_data(a_letter(LetterKind.COLLECTION_NOTICE))
    assert old["account_holder"] is None


def test_a_notice_gives_the_interest_to_date_and_per_day_a_demand_the_heavy_salaer() -> None:
    notice = letter_data(
        a_letter(
            LetterKind.COLLECTION_NOTICE, interest_accrued=D("18.08"), interest_per_day=D("0.82")
        )
    )
    assert (notice["accrued"], notice["per_day"]) == (f"kr{NBSP}18,08", f"kr{NBSP}0,82")
    assert notice["heavy"] is None and notice["heavy_by"] is None
    demand = letter_data(
        a_demand(Language.EN, heavy_salaer=D("2240.00"), heavy_salaer_from=date(2026, 4, 14))
    )
    assert demand["heavy"] == f"NOK{NBSP}2,240.00"
    assert demand["heavy_by"] == f"13{NBSP}Apr{NBSP}2026"  # the last day before it
    assert demand["accrued"] is None


def test_a_party_gives_its_phone_and_web_address() -> None:
    full = dataclasses.replace(COLLECTOR, phone="22 00 00 00", web="inkasso.no")
    assert (party_data(full)["phone"], party_data(full)["web"]) == ("22 00 00 00", "inkasso.no")
    assert party_data(Party("Ola"))["phone"] is None
