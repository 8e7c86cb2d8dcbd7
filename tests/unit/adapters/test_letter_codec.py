"""Letters stored as JSON (adapters/db/letter_codec.py): every field round-trips, and a
letter stored before issue 12 added fields still decodes, with their defaults."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

from tests.unit.adapters.test_pdf_letters import COLLECTOR, a_demand, an_item

from fordring.adapters.db.letter_codec import decode_letter, encode_letter
from fordring.domain.collection.letters import InterestPeriod, Letter, LetterKind

D = Decimal
PERIOD = InterestPeriod(
    date(2026, 1, 20), date(2026, 3, 2), 42, D("12.00"), D("171.91"), 10042, D("12450.00")
)
ADDED = {
    "account_holder",
    "client_account",
    "interest_accrued",
    "interest_per_day",
    "heavy_salaer",
    "heavy_salaer_from",
    "merged_cases",
}


def a_full_demand() -> Letter:
    return a_demand(
        collector=dataclasses.replace(COLLECTOR, phone="22 00 00 00", web="inkasso.no"),
        items=(an_item(demand_fee=D("112.50")),),
        interest_periods=(PERIOD,),
        account_holder="Fjordkraft Rørlegger AS",
        client_account=True,
        interest_accrued=D("1.00"),
        interest_per_day=D("4.09"),
        heavy_salaer=D("2240.00"),
        heavy_salaer_from=date(2026, 4, 14),
        merged_cases=("5",),
    )


def test_every_field_of_a_letter_round_trips() -> None:
    letter = a_full_demand()
    assert decode_letter(encode_letter(letter)) == letter


def test_a_letter_stored_before_issue_12_decodes_with_the_defaults() -> None:
    stored = json.loads(encode_letter(a_demand()))
    for name in ADDED:
        del stored[name]
    for party in ("creditor", "collector", "debtor"):
        del stored[party]["phone"], stored[party]["web"]
    for item in stored["items"]:
        del item["costs"]
    stored["kind"] = LetterKind.INTEREST_NOTE.value
    stored["interest_periods"] = [
        {"start": "2026-01-20", "end": "2026-03-02", "days": 42, "rate": "12.00", "amount": "1.00"}
    ]
    letter = decode_letter(json.dumps(stored))
    assert letter.account_holder == "" and letter.heavy_salaer_from is None
    assert letter.merged_cases == ()
    assert letter.items[0].demand_fee == 0 and letter.collector.phone == ""
    assert letter.interest_periods[0].invoice_number is None
    assert letter.interest_periods[0].principal is None
    assert letter.total == a_demand().total
