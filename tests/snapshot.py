"""A fingerprint of everything stored, to prove that a refused command wrote nothing."""

from __future__ import annotations

from sqlalchemy import create_engine, func, select

from fordring.adapters.db.engine import normalise_url
from fordring.adapters.db.tables import metadata, number_series


def snapshot(database_url: str) -> dict[str, object]:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            counts: dict[str, object] = {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in metadata.sorted_tables
            }
            counts["series"] = sorted(
                tuple(row) for row in connection.execute(select(number_series))
            )
            return counts
    finally:
        engine.dispose()
