"""Issue 12, the collection engine: a case held for a missing rate, and the collector who
had the case at hand-over.

`collection_case.held_reason` / `held_on`: the rate the case waits for and the day it
started waiting (NULL: not held). `collection_case.collector_name` / `collector_orgnr`: the
collector of the agreement on the day the case was handed over (NULL: own collection or
not handed over), so salær follows the case, not a collector added to the agreement later;
cases that were charged salær before this revision get the agreement's collector.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collection_case") as batch:
        batch.add_column(sa.Column("held_reason", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("held_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("collector_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("collector_orgnr", sa.String(length=20), nullable=True))
    # Cases already handed over with salær were handed to the agreement's collector of today.
    for column in ("collector_name", "collector_orgnr"):
        op.execute(
            f"UPDATE collection_case SET {column} = (SELECT s.value FROM collection_setting s"
            f" WHERE s.company_id = collection_case.company_id AND s.key = '{column}')"
            " WHERE EXISTS (SELECT 1 FROM charge c WHERE c.case_id = collection_case.id"
            " AND c.kind = 'salaer')"
        )


def downgrade() -> None:
    with op.batch_alter_table("collection_case") as batch:
        batch.drop_column("collector_orgnr")
        batch.drop_column("collector_name")
        batch.drop_column("held_on")
        batch.drop_column("held_reason")
