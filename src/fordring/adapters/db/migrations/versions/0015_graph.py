"""Issue 16 item 2, the business day as a job graph: `day_part`, the parts of a company's
day still to do or done (under the same row-level security as every company table), and
the tenant role's rights on procrastinate's queue, so a company's unit of work can defer
the next part of the day in its own transaction (`uow.jobs`, docs/workers.md).

Revision ID: 0015_graph
Revises: 0014_workers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0015_graph"
down_revision = "0014_workers"
branch_labels = None
depends_on = None

# What deferring a job touches: the job row, its event (a trigger writes it), their ids.
# procrastinate's functions and types are PUBLIC's to use already.
_QUEUE_TABLES = "procrastinate_jobs, procrastinate_events"
_QUEUE_SEQUENCES = "procrastinate_jobs_id_seq, procrastinate_events_id_seq"


def upgrade() -> None:
    op.create_table(
        "day_part",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("after_customer", sa.Integer(), nullable=False),
        sa.Column("up_to_customer", sa.Integer(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_day_part_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "day", "part", name=op.f("pk_day_part")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    tenant_policies("day_part")  # as 0011_scope's
    op.execute(f"GRANT SELECT, INSERT ON {_QUEUE_TABLES} TO fordring_tenant")
    op.execute(f"GRANT USAGE, SELECT ON {_QUEUE_SEQUENCES} TO fordring_tenant")


def downgrade() -> None:
    # The queue's rights stay: 0011_scope's default privileges gave them to 0014's tables
    # too, and taking them away would leave 0014 with less than it had.
    op.drop_table("day_part")
