"""`fordring import saft`: Skatteetaten's example file and broken copies of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import Run

pytestmark = pytest.mark.e2e
EXAMPLE = Path(__file__).parents[1] / "data" / "saft" / "example_999999999.xml"
ORGNR = "999999999"  # the example's company


@pytest.fixture
def ready(run: Run) -> Run:
    run("company", "add", "--orgnr", ORGNR, "--name", "Selskapet AS", "--account", "12345678903")
    return run


def test_the_example_brings_its_customer_and_balance(ready: Run) -> None:
    result = json.loads(ready("import", "saft", str(EXAMPLE), date="2016-01-20").output)
    assert (result["customers_added"], result["open_items"]) == (1, 1)
    assert result["open_total"] == "12345.67"
    assert result["left"]["supplier_lines"] == 1
    customer = json.loads(ready("customer", "show", "12000").output)
    assert (customer["name"], customer["orgnr"], customer["kind"]) == (
        "Kunden AS",
        "999999999",
        "business",
    )
    # Its postal address (PostalAddress before StreetAddress) and its contact.
    assert customer["postcode"] == "7001"
    assert customer["email"] == "kontaktperson@domene.offline"
    items = json.loads(ready("invoice", "list").output)
    assert [(i["customer"], i["open_amount"]) for i in items] == [(12000, "12345.67")]
    check = ready("ledger", "check")
    assert check.exit_code == 0, check.output
    # The customer ledger equals the file's closing balance of the customer.
    aging = json.loads(ready("reskontro", "--aging", date="2016-01-20").output)
    assert "12345.67" in json.dumps(aging)


def test_the_same_file_twice_changes_nothing(ready: Run, tmp_path: Path) -> None:
    ready("import", "saft", str(EXAMPLE))
    vouchers = ready("ledger", "vouchers").output
    again = json.loads(ready("import", "saft", str(EXAMPLE)).output)
    assert again["status"] == "already_imported"
    # The same export saved again (another line end) is known by its header.
    copy = tmp_path / "copy.xml"
    copy.write_bytes(EXAMPLE.read_bytes().replace(b"\r\n", b"\n") + b"\n\n")
    assert json.loads(ready("import", "saft", str(copy)).output)["status"] == "already_imported"
    assert ready("ledger", "vouchers").output == vouchers


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (b"<n1:Amount>12500</n1:Amount>", b"<n1:Amount>12x500</n1:Amount>", "element Amount"),
        (b"<n1:Name>Kunden AS</n1:Name>", b"", "element Address"),
        (b"</n1:Name>", b"</n1:Nme>", "Name"),
    ],
)
def test_a_broken_copy_is_refused_naming_the_element(
    ready: Run, tmp_path: Path, old: bytes, new: bytes, named: str
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(EXAMPLE.read_bytes().replace(old, new, 1))
    result = ready("import", "saft", str(broken), json=False)
    assert result.exit_code == 2
    assert named in result.output and "line " in result.output
    assert json.loads(ready("customer", "list").output) == []
    assert json.loads(ready("invoice", "list").output) == []


def test_another_companys_file_is_refused(run: Run) -> None:
    run("company", "add", "--orgnr", "923609016", "--name", "Test AS", "--account", "12345678903")
    result = run("import", "saft", str(EXAMPLE), json=False)
    assert result.exit_code == 2
    assert "RegistrationNumber" in result.output and "999999999" in result.output


def test_a_file_that_declares_entities_is_refused_unread(ready: Run, tmp_path: Path) -> None:
    content = EXAMPLE.read_bytes().replace(
        b"?>", b'?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1
    )
    hostile = tmp_path / "xxe.xml"
    hostile.write_bytes(content.replace(b"<n1:Name>Kunden AS<", b"<n1:Name>&xxe;<", 1))
    result = ready("import", "saft", str(hostile), json=False)
    assert result.exit_code == 2
    assert "DOCTYPE" in result.output and "root:" not in result.output
    assert json.loads(ready("customer", "list").output) == []
