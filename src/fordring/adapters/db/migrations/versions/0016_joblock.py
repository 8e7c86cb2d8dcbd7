"""Issue 16, the job queue under a day of 1,000 companies: an index that finds a job's
lock among the queued and running jobs.

procrastinate fetches a job only if no other job with its lock runs or waits ahead of it
(`procrastinate_fetch_job_v2`). Its own indexes answer "runs" (`lock` where `doing`) but
"waits ahead" only through `(id, lock)`, so each candidate it rejects costs a walk of
every queued job: with a thousand companies' day jobs queued (each holding its company's
lock) a fetch took 47 ms of PostgreSQL's time and the fetches 376 of the day's 408 CPU
seconds (docs/performance.md). With `(lock, priority, id)` each check is one index probe.

Revision ID: 0016_joblock
Revises: 0015_api
"""

from __future__ import annotations

from alembic import op

revision = "0016_joblock"
down_revision = "0015_api"
branch_labels = None
depends_on = None

INDEX = "fordring_procrastinate_jobs_lock_queued_idx"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE INDEX {INDEX} ON procrastinate_jobs (lock, priority, id) "
        "WHERE status IN ('todo', 'doing')"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX {INDEX}")
