"""Telling bank files apart by content, and peeking at their id without reading them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from fordring.adapters.bank.camt054_writer import write_camt054
from fordring.adapters.bank.reader import peek_file_id, read_bank_file
from fordring.domain.bank_files import BankFormat, BankTransaction
from fordring.domain.errors import InvalidInput

OCR = """\
NY000010000080801000081000012340000000000000000000000000000000000000000000000000
NY090020001234567400000186011117947000000000000000000000000000000000000000000000
NY09103000000010203261302101234000000000000150000              12345678903000000
NY091031000000100000000000000123450000000020326123456789030000000000000000000000
NY090088000000010000000400000000000150000020326020326020326000000000000000000000
NY000089000000010000000600000000000150000020326000000000000000000000000000000000"""


def camt(message_id: str = "MSG-2026-03-02") -> bytes:
    payment = BankTransaction(
        where="",
        account="86011117947",
        amount=Decimal("150.00"),
        booked_on=date(2026, 3, 2),
        kid="12345678903",
    )
    created = datetime(2026, 3, 2, 6, 0, tzinfo=timezone(timedelta(hours=1)))
    return write_camt054(
        [payment] * 3, message_id=message_id, created=created, account="86011117947"
    )


def test_tells_the_formats_apart_by_content_not_name(tmp_path: Path) -> None:
    ocr = tmp_path / "payments.xml"
    ocr.write_text(OCR + "\n", encoding="iso-8859-1")
    notification = tmp_path / "OCR.txt"
    notification.write_bytes(camt())
    read = read_bank_file(ocr)
    assert (read.format, read.file_id, len(read.transactions)) == (
        BankFormat.OCR,
        "00008080-1000081",
        1,
    )
    assert read.transactions[0].amount == Decimal("1500.00")
    read = read_bank_file(notification)
    assert (read.format, read.file_id, len(read.transactions)) == (
        BankFormat.CAMT054,
        "MSG-2026-03-02",
        3,
    )


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"Hei, her er filen\n",
        b"NY210010" + b"0" * 72,  # not OCR giro's transmission start
        b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl"/>',
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
        b"<Document",
    ],
)
def test_refuses_anything_else_naming_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bank.dat"
    path.write_bytes(content)
    for read in (read_bank_file, peek_file_id):
        with pytest.raises(InvalidInput) as caught:
            read(path)
        assert caught.value.problems[0].field == "file"


def test_peeks_the_id_from_the_start_of_the_file_only(tmp_path: Path) -> None:
    ocr = tmp_path / "a"
    ocr.write_text(OCR[:200], encoding="iso-8859-1")  # the rest is missing
    notification = tmp_path / "b"
    data = camt("MSG-7")
    notification.write_bytes(data[: data.index(b"<NtryDtls>") + 20])  # cut mid-entry
    assert peek_file_id(ocr) == (BankFormat.OCR, "00008080-1000081")
    assert peek_file_id(notification) == (BankFormat.CAMT054, "MSG-7")
    with pytest.raises(InvalidInput, match="line 3: record: has 38 characters"):
        read_bank_file(ocr)
    with pytest.raises(InvalidInput, match="XML"):
        read_bank_file(notification)


def test_accepts_a_byte_order_mark_and_whitespace_before_the_xml(tmp_path: Path) -> None:
    path = tmp_path / "bom.xml"
    path.write_bytes(
        b"\xef\xbb\xbf\n  " + camt().removeprefix(b'<?xml version="1.0" encoding="UTF-8"?>')
    )
    assert peek_file_id(path) == (BankFormat.CAMT054, "MSG-2026-03-02")
