"""A case merged into the debtor's case already in collection (issue 12, merging claims).

`collection_case.merged_into` names the case a new case's claims moved to when it was
handed over (Finanstilsynet rundskriv 1/2018): the merged case is closed, and a payment to
its KID pays the case it was merged into. A partial index finds the cases merged into
a case (their letters are part of its claims' history).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collection_case") as batch:
        batch.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_collection_case_merged_into_collection_case",
            "collection_case",
            ["merged_into"],
            ["id"],
        )
    op.create_index(
        "ix_collection_case_merged_into",
        "collection_case",
        ["merged_into"],
        sqlite_where=sa.text("merged_into IS NOT NULL"),
        postgresql_where=sa.text("merged_into IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_collection_case_merged_into", table_name="collection_case")
    with op.batch_alter_table("collection_case") as batch:
        batch.drop_constraint("fk_collection_case_merged_into_collection_case", type_="foreignkey")
        batch.drop_column("merged_into")
