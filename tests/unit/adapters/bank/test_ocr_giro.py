"""The OCR giro reader against netsgiro, the format's reference package: files written by
netsgiro read the same by both, and malformed files are refused naming line and field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import netsgiro
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netsgiro import AssignmentType, ServiceCode, TransactionType

from fordring.adapters.bank.ocr_giro import parse_ocr, read_ocr
from fordring.domain.bank_files import BankFile, BankFormat
from fordring.domain.errors import InvalidInput

NETS_DATE = date(2026, 3, 2)
DIGITS = "0123456789"
NO_KID = "0"  # netsgiro cannot write a blank KID: it writes this, to_ocr() blanks it


@dataclass(frozen=True)
class Payment:
    type: int
    ore: int
    kid: str = ""
    nets_date: date = NETS_DATE
    text: str = ""
    reference: str = "000012345"
    debit_account: str = "12345678903"
    sign: str = "0"  # "-": a credit note the payer deducted


def transmission(*assignments: tuple[str, list[Payment]]) -> netsgiro.Transmission:
    """A Nets OCR giro transmission as netsgiro writes it; netsgiro has no public API to
    add OCR transactions (only Nets makes them), so they are built as objects."""
    result = netsgiro.Transmission(
        number="1000081", data_transmitter="00008080", data_recipient="00001234", date=NETS_DATE
    )
    for n, (account, payments) in enumerate(assignments, 1):
        assignment = result.add_assignment(
            service_code=ServiceCode.OCR_GIRO,
            assignment_type=AssignmentType.TRANSACTIONS,
            agreement_id="001234567",
            number=f"{4000000 + n:07d}",
            account=account,
            date=NETS_DATE,
        )
        for number, p in enumerate(payments, 1):
            assignment.transactions.append(
                netsgiro.Transaction(
                    service_code=ServiceCode.OCR_GIRO,
                    type=TransactionType(p.type),
                    number=number,
                    date=p.nets_date,
                    amount=Decimal(p.ore) / 100,
                    kid=p.kid or NO_KID,
                    reference=p.reference,
                    text=p.text or None,
                    centre_id="13",
                    day_code=2,
                    partial_settlement_number=1,
                    partial_settlement_serial_number="01234",
                    sign=p.sign,
                    form_number="0000000000",
                    bank_date=p.nets_date,
                    debit_account=p.debit_account,
                    filler=None,
                )
            )
    return result


def to_ocr(written: netsgiro.Transmission) -> str:
    """The file, with blank KIDs where the payments have none (never a 1-digit KID)."""
    records = written.to_ocr().split("\n")
    no_kid = f"{NO_KID:>25}"
    return "\n".join(
        r[:49] + " " * 25 + r[74:] if r[6:8] == "30" and r[49:74] == no_kid else r for r in records
    )


def assert_read_alike(ocr: str, ours: BankFile) -> None:
    """Every field of every transaction as netsgiro reads it."""
    theirs = netsgiro.parse(ocr)
    expected = [(a.account, t) for a in theirs.assignments for t in a.transactions]
    assert ours.format is BankFormat.OCR
    assert ours.file_id == f"{theirs.data_transmitter}-{theirs.number}"
    assert ours.created == theirs.date
    assert len(ours.transactions) == len(expected)
    for (account, t), o in zip(expected, ours.transactions, strict=True):
        assert isinstance(t, netsgiro.Transaction), t  # an OCR file's assignments hold payments
        assert o.account == account
        assert o.amount == t.amount
        assert o.amount.as_tuple().exponent == -2
        assert o.kid == t.kid
        assert o.booked_on == t.date
        assert o.text == (t.text or "")
        assert o.archive_ref == (t.reference or "")
        assert o.payer_account == ("" if t.debit_account == "00000000000" else t.debit_account)
        assert o.transaction_type == f"{t.type:02d}"
        assert o.reversal == (t.type in (18, 20) or t.sign == "-")  # money out
        assert o.credit_note == (t.sign == "-")
        assert o.payer_name == ""
        assert o.value_on is None


def sample() -> str:
    written = transmission(
        (
            "86011117947",
            [
                Payment(10, 150000, kid="12345678903"),
                Payment(18, 2500, kid="0000123455"),
                Payment(21, 99, text="Kiosk Bjørnstad", debit_account="00000000000"),
            ],
        ),
        ("15032080119", [Payment(20, 1, text="Tilbakeført")]),
    )
    return to_ocr(written)


def test_reads_a_file_written_by_netsgiro_field_for_field() -> None:
    ocr = sample()
    ours = parse_ocr(ocr.split("\n"))
    assert_read_alike(ocr, ours)
    first, reversal, purchase, text_reversal = ours.transactions
    assert (first.amount, first.kid, first.where) == (Decimal("1500.00"), "12345678903", "line 3")
    assert reversal.reversal and reversal.transaction_type == "18"
    assert (purchase.text, purchase.kid, purchase.payer_account) == ("Kiosk Bjørnstad", None, "")
    assert text_reversal.account == "15032080119" and text_reversal.reversal


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("trailing", ["", "\n", "\r\n\r\n"])
def test_reads_a_file_in_iso_8859_1_with_either_line_end(
    tmp_path: Path, newline: str, trailing: str
) -> None:
    ocr = sample()
    path = tmp_path / "innbetalinger.txt"
    path.write_bytes((newline.join(ocr.split("\n")) + trailing).encode("iso-8859-1"))
    assert_read_alike(ocr, read_ocr(path))


payments = st.builds(
    Payment,
    type=st.integers(10, 21),
    ore=st.integers(1, 10**9),
    kid=st.one_of(st.just(""), st.text(DIGITS, min_size=2, max_size=25)),
    # both read YY 69-99 as 19YY and 00-68 as 20YY (POSIX's window)
    nets_date=st.dates(date(1969, 1, 1), date(2068, 12, 31)),
    text=st.text("abcxyzæøåÆØÅ 0123456789.,-", max_size=40),
    reference=st.text(DIGITS, min_size=9, max_size=9),
    debit_account=st.one_of(st.just("00000000000"), st.text(DIGITS, min_size=11, max_size=11)),
    sign=st.sampled_from("0-"),
).filter(lambda p: not (p.sign == "-" and p.type in (18, 20)))  # refused: see below
accounts = st.text(DIGITS, min_size=11, max_size=11)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(accounts, st.lists(payments, max_size=6)), min_size=1, max_size=4))
def test_reads_any_file_netsgiro_writes_as_netsgiro_reads_it(
    assignments: list[tuple[str, list[Payment]]],
) -> None:
    ocr = to_ocr(transmission(*assignments))
    assert_read_alike(ocr, parse_ocr(ocr.encode("iso-8859-1").decode("iso-8859-1").split("\n")))


def test_a_minus_sign_is_a_credit_note_the_payer_deducted_money_out_not_in() -> None:
    """The OCR giro system manual, amount item 1 field 11 (position 32): "-" when the payee
    takes credit notes with KID, the amount (field 12) unsigned. Invoice 1500.00 paid less
    a credit note of 500.00 under one serial number: 1000.00 reached the account."""
    ocr = to_ocr(
        transmission(
            (
                "86011117947",
                [
                    Payment(12, 150000, kid="0000000018"),
                    Payment(12, 50000, kid="0000000026", sign="-"),
                ],
            )
        )
    )
    assert ocr.split("\n")[4][31] == "-"  # netsgiro wrote the sign where the manual says
    ours = parse_ocr(ocr.split("\n"))
    assert_read_alike(ocr, ours)
    invoice, credit_note = ours.transactions
    assert (invoice.amount, invoice.reversal, invoice.credit_note) == (
        Decimal("1500.00"),
        False,
        False,
    )
    assert (credit_note.amount, credit_note.kid) == (Decimal("500.00"), "0000000026")
    assert credit_note.reversal and credit_note.credit_note  # money out: never a payment
    assert int(ocr.split("\n")[-1][24:41]) == 200000  # the end records add it unsigned


def test_refuses_a_minus_sign_on_a_reversal() -> None:
    ocr = to_ocr(transmission(("86011117947", [Payment(18, 2500, kid="0000123455", sign="-")])))
    where, field, reason = refusal(ocr.split("\n"))
    assert (where, field) == ("line 3", "amount item 1: sign")
    assert "on a reversal" in reason


def refusal(lines: list[str]) -> tuple[str, str, str]:
    with pytest.raises(InvalidInput) as caught:
        parse_ocr(lines)
    (problem,) = caught.value.problems
    return problem.where, problem.field, problem.reason


def lines() -> list[str]:
    return sample().split("\n")  # 1: 10, 2: 20, 3-4: 30/31, 5-6, 7-9: 30/31/32, 10: 88 ...


def test_refuses_a_corrupted_total() -> None:
    records = lines()
    end = records[-1]
    records[-1] = end[:24] + f"{int(end[24:41]) + 1:017d}" + end[41:]
    where, field, reason = refusal(records)
    assert (where, field) == (f"line {len(records)}", "transmission end: total amount")
    assert "says 1526.01 but the transactions add up to 1526.00" in reason


def test_counts_reversals_positive_in_the_totals() -> None:
    records = lines()
    assert int(records[-1][24:41]) == 150000 + 2500 + 99 + 1  # Nets adds reversals
    assert len(parse_ocr(records).transactions) == 4


def test_refuses_a_wrong_count_in_an_assignment_end() -> None:
    records = lines()
    records[9] = records[9][:16] + f"{int(records[9][16:24]) + 1:08d}" + records[9][24:]
    assert refusal(records)[:2] == ("line 10", "assignment end: number of records")


def test_refuses_a_file_without_transmission_end() -> None:
    records = lines()[:-1]
    where, field, _ = refusal(records)
    assert (where, field) == (f"line {len(records) + 1}", "transmission end")


def test_refuses_a_missing_assignment_end() -> None:
    records = lines()
    del records[9]
    assert refusal(records)[:2] == ("line 10", "record type")


def test_refuses_a_record_of_unknown_type() -> None:
    records = lines()
    records.insert(5, "NY090099" + "0" * 72)
    where, field, reason = refusal(records)
    assert (where, field) == ("line 6", "record type")
    assert "'99'" in reason


def test_refuses_a_non_numeric_amount() -> None:
    records = lines()
    records[2] = records[2][:40] + "12A45" + records[2][45:]
    where, field, reason = refusal(records)
    assert (where, field) == ("line 3", "amount item 1: amount")
    assert "positions 33-49" in reason


def test_refuses_a_truncated_line() -> None:
    records = lines()
    records[3] = records[3][:79]
    where, field, reason = refusal(records)
    assert (where, field) == ("line 4", "record")
    assert "79 characters" in reason


def test_refuses_an_amount_item_2_without_item_1() -> None:
    records = lines()
    del records[4]  # the second transaction's amount item 1
    where, field, reason = refusal(records)
    assert (where, field) == ("line 5", "record type")
    assert "amount item 2 without an amount item 1" in reason


def test_refuses_an_amount_item_2_of_another_transaction() -> None:
    records = lines()
    records[3] = records[3][:8] + "0000009" + records[3][15:]
    assert refusal(records)[:2] == ("line 4", "amount item 2: transaction number")


@pytest.mark.parametrize(
    ("line", "start", "end", "value", "field"),
    [
        (3, 49, 74, "               12345678A9", "amount item 1: KID"),
        (3, 32, 49, "0" * 17, "amount item 1: amount"),
        (3, 15, 21, "310226", "amount item 1: nets date"),
        (3, 4, 6, "22", "transaction type"),
        (3, 2, 4, "21", "service code"),
        (2, 24, 35, "8601111794x", "assignment start: account"),
        (1, 16, 23, "10000a1", "transmission start: transmission number"),
        (4, 25, 34, "12 45    ", "amount item 2: archive reference"),
        (4, 41, 47, "320326", "amount item 2: bank date"),
        (4, 41, 47, "020026", "amount item 2: bank date"),
    ],
)
def test_refuses_a_malformed_field(line: int, start: int, end: int, value: str, field: str) -> None:
    records = lines()
    records[line - 1] = records[line - 1][:start] + value + records[line - 1][end:]
    assert refusal(records)[:2] == (f"line {line}", field)


def test_refuses_free_text_out_of_place() -> None:
    item3 = "NY09103200000010" + " " * 40 + "0" * 24
    records = lines()
    records.insert(4, item3)  # after the item 2 of a type 10: only 20 and 21 have text
    assert refusal(records)[:2] == ("line 5", "record type")
    records = lines()
    records.insert(3, item3)  # before the item 2
    assert refusal(records)[:2] == ("line 4", "record type")


def test_refuses_records_after_the_transmission_end() -> None:
    records = [*lines(), "", "NY000010" + "0" * 72]
    assert refusal(records)[:2] == (f"line {len(records)}", "record")


def test_refuses_an_empty_file_and_a_file_of_something_else() -> None:
    assert refusal([])[1] == "file"
    assert refusal(["<?xml version='1.0'?>"])[:2] == ("line 1", "record type")


def test_reads_a_two_digit_year_in_the_posix_century_window() -> None:
    """1992 is not 2092: YY 69-99 are 1969-1999, 00-68 are 2000-2068."""
    for day in (date(1992, 5, 17), date(1969, 1, 1), date(2068, 12, 31), date(2026, 4, 7)):
        ocr = to_ocr(transmission(("86011117947", [Payment(10, 100, nets_date=day)])))
        (paid,) = parse_ocr(ocr.split("\n")).transactions
        assert paid.booked_on == day
