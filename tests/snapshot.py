"""A fingerprint of everything stored, to prove that a refused command wrote nothing.

Every row of every table, so an UPDATE is caught as surely as an INSERT (test databases
are small).
"""

from __future__ import annotations

from sqlalchemy import create_engine, select

from fordring.adapters.db.engine import normalise_url
from fordring.adapters.db.tables import metadata


def snapshot(database_url: str) -> dict[str, list[tuple[object, ...]]]:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(row) for row in connection.execute(select(table))), key=repr
                )
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()
