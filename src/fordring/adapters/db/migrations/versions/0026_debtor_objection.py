"""Issue 19, the debtor's objection: `case_objection`, one row per objection (or addition
to one) with its reason, the debtor's words and the attached file's stored name, type,
size and SHA-256. Row-level security as on every tenant table (0011_scope). A case has a
handful at most: one index, by company and case, serves the case page.

Revision ID: 0026_debtor_objection
Revises: 0025_debtor_paid
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0026_debtor_objection"
down_revision = "0025_debtor_paid"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("addition", sa.Boolean(), nullable=False),
        sa.Column("attachment_key", sa.String(64)),
        sa.Column("attachment_name", sa.String(200)),
        sa.Column("attachment_type", sa.String(40)),
        sa.Column("attachment_size", sa.BigInteger()),
        sa.Column("attachment_sha256", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_case_objection"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_case_objection_company_id_company"
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "case_id"],
            ["collection_case.company_id", "collection_case.id"],
            name="fk_case_objection_case_id_collection_case_same_company",
        ),
    )
    op.create_index("ix_case_objection_company_case", "case_objection", ["company_id", "case_id"])
    if op.get_bind().dialect.name == "postgresql":
        tenant_policies("case_objection")


def downgrade() -> None:
    op.drop_table("case_objection")
