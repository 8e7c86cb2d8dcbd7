"""`fordring export saft`: valid against the official 1.30 XSD, and read back by the import
into a fresh database to the same customers and open items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs
from tests.builders import ACCOUNT, ORGNR
from tests.conftest import Run

from fordring.entrypoints.cli.main import cli

pytestmark = pytest.mark.e2e
XSD = Path(__file__).parents[2] / "src/fordring/adapters/saft/schemas"


@pytest.fixture
def booked(run: Run) -> Run:
    run("company", "add", "--orgnr", ORGNR, "--name", "Test AS", "--account", ACCOUNT)
    run("customer", "add", "--name", "Kari", "--consumer", "--postcode", "0150", "--city", "Oslo")
    run("customer", "add", "--name", "Ola", "--consumer")
    for customer, line in (("10000", "Kurs;2;1500;25"), ("10001", "Varer;1;800;25")):
        run("invoice", "create", "--customer", customer, "--line", line)
    run("invoice", "create", "--customer", "10001", "--line", "Mer;1;200;0")
    run("payments", "register", "--amount", "1000", "--invoice", "1", date="2026-03-05")
    run("payments", "register", "--amount", "1000", "--invoice", "2", date="2026-03-05")
    return run


def _open_items(run: Run) -> list[tuple[object, ...]]:
    rows = json.loads(run("reskontro", date="2026-12-31").output)
    keys = ("number", "customer", "due_date", "kid", "amount", "open_amount")
    return [tuple(r[k] for k in keys) for r in rows]


def test_the_export_is_valid_and_reads_back_to_the_same_ledger(
    booked: Run, tmp_path: Path, empty_database: str
) -> None:
    out = tmp_path / "saft.xml"
    result = booked("export", "saft", "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(out))
    assert result.exit_code == 0, result.output
    schema = etree.XMLSchema(etree.parse(str(XSD / "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd")))
    assert schema.validate(etree.parse(str(out))), schema.error_log
    # A second export to the same file needs --force.
    again = booked("export", "saft", "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(out))
    assert again.exit_code == 2

    def fresh(*args: str) -> str:
        base = ["--db", empty_database, "--date", "2026-12-31", "--json"]
        outcome = CliRunner().invoke(cli, [*base, *args], catch_exceptions=False)
        assert outcome.exit_code == 0, outcome.output
        return outcome.output

    fresh("init")
    fresh("company", "add", "--orgnr", ORGNR, "--name", "Test AS", "--account", ACCOUNT)
    imported = json.loads(fresh("import", "saft", str(out)))
    assert (imported["customers_added"], imported["open_items"]) == (2, 2)
    assert imported["left"]["closed_items"] == 1
    before = _open_items(booked)
    after = [
        tuple(r[k] for k in ("number", "customer", "due_date", "kid", "amount", "open_amount"))
        for r in json.loads(fresh("reskontro"))
    ]
    assert after == before and len(before) == 2
    customers = json.loads(fresh("customer", "list"))
    assert [(c["number"], c["name"]) for c in customers] == [(10000, "Kari"), (10001, "Ola")]
    assert (
        "Ledger OK" in CliRunner().invoke(cli, ["--db", empty_database, "ledger", "check"]).output
    )
