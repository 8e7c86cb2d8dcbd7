"""PostgreSQL's statistics after bulk writes, one rule for every writer (adapters/db/
statistics.py; docs/performance.md): a transaction that wrote ANALYZE_FROM rows or more to
a table analyzes it before it commits, whichever path wrote them (a COPY or an INSERT of
many rows); fewer rows leave the table to autovacuum."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from tests import builders
from tests.races import BACKEND

from fordring.adapters.db import statistics
from fordring.adapters.db.engine import normalise_url
from fordring.bootstrap import customer_file
from fordring.domain.law.builtin_rates import rate_book
from fordring.services.collection_sending import send_to_collection
from fordring.services.customers import import_customers
from fordring.services.day_graph import run_collection
from fordring.services.ports import UnitOfWorkFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(BACKEND != "postgresql", reason="statistics are PostgreSQL's"),
]


def _planned_rows(database_url: str, *tables: str) -> dict[str, float]:
    """What the planner believes each table holds (-1: never analyzed, PostgreSQL 14+)."""
    with create_engine(normalise_url(database_url)).connect() as connection:
        found = connection.execute(
            text("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(:t)"),
            {"t": list(tables)},
        ).all()
    return {str(row[0]): float(row[1]) for row in found}


def _customers(tmp_path: Path, count: int) -> str:
    path = tmp_path / "kunder.csv"
    path.write_text(
        "name;kind\n" + "".join(f"Kunde {n};consumer\n" for n in range(count)), encoding="utf-8"
    )
    return str(path)


def test_a_customer_import_of_many_rows_leaves_the_customer_tables_statistics(
    uow_factory: UnitOfWorkFactory,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builders.company(uow_factory)
    monkeypatch.setattr(statistics, "ANALYZE_FROM", 20)  # not 10,000 in a test
    scope = builders.scope(uow_factory)
    import_customers(customer_file(_customers(tmp_path, 30)), scope, uow_factory)
    assert _planned_rows(database_url, "customer") == {"customer": 30}


def test_a_small_write_leaves_the_statistics_to_autovacuum(
    uow_factory: UnitOfWorkFactory,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builders.company(uow_factory)
    monkeypatch.setattr(statistics, "ANALYZE_FROM", 20)
    before = _planned_rows(database_url, "customer")
    scope = builders.scope(uow_factory)
    import_customers(customer_file(_customers(tmp_path, 19)), scope, uow_factory)
    assert _planned_rows(database_url, "customer") == before


def test_a_day_of_the_run_that_writes_many_rows_leaves_their_tables_statistics(
    uow_factory: UnitOfWorkFactory, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's day writes its letters and history rows by INSERTs of many rows: with a
    threshold of 1, every table it wrote is analyzed by its commit."""
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    builders.invoice(uow_factory, customer, on=date(2026, 2, 16))
    send_to_collection([1], builders.scope(uow_factory, on=date(2026, 3, 5)), uow_factory)
    monkeypatch.setattr(statistics, "ANALYZE_FROM", 1)
    day = date(2026, 3, 9)  # the reminder's day: a letter, an event, the day recorded
    run_collection(
        builders.scope(uow_factory, on=day),
        day,
        day,
        uow_factory,
        rate_book(),
        pin_key=builders.PIN_KEY,
    )
    planned = _planned_rows(database_url, "case_letter", "case_event")
    assert planned["case_letter"] == 1
    assert planned["case_event"] >= 2  # registered, and the reminder
