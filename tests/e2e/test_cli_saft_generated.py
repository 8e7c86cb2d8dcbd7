"""`fordring import saft` on a generated 1.30 file: what is taken, what is left, the
customer ledger equal to the file's closing balances, all or nothing."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.builders import ACCOUNT, ORGNR
from tests.conftest import Run

from fordring.adapters.saft.writer import write_saft
from fordring.domain.company import Address
from fordring.domain.saft import (
    ExportAccount,
    ExportCustomer,
    ExportHeader,
    ExportLine,
    ExportVoucher,
)

pytestmark = pytest.mark.e2e
D = Decimal
START, END = date(2026, 1, 1), date(2026, 6, 30)


def _line(
    account: str, amount: str, customer: int | None = None, ref: int | None = None
) -> ExportLine:
    return ExportLine(account, D(amount), "", customer, ref, None, None)


def _invoice(n: int, day: int, customer: int, ref: int | None, amount: str) -> ExportVoucher:
    lines = (_line("1500", amount, customer, ref), _line("3100", f"-{amount}"))
    return ExportVoucher(n, "UF", date(2026, 2, day), f"Faktura {ref}", lines)


def _payment(n: int, day: int, customer: int, ref: int | None, amount: str) -> ExportVoucher:
    lines = (_line("1920", amount), _line("1500", f"-{amount}", customer, ref))
    return ExportVoucher(n, "INN", date(2026, 3, day), "Innbetaling", lines)


def _file(tmp_path: Path, created: date = date(2026, 7, 2), name: str = "saft.xml") -> Path:
    vouchers = [
        _invoice(1, 1, 100, 5001, "1250"),
        _payment(2, 1, 100, 5001, "250"),  # 5001: 1000 open
        _invoice(3, 2, 101, 5002, "800"),
        _payment(4, 2, 101, 5002, "800"),  # 5002: settled, left
        _invoice(5, 3, 7, 17, "400"),  # reference F-17, customer K-7 (below)
        ExportVoucher(
            6,
            "IF",
            date(2026, 3, 4),
            "Inngående faktura",
            (_line("4000", "500"), _line("2400", "-500")),  # a supplier line, left
        ),
        _invoice(7, 5, 103, 5003, "100"),
        _payment(8, 5, 103, None, "300"),  # paid 5003 and 200 more: the customer's credit
    ]
    customers = [
        ExportCustomer(
            100,
            "Firma AS",
            "999999999",
            Address("Gata 1", "7000", "Trondheim"),
            "post@firma.no",
            "",
            D(0),
            D(1000),
        ),
        ExportCustomer(
            101, "Kari Nordmann", None, Address("Vei 2", "0150", "Oslo"), "", "", D(0), D(0)
        ),
        ExportCustomer(7, "Per", None, Address(), "", "", D(0), D(400)),
        ExportCustomer(103, "Ola", None, Address(), "", "", D(0), D(-200)),
    ]
    header = ExportHeader(
        ORGNR,
        "Test AS",
        Address(),
        ACCOUNT,
        True,
        created,
        START,
        END,
        "test",
        len(vouchers),
        D(4650),
        D(4650),
    )
    buffer = io.BytesIO()
    write_saft(
        buffer,
        header,
        [ExportAccount("1500", "Kundefordringer", D(0), D(1200))],
        customers,
        vouchers,
    )
    content = buffer.getvalue()
    content = content.replace(b"<CustomerID>7</CustomerID>", b"<CustomerID>K-7</CustomerID>")
    content = content.replace(b"<ReferenceNumber>17<", b"<ReferenceNumber>F-17<")
    content = content.replace(
        b"<AccountID>2400</AccountID>", b"<AccountID>2400</AccountID><SupplierID>20000</SupplierID>"
    )
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.fixture
def ready(run: Run) -> Run:
    run("company", "add", "--orgnr", ORGNR, "--name", "Test AS", "--account", ACCOUNT)
    return run


def test_open_items_are_taken_and_the_rest_is_left_and_said(ready: Run, tmp_path: Path) -> None:
    result = json.loads(ready("import", "saft", str(_file(tmp_path))).output)
    assert (result["customers_added"], result["open_items"], result["credits"]) == (4, 2, 1)
    assert (result["open_total"], result["credit_total"]) == ("1400.00", "-200.00")
    assert result["left"] == {
        "closed_items": 1,
        "supplier_lines": 1,
        "other_lines": 8,
        "accounts": 1,
    }
    assert (result["unreferenced_lines"], result["renumbered"]) == (1, ["F-17"])
    items = json.loads(ready("reskontro", date="2026-07-02").output)
    assert [(i["number"], i["customer"], i["amount"], i["open_amount"]) for i in items] == [
        (5001, 100, "1250.00", "1000.00"),
        (5004, 10000, "400.00", "400.00"),  # F-17: the next number after the file's highest
    ]
    customers = {c["number"]: c for c in json.loads(ready("customer", "list").output)}
    assert customers[100]["kind"] == "business" and customers[100]["orgnr"] == "999999999"
    assert customers[101]["kind"] == "consumer" and customers[101]["orgnr"] is None
    assert customers[10000]["name"] == "Per"  # K-7: numbered from the series
    balances = {
        r["account"]: r["balance"]
        for r in json.loads(ready("ledger", "trial-balance").output)["accounts"]
    }
    assert (balances["1500"], balances["2900"], balances["2050"]) == (
        "1400.00",
        "-200.00",
        "-1200.00",
    )
    check = ready("ledger", "check")
    assert check.exit_code == 0, check.output


def test_an_import_that_cannot_be_whole_writes_nothing(ready: Run, tmp_path: Path) -> None:
    ready("import", "saft", str(_file(tmp_path)))
    customers = ready("customer", "list").output
    vouchers = ready("ledger", "vouchers").output
    # Another export of the same books (another day): its invoice 5001 is there already.
    later = _file(tmp_path, created=date(2026, 7, 3), name="later.xml")
    result = ready("import", "saft", str(later), json=False)
    assert result.exit_code == 2
    assert "invoice 5001 already exists" in result.output
    assert ready("customer", "list").output == customers
    assert ready("ledger", "vouchers").output == vouchers
