"""PostgreSQL's planner statistics after bulk writes, as one rule (docs/performance.md,
"Statistics after bulk writes"): a transaction that wrote `ANALYZE_FROM` rows or more to a
table analyzes that table before it commits, so whoever reads the new rows next is not
planned for an empty table (nested loops on a table of 100,000 rows: the 400 s payment
import). SQLite's planner needs no statistics for this: nothing is done there.

Rows are counted per transaction, per table: every INSERT through SQLAlchemy (an engine
event, `install`) and every COPY (`bulk.write_rows` counts its own, `bulk.rows_written`).
The unit of work calls `refresh` before every commit (adapters/db/unit_of_work.py); a bulk
writer that reads its own rows again in the same transaction may call it sooner.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.sql.dml import Insert

from fordring.adapters.db.bulk import ANALYZE_FROM, WRITTEN, as_owner, rows_written


def install(engine: Engine) -> None:
    """Count the rows every INSERT writes (PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "after_execute", _counted)


def _counted(
    connection: Connection,
    statement: Any,
    multiparams: Any,
    params: Any,
    _options: Any,
    _result: Any,
) -> None:
    if isinstance(statement, Insert):
        rows = len(multiparams) if multiparams else 1
        rows_written(connection, statement.table.name, rows)


def refresh(connection: Connection, *, at_least: int | None = None) -> list[str]:
    """ANALYZE every table this transaction wrote `at_least` rows to (`ANALYZE_FROM` by
    default) since the last refresh, as the tables' owner (row-level security allows no
    one else); the tables analyzed, in name order (two transactions analyzing the same
    tables take their locks in the same order)."""
    counts: dict[str, int] = connection.info.get(WRITTEN, {})
    threshold = ANALYZE_FROM if at_least is None else at_least
    due = sorted(table for table, rows in counts.items() if rows >= threshold)
    for table in due:
        del counts[table]
    if due:
        with as_owner(connection):
            connection.exec_driver_sql(f"ANALYZE {', '.join(due)}")
    return due


def forget(connection: Connection) -> None:
    """The transaction ended (committed or not): nothing is counted for the next one."""
    connection.info.pop(WRITTEN, None)
