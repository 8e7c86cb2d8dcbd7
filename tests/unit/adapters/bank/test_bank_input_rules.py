"""The bank readers read amounts, dates and texts by the input rules (issue 14 point 7):
a 20-digit amount, a date not written YYYY-MM-DD, a reference or text wider than its
column, or a control character refuses the file, naming the field and where it is."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.unit.adapters.bank.test_camt054 import ACCOUNT, CREATED, payment
from tests.unit.adapters.bank.test_ocr_giro import lines

from fordring.adapters.bank.camt054 import parse_camt054
from fordring.adapters.bank.camt054_writer import write_camt054
from fordring.adapters.bank.ocr_giro import parse_ocr
from fordring.domain.errors import InvalidInput


def camt(**changes: object) -> str:
    written = [payment(**changes)]
    return write_camt054(written, message_id="M-1", created=CREATED, account=ACCOUNT).decode()


def refusal(data: str) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidInput) as caught:
        parse_camt054(data.encode("utf-8"))
    return [(p.where, p.field, p.code) for p in caught.value.problems]


@pytest.mark.parametrize(
    "amount", ["12345678901234567890.00", "12345678901234567890", "10000000000000.00"]
)
def test_a_camt_amount_of_twenty_digits_is_refused_naming_the_element(amount: str) -> None:
    data = camt().replace(">1250.00<", f">{amount}<")
    assert ("Ntfctn 1 / Ntry 1", "Ntry/Amt", "too_large") in refusal(data)


def test_the_largest_amount_the_rules_allow_is_read() -> None:
    data = camt().replace(">1250.00<", ">9999999999999.99<")
    (read,) = parse_camt054(data.encode("utf-8")).transactions
    assert read.amount == Decimal("9999999999999.99")


@pytest.mark.parametrize("written", ["20260302", "2026-W10-1"])
def test_a_camt_date_not_written_yyyy_mm_dd_is_refused(written: str) -> None:
    data = camt().replace("<Dt>2026-03-02</Dt>", f"<Dt>{written}</Dt>", 1)
    (problem,) = refusal(data)
    assert problem[1:] == ("Ntry/BookgDt/Dt", "not_a_date")


def test_a_kid_wider_than_its_column_is_refused() -> None:
    data = camt(kid="1" * 30)
    assert refusal(data) == [("Ntfctn 1 / Ntry 1 / TxDtls 1", "kid", "too_long")]


def test_a_payer_name_wider_than_its_column_is_refused() -> None:
    data = camt(payer_name="N" * 201)
    assert refusal(data) == [("Ntfctn 1 / Ntry 1 / TxDtls 1", "payer_name", "too_long")]


def test_a_c1_control_character_in_a_text_is_refused() -> None:
    data = camt(text="Faktura\u00851001")  # XML takes it; no database text should
    assert refusal(data) == [("Ntfctn 1 / Ntry 1 / TxDtls 1", "text", "control_character")]


def test_a_line_break_in_a_camt_text_is_a_space() -> None:
    data = camt().replace(">Faktura 1001<", ">Faktura\n1001<")
    (read,) = parse_camt054(data.encode("utf-8")).transactions
    assert read.text == "Faktura 1001"


def test_an_ocr_amount_beyond_the_rules_is_refused() -> None:
    records = lines()
    records[2] = records[2][:32] + f"{10**15:017d}" + records[2][49:]  # 10 000 billion kr
    with pytest.raises(InvalidInput) as caught:
        parse_ocr(records)
    assert [(p.where, p.field, p.code) for p in caught.value.problems] == [
        ("line 3", "amount item 1: amount", "too_large")
    ]


def test_an_ocr_free_text_with_a_control_character_is_refused() -> None:
    records = lines()
    assert records[8][6:8] == "32"  # the amount item 3 of the purchase
    records[8] = records[8][:15] + "Kiosk\x00Bjørnstad".ljust(40) + records[8][55:]
    with pytest.raises(InvalidInput) as caught:
        parse_ocr(records)
    assert [(p.where, p.field, p.code) for p in caught.value.problems] == [
        ("line 9", "amount item 3: text", "control_character")
    ]
