"""Objections and limitation (issue 12, items 2 and 7).

`collection_case.letter_asked_on`: the day a case was resumed after the debtor's
objection; the run sends the stage's letter again with a new deadline and clears it.
`case_invoice.limitation_interrupted_on`: the day the creditor says the limitation of the
claim was interrupted (foreldelsesloven §§ 14-17); a new 3-year period runs from it.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collection_case") as batch:
        batch.add_column(sa.Column("letter_asked_on", sa.Date(), nullable=True))
    with op.batch_alter_table("case_invoice") as batch:
        batch.add_column(sa.Column("limitation_interrupted_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_invoice") as batch:
        batch.drop_column("limitation_interrupted_on")
    with op.batch_alter_table("collection_case") as batch:
        batch.drop_column("letter_asked_on")
