"""Upgrading a database that already holds data: every revision in order, data kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from fordring import bootstrap
from fordring.adapters.db.engine import open_database
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.services.companies import NewCompany, add_company
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration


def test_a_company_from_the_first_revision_gets_a_case_series(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    database = open_database(url)
    with database.engine.begin() as connection:
        command.upgrade(database._config(connection), "0001")
        connection.execute(
            text(
                "INSERT INTO company (orgnr, name, account, vat_registered, foretaksregisteret, "
                "kid_algorithm, kid_length, default_terms_days) "
                "VALUES ('923609016', 'Old AS', '86011117947', 1, 1, 'mod10', 10, 14)"
            )
        )
    bootstrap.migrate(url)
    with database.engine.connect() as connection:
        series = connection.execute(text("SELECT series, next_value FROM number_series")).all()
    assert ("case", 1) in [tuple(row) for row in series]


def test_migrating_again_changes_nothing(uow_factory: UnitOfWorkFactory, database_url: str) -> None:
    add_company(
        NewCompany(orgnr=Orgnr("923609016"), name="X AS", account=BankAccount("86011117947")),
        uow_factory,
    )
    assert bootstrap.migrate(database_url) == bootstrap.migrate(database_url)
    with open_database(database_url).engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM number_series WHERE series = 'case'")
        ).scalar_one()
    assert count == 1


def test_old_history_rows_get_a_kind_of_the_enum_and_an_empty_payload(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database = open_database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        command.upgrade(database._config(connection), "0010")
    with sqlite3.connect(path) as raw:  # foreign keys off: history rows alone suffice
        raw.executemany(
            "INSERT INTO case_event (case_id, day, recorded_at, actor, kind, text) "
            "VALUES (1, '2026-03-02', '2026-03-02T06:00:00+01:00', 'x', ?, ?)",
            [
                ("send_notice", "the reminder's deadline has passed; fee 70.00"),
                ("payment", "500.00 paid: 500.00 to principal"),
                ("payment", "payment 3 of 500.00 was reversed by the bank"),
                ("renamed_long_ago", "something else"),
            ],
        )
    bootstrap.migrate(f"sqlite:///{path}")
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT kind, payload FROM case_event ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        ("send_notice", "{}"),
        ("payment", "{}"),
        ("payment_reversed", "{}"),
        ("note", "{}"),
    ]


def _procrastinate_parts(url: str) -> tuple[list[str], int]:
    """procrastinate's tables, and how many of its functions there are."""
    with open_database(url).engine.connect() as connection:
        tables = connection.execute(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name LIKE 'procrastinate%' ORDER BY table_name"
            )
        ).scalars()
        names = list(tables)
        functions = connection.execute(
            text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%'")
        ).scalar_one()
    return names, functions


QUEUE_TABLES = [
    "procrastinate_events",
    "procrastinate_jobs",
    "procrastinate_periodic_defers",
    "procrastinate_workers",
]


def test_init_sets_up_the_job_queue_on_postgresql_only(empty_database: str) -> None:
    """`fordring init` on a fresh database: procrastinate's queue on PostgreSQL, nothing
    of it on SQLite (which runs every job in-process)."""
    from click.testing import CliRunner

    from fordring.entrypoints.cli.main import cli

    done = CliRunner().invoke(cli, ["--db", empty_database, "init"])
    assert done.exit_code == 0, done.output
    if not empty_database.startswith("postgresql"):
        with open_database(empty_database).engine.connect() as connection:
            names = connection.execute(
                text("SELECT name FROM sqlite_master WHERE name LIKE 'procrastinate%'")
            ).all()
        assert names == []
        return
    tables, functions = _procrastinate_parts(empty_database)
    assert tables == QUEUE_TABLES
    assert functions > 10


def test_upgrade_from_the_previous_head_adds_the_queue_and_downgrade_removes_it(
    empty_database: str,
) -> None:
    if not empty_database.startswith("postgresql"):
        pytest.skip("the job queue is PostgreSQL's")
    database = open_database(empty_database)
    with database.engine.begin() as connection:
        command.upgrade(database._config(connection), "0013_firsthour")
    assert _procrastinate_parts(empty_database) == ([], 0)
    with database.engine.begin() as connection:  # the step itself, not to the head
        command.upgrade(database._config(connection), "0014_workers")
    assert _procrastinate_parts(empty_database)[0] == QUEUE_TABLES
    with database.engine.begin() as connection:
        command.downgrade(database._config(connection), "0013_firsthour")
    assert _procrastinate_parts(empty_database) == ([], 0)
    with database.engine.begin() as connection:
        command.upgrade(database._config(connection), "0014_workers")


def test_the_webhook_tables_come_with_0015_and_go_with_its_downgrade(
    empty_database: str,
) -> None:
    database = open_database(empty_database)
    with database.engine.begin() as connection:
        command.upgrade(database._config(connection), "0014_workers")
    bootstrap.migrate(empty_database)
    names = ("webhook_endpoint", "webhook_subscription", "webhook_message", "webhook_delivery")
    with database.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert tables >= set(names)
    with database.engine.begin() as connection:
        command.downgrade(database._config(connection), "0014_workers")
    with database.engine.connect() as connection:
        assert not set(inspect(connection).get_table_names()) & set(names)


def test_0028_lets_a_code_name_an_invoice_and_its_downgrade_takes_the_invoices_codes_away(
    empty_database: str,
) -> None:
    database = open_database(empty_database)
    with database.engine.begin() as connection:
        command.upgrade(database._config(connection), "0028_invoice_debtor_access")
    with database.engine.begin() as connection:
        command.downgrade(database._config(connection), "0027_payment_plan")
    with database.engine.begin() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("debtor_access")}
    assert "invoice_id" not in columns
    with database.engine.begin() as connection:
        command.upgrade(database._config(connection), "0028_invoice_debtor_access")
    with database.engine.begin() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("debtor_session")}
    assert "invoice_id" in columns
