"""Test wiring: a fresh, migrated database per test on SQLite or PostgreSQL.

FORDRING_TEST_DATABASE=sqlite (default) or postgresql chooses the backend; CI runs the
suite once with each. PostgreSQL tests clone a migrated template database per test.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fordring import bootstrap
from fordring.adapters.db.engine import forget_database
from fordring.entrypoints.cli.main import cli, error_line
from fordring.services.ports import UnitOfWorkFactory
from tests import builders

BACKEND = os.environ.get("FORDRING_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get(
    "FORDRING_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
_counter = itertools.count()
# One PIN key for the tests and every process they start (docs/debtor_page.md)
os.environ["FORDRING_DEBTOR_PIN_KEY"] = builders.PIN_KEY.decode()


def _admin() -> Any:
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated empty database to copy: a file (SQLite) or a template database."""
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.db"
        bootstrap.migrate(f"sqlite:///{path}")
        forget_database(f"sqlite:///{path}")
        yield str(path)
        return
    if BACKEND != "postgresql":
        raise pytest.UsageError(f"FORDRING_TEST_DATABASE={BACKEND}: use sqlite or postgresql")
    name = f"fordring_tpl_{os.getpid()}"
    admin = _admin()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    bootstrap.migrate(url)
    forget_database(url)
    yield name
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()


def _postgres_database(template: str | None) -> Iterator[str]:
    """A PostgreSQL database of this test alone (a copy of `template`, or empty), dropped
    afterwards."""
    name = f"fordring_t_{os.getpid()}_{next(_counter)}"
    admin = _admin()
    copy = f" TEMPLATE {template}" if template else ""
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}{copy}"))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    forget_database(url)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def copied_database(template: str, folder: Path) -> Iterator[str]:
    """A copy of `template` (a file in FOLDER on SQLite, a database copied from a template
    on PostgreSQL) for one user alone: its URL; a PostgreSQL copy is dropped afterwards."""
    if BACKEND == "sqlite":
        path = folder / f"fordring-{next(_counter)}.db"
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
        yield url
        forget_database(url)
        return
    yield from _postgres_database(template)


def template_of(url: str) -> str:
    """What `copied_database` copies to make more of the database at URL (whose engine must
    be forgotten first: PostgreSQL copies only a database nobody is connected to)."""
    forget_database(url)
    return str(make_url(url).database)


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database for this test alone."""
    yield from copied_database(database_template, tmp_path)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database with no schema yet, on this run's backend (for upgrade tests)."""
    if BACKEND == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        yield url
        forget_database(url)
        return
    yield from _postgres_database(None)


@pytest.fixture
def uow_factory(database_url: str) -> UnitOfWorkFactory:
    return bootstrap.uow_factory(database_url)


Run = Callable[..., Result]


@pytest.fixture
def run(database_url: str) -> Run:
    """Run the CLI in-process against this test's database: run("invoice", "list")."""
    runner = CliRunner()

    def invoke(*args: str, date: str = "2026-03-02", json: bool = True) -> Result:
        base = ["--db", database_url, "--date", date] + (["--json"] if json else [])
        result = runner.invoke(cli, [*base, *args], catch_exceptions=False)
        if json:
            result.__class__ = JsonErrorsRead
        return result

    return invoke


class JsonErrorsRead(Result):
    """A `--json` run whose `output` also shows its JSON errors (on the error stream) as the
    lines people read, so a test can look for `line 3: vat:` either way; `stderr` holds the
    JSON itself (tests/e2e/test_cli_first_hour.py checks its form)."""

    @property
    def output(self) -> str:
        shown = super().output
        try:
            errors = json.loads(self.stderr)["errors"]
        except (ValueError, KeyError, TypeError):
            return shown
        return shown + "".join(error_line(e) + "\n" for e in errors)
