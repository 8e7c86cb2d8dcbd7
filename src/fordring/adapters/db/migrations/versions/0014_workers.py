"""Issue 16, workers on PostgreSQL: procrastinate's job queue (its tables, types,
functions and triggers, all named `procrastinate_*`) as the pinned procrastinate version
ships them (`procrastinate schema --read`), so `fordring init` sets up the queue with the
rest. SQLite runs every job in-process and gets nothing. A later procrastinate whose
schema changes needs a revision that applies its migration files (docs/workers.md).

Revision ID: 0014_workers
Revises: 0013_firsthour
"""

from __future__ import annotations

from alembic import op

revision = "0014_workers"
down_revision = "0013_firsthour"
branch_labels = None
depends_on = None

_DROP = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers,
    procrastinate_jobs, procrastinate_workers CASCADE;
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE 'DROP FUNCTION ' || f || ' CASCADE';
    END LOOP;
END $$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
    procrastinate_job_status CASCADE;
"""


def _run_script(sql: str) -> None:
    """Run a script of many statements as it is (no bind parameters: `%` and `:` are the
    script's own), on the migration's connection and in its transaction."""
    driver = op.get_bind().connection.driver_connection
    assert driver is not None
    driver.execute(sql)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _run_script(_DROP)
