"""Migration 0013 on a database that holds rows (both backends): every child table rebuilt
with its composite foreign keys keeps its rows, `case_invoice` gets its case's company, and
a database holding a row that names another company's row is refused, naming it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine.interfaces import ReflectedColumn

from fordring import bootstrap
from fordring.adapters.db.engine import open_database

pytestmark = pytest.mark.integration

BEFORE = "0012_pgpay"

# table → the values that matter; every other NOT NULL column without a default gets a
# filler of its type. Company 1 owns everything; company 2 exists.
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("company", {"id": 1, "orgnr": "923609016"}),
    ("company", {"id": 2, "orgnr": "988077917"}),
    ("customer", {"id": 1, "company_id": 1, "number": 10000}),
    ("customer", {"id": 2, "company_id": 2, "number": 10000}),
    ("invoice", {"id": 1, "company_id": 1, "customer_id": 1, "credits_invoice_id": None}),
    ("invoice", {"id": 2, "company_id": 1, "customer_id": 1, "credits_invoice_id": 1, "number": 2}),
    ("collection_case", {"id": 1, "company_id": 1, "customer_id": 1, "merged_into": None}),
    ("case_invoice", {"case_id": 1, "invoice_id": 1}),
    ("company_kid", {"company_id": 1, "kid": "0000000018", "invoice_id": 1, "case_id": None}),
    ("bank_file", {"id": 1, "company_id": 1}),
    ("payment", {"id": 1, "company_id": 1, "bank_file_id": 1, "customer_id": 1, "case_id": 1}),
    ("recurring_agreement", {"id": 1, "company_id": 1, "customer_id": 1}),
]


def _filler(column: ReflectedColumn) -> Any:
    kind = column["type"]
    if isinstance(kind, sa.Date):
        return date(2026, 3, 2)
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer | sa.Numeric):
        return 1
    return "x"


def _insert(connection: sa.Connection, table: str, values: dict[str, Any]) -> None:
    row = dict(values)
    for column in sa.inspect(connection).get_columns(table):
        if column["name"] in row or column["nullable"] or column.get("default") is not None:
            continue
        if column.get("autoincrement") is True and column["name"] == "id":
            continue
        row[column["name"]] = _filler(column)
    names = ", ".join(row)
    marks = ", ".join(f":{n}" for n in row)
    connection.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), row)


def _old_database(url: str, *extra: tuple[str, dict[str, Any]]) -> None:
    database = open_database(url)
    with database.engine.begin() as connection:
        command.upgrade(database._config(connection), BEFORE)
        for table, values in [*ROWS, *extra]:
            _insert(connection, table, values)


def test_the_upgrade_keeps_every_row_and_gives_case_invoice_its_company(
    empty_database: str,
) -> None:
    _old_database(empty_database)
    bootstrap.migrate(empty_database)
    with open_database(empty_database).engine.connect() as connection:
        counts = {
            t: connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in {t for t, _ in ROWS}
        }
        case_invoice = connection.execute(
            sa.text("SELECT company_id, case_id, invoice_id FROM case_invoice")
        ).all()
        if connection.dialect.name == "sqlite":
            assert connection.execute(sa.text("PRAGMA foreign_key_check")).all() == []
    assert counts == {t: sum(1 for x, _ in ROWS if x == t) for t in counts}
    assert [tuple(r) for r in case_invoice] == [(1, 1, 1)]


def test_the_upgrade_refuses_a_row_naming_another_companys_row(empty_database: str) -> None:
    _old_database(
        empty_database,
        ("invoice", {"id": 3, "company_id": 2, "customer_id": 1, "number": 3}),
    )
    with pytest.raises(RuntimeError, match=r"invoice\.customer_id .* customer: 1 row"):
        bootstrap.migrate(empty_database)
