"""What crash tests compare: a copy of a test database to try a command on, everything it
stores up to what may differ between two equal histories, and the files a command wrote;
and that a killed command left no process behind.

Two histories that end alike can still differ in the clock readings they stored and, on
PostgreSQL, in their ids (a transaction killed before its commit used up sequence
numbers). `stored` therefore leaves out the moments and numbers every id by its rank in its
table, foreign keys alike, so equal rows inserted in the same order compare equal.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Table, create_engine, select, text
from sqlalchemy.engine import make_url

from fordring.adapters.db.engine import forget_database, normalise_url
from fordring.adapters.db.tables import metadata
from tests.builders import PIN_KEY
from tests.conftest import BACKEND, POSTGRES_URL
from tests.processes import PROC, fordring, wait_for

# Clock readings (not business dates): when a row was written, not what it says.
MOMENTS = {"recorded_at", "ran_at", "at", "checked_at"}
# The next free ids of each kind: ahead after a transaction that never committed.
COUNTERS = {"id_allocator"}
# Ids inside stored JSON (a history event's payload), by key, where the table is not named
# by the key itself (`invoice_id` is an invoice's).
NAMED = {"letter_id": "case_letter", "case_id": "collection_case"}
# Random by design, so never the same in two runs: the debtor's access codes and PINs
# letters print (issue 19), and so the hashes of the letters' PDFs (compare the outbox
# with `comparable_files`, which reads the PDFs' text with the code and PIN masked).
RANDOM = {
    "debtor_access": {"code_hash", "pin_salt", "pin_hash", "code_to_print"},
    "case_letter": {"sha256"},
}
# Every process a command starts inherits its environment: this variable, a new value for
# each command, finds them all, even once the killed parent no longer links to them.
MARK = "CRASH_TEST_COMMAND"
BOUND = 10.0  # seconds a killed command's render workers may take to notice (they take one)


def clone(database_url: str, name: str, folder: Path) -> str:
    """A copy of the database (closed first) under a new name; its URL."""
    forget_database(database_url)
    if BACKEND == "sqlite":
        path = folder / f"{name}.db"
        # through SQLite's backup, not a copy of the file: what a process left in the
        # write-ahead log (-wal) is part of the database too (a process whose connections
        # were not closed at its exit leaves it there unmerged)
        original = sqlite3.connect(make_url(database_url).database or "")
        copy = sqlite3.connect(path)
        try:
            original.backup(copy)
        finally:
            copy.close()
            original.close()
        return f"sqlite:///{path}"
    source = make_url(database_url).database
    target = f"{source}_{name}".replace("-", "_")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {target}"))
        connection.execute(text(f"CREATE DATABASE {target} TEMPLATE {source}"))
    admin.dispose()
    return make_url(database_url).set(database=target).render_as_string(hide_password=False)


def drop(database_url: str) -> None:
    forget_database(database_url)
    if BACKEND != "sqlite":
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = make_url(database_url).database
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def cli(
    database_url: str, folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`fordring --db URL ARGS` as its own process in `folder`, its outbox `folder/outbox`
    (named relatively, so what the database says of it is the same in every folder).
    Killed, it must leave no process behind (issue 14, item 4): asserted here."""
    folder.mkdir(parents=True, exist_ok=True)
    mark = uuid.uuid4().hex
    done = subprocess.run(
        [*fordring(), "--db", database_url, *args],
        cwd=folder,
        env={**_base_env(), "FORDRING_OUTBOX": "outbox", **(env or {}), MARK: mark},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert wait_for(lambda: not started_by(mark), timeout=BOUND), (
        f"{args}: left behind {started_by(mark)}"
    )
    return done


def started_by(mark: str) -> list[int]:
    """The living processes whose environment carries MARK=mark."""
    needle = f"{MARK}={mark}".encode()
    found: list[int] = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()  # empty for a zombie
        except OSError:  # gone, or another user's
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORDRING_")}
    # the tests' PIN key (conftest.py): no random key file in the outboxes compared
    env["FORDRING_DEBTOR_PIN_KEY"] = PIN_KEY.decode()
    return env


def table_rows(database_url: str) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows as they are (the counters left out), parents first."""
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            return {
                t.name: [dict(r) for r in connection.execute(select(t)).mappings()]
                for t in metadata.sorted_tables
                if t.name not in COUNTERS
            }
    finally:
        engine.dispose()


def stored(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, moments left out and ids numbered by rank (see above)."""
    rows = table_rows(database_url)
    ranks = {
        name: {row["id"]: rank for rank, row in enumerate(sorted(found, key=lambda r: r["id"]))}
        for name, found in rows.items()
        if "id" in metadata.tables[name].c
    }
    return {
        name: sorted((_row(metadata.tables[name], row, ranks) for row in found), key=repr)
        for name, found in rows.items()
    }


def _row(table: Table, row: dict[str, Any], ranks: dict[str, dict[Any, int]]) -> tuple[Any, ...]:
    values: list[Any] = []
    for column in table.columns:
        if column.name in MOMENTS or isinstance(column.type, DateTime):
            continue
        value = row[column.name]
        if column.name in RANDOM.get(table.name, ()):
            value = "(random)" if value else value
        refers = _refers_to(table, column.name)
        if refers is not None and value is not None:
            value = ("#", ranks[refers][value])
        elif isinstance(value, str) and value.startswith("{"):
            value = _ids_in_json(value, ranks)
        values.append((column.name, value))
    return tuple(values)


def _ids_in_json(text: str, ranks: dict[str, dict[Any, int]]) -> Any:
    try:
        found = json.loads(text)
    except ValueError:
        return text
    if not isinstance(found, dict):
        return text
    if isinstance(found.get("access"), dict):  # a letter's access code: random
        found["access"] = dict(found["access"], code="(random)")
    for key, value in found.items():
        named = NAMED.get(key, key.removesuffix("_id"))
        if key.endswith("_id") and isinstance(value, int) and named in ranks:
            found[key] = ("#", ranks[named][value])
    return sorted(found.items(), key=repr)


def _refers_to(table: Table, column: str) -> str | None:
    """The table whose id the column holds: its own (`id`), a foreign key's, or the table
    its name says (`invoice_id` where the key is not declared)."""
    if column == "id":
        return table.name if "id" in table.c else None
    for key in sorted(table.c[column].foreign_keys, key=lambda k: k.target_fullname):
        if key.column.name == "id":  # not a composite key's company_id (decision 0005)
            return key.column.table.name
    named = column.removesuffix("_id")
    if column.endswith("_id") and named in metadata.tables and "id" in metadata.tables[named].c:
        return named
    return None


def files(folder: Path, skip: Sequence[str] = ()) -> dict[str, bytes]:
    """Every file under `folder` with its content, by path relative to it."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


_PRINTED_ACCESS = re.compile(rb"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}( og PIN | and PIN )\d{8}")
_HEX = re.compile(rb"\b[0-9a-f]{32,64}\b")


def comparable_files(folder: Path) -> dict[str, bytes]:
    """`files`, with what is random by design made equal: a PDF's text (pdftotext) with
    the debtor's access code and PIN masked instead of its bytes, and hashes (of PDFs) in
    the other files masked. Two runs that wrote the same letters compare equal."""
    found = {}
    for name, content in files(folder).items():
        if name.endswith(".pdf"):
            text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True)
            words = b" ".join(text.stdout.split())  # the code may break over a line
            content = _PRINTED_ACCESS.sub(b"(code) (pin)", words)
        else:
            content = _HEX.sub(b"(hash)", content)
        named = _HEX.sub(b"(hash)", name.encode()).decode()
        while named in found:  # names made of a content's hash: several may mask alike
            named += "+"
        found[named] = content
    return found
