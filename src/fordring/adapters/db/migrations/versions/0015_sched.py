"""Issue 16, the schedule and what the operator sees of the workers.

- `dispatch.auto_retries`: how often the periodic delivery retry queued a failed document
  again (services/delivery_retry.py); it stops at a bound, so a document no channel can
  take waits for the operator instead of being tried forever.
- `job_failure` (PostgreSQL only, beside procrastinate's tables, none of a company's):
  the error of each failed try of a job, written by the workers in a transaction of its
  own (procrastinate 3.10 keeps no error text); `fordring jobs` shows the last one.

Revision ID: 0015_sched
Revises: 0014_workers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_sched"
down_revision = "0015_graph"
branch_labels = None
depends_on = None

_JOB_FAILURE = """
CREATE TABLE job_failure (
    id bigserial PRIMARY KEY,
    job_id bigint NOT NULL,
    task_name character varying(128) NOT NULL,
    attempt integer NOT NULL,
    failed_at timestamp with time zone NOT NULL DEFAULT now(),
    error text NOT NULL
);
CREATE INDEX ix_job_failure_job ON job_failure (job_id, id);
"""


def upgrade() -> None:
    with op.batch_alter_table("dispatch") as batch:
        batch.add_column(
            sa.Column("auto_retries", sa.Integer(), nullable=False, server_default="0")
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_JOB_FAILURE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS job_failure")
    with op.batch_alter_table("dispatch") as batch:
        batch.drop_column("auto_retries")
