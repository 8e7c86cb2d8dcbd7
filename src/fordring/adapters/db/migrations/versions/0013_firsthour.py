"""Issue 15 point 4, fixing what was typed: `change_log` records who changed a company's
details, and which customer was merged into which, when and what (`{field: [before,
after]}` as JSON), under the same row-level security as every company table; a customer
merged into another keeps its row, marked by `customer.merged_into_id`.

Revision ID: 0013_firsthour
Revises: 0012_pgpay
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0013_firsthour"
down_revision = "0013_collector"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer", sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_key", sa.String(length=40), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_change_log_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    op.create_index(
        op.f("ix_change_log_company_id_subject_subject_key"),
        "change_log",
        ["company_id", "subject", "subject_key"],
    )
    if op.get_bind().dialect.name == "postgresql":  # the same policies as 0011_scope's
        tenant_policies("change_log")


def downgrade() -> None:
    op.drop_index(op.f("ix_change_log_company_id_subject_subject_key"), table_name="change_log")
    op.drop_table("change_log")
    # Not a batch (SQLite would copy the table, which others' foreign keys refuse): both
    # databases drop a plain column in place (SQLite since 3.35).
    op.execute("ALTER TABLE customer DROP COLUMN merged_into_id")
