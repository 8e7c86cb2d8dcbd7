"""The SAF-T reader: typed records from 1.10 and 1.30 files, refusals naming the field."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fordring.adapters.saft.reader import SaftFile
from fordring.adapters.saft.writer import write_saft
from fordring.domain.company import Address
from fordring.domain.errors import InvalidInput
from fordring.domain.saft import (
    ExportCustomer,
    ExportHeader,
    ExportLine,
    ExportVoucher,
    SaftCustomer,
    SaftHeader,
    SaftLine,
)

EXAMPLE = Path(__file__).parents[2] / "data" / "saft" / "example_999999999.xml"
D = Decimal


def test_the_skatteetaten_example_reads_as_1_10() -> None:
    records = list(SaftFile(EXAMPLE).records())
    header = records[0]
    assert isinstance(header, SaftHeader)
    assert (header.version, header.orgnr, header.period_start, header.period_end) == (
        "1.10",
        "999999999",
        date(2015, 1, 1),
        date(2015, 12, 31),
    )
    (customer,) = [r for r in records if isinstance(r, SaftCustomer)]
    assert customer.address == Address("Postboks 123", "7001", "Trondheim", "NO")
    assert (customer.opening_balance, customer.closing_balance) == (D("1234.56"), D("12345.67"))
    assert (customer.terms_days, customer.phone) == (30, "99999999")
    lines = [r for r in records if isinstance(r, SaftLine)]
    assert [(ln.account, ln.amount, ln.supplier_id) for ln in lines[:3]] == [
        ("4000", D(10000), None),
        ("2740", D(2500), None),
        ("2400", D(-12500), "20000"),
    ]


def _written(tmp_path: Path) -> bytes:
    header = ExportHeader(
        "923609016",
        "Test AS",
        Address(),
        "12345678903",
        True,
        date(2026, 7, 1),
        date(2026, 1, 1),
        date(2026, 6, 30),
        "t",
        1,
        D(100),
        D(100),
    )
    lines = (
        ExportLine("1920", D(100), "", None, None, None, None),
        ExportLine("1500", D(-100), "", None, 7, None, None),
    )
    buffer = io.BytesIO()
    write_saft(
        buffer,
        header,
        [],
        [ExportCustomer(100, "Kari", None, Address(), "", "", D(0), D(50))],
        [ExportVoucher(1, "INN", date(2026, 2, 1), "Innbetaling", lines)],
    )
    return buffer.getvalue()


def test_a_1_30_transactions_customer_is_its_lines_and_balance_accounts_add_up(
    tmp_path: Path,
) -> None:
    content = _written(tmp_path)
    # The customer named on the transaction rather than on its lines (1.30 allows both),
    # and a second balance account.
    content = content.replace(b"</GLPostingDate>", b"</GLPostingDate><CustomerID>100</CustomerID>")
    content = re.sub(
        rb"(<BalanceAccount>.*?</BalanceAccount>)",
        rb"\1<BalanceAccount><AccountID>1510</AccountID><OpeningDebitBalance>0"
        rb"</OpeningDebitBalance><ClosingCreditBalance>20.00</ClosingCreditBalance>"
        rb"</BalanceAccount>",
        content,
    )
    path = tmp_path / "saft.xml"
    path.write_bytes(content)
    records = list(SaftFile(path).records())
    (customer,) = [r for r in records if isinstance(r, SaftCustomer)]
    assert customer.closing_balance == D(30)  # 50 on 1500, 20 in credit on 1510
    assert [(ln.customer_id, ln.amount) for ln in records if isinstance(ln, SaftLine)] == [
        ("100", D(100)),
        ("100", D(-100)),
    ]


def test_a_version_fordring_does_not_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "saft.xml"
    path.write_bytes(_written(tmp_path).replace(b">1.30<", b">2.00<"))
    with pytest.raises(InvalidInput) as refused:
        SaftFile(path)
    assert refused.value.problems[0].field == "AuditFileVersion"


def test_an_empty_ledger_is_a_valid_file(tmp_path: Path) -> None:
    header = ExportHeader(
        "923609016",
        "Test AS",
        Address(),
        "12345678903",
        False,
        date(2026, 7, 1),
        date(2026, 1, 1),
        date(2026, 6, 30),
        "t",
        0,
        D(0),
        D(0),
    )
    path = tmp_path / "empty.xml"
    with path.open("wb") as handle:
        write_saft(handle, header, [], [], [])
    records = list(SaftFile(path).records())  # checked against the 1.30 XSD as it is read
    assert [type(r) for r in records] == [SaftHeader]
