"""Issue 12, payments: `customer.email_reliable_since`, the day the reliable e-mail mark
(inkassoloven § 3 a) was set; it lasts the agreement's `reliable_email_months`. A mark set
before this revision keeps no date and so holds on no day (docs/delivery.md): notices and
demands go on paper until the creditor sets the mark again.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("email_reliable_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("email_reliable_since")
