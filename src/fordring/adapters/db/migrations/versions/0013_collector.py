"""A collector stops serving a creditor (issue 13, point 6): `collector_creditor.stopped_on`,
the day it stopped (NULL: served). The row is kept, so the creditor keeps its number when
the same collector serves it again.

Revision ID: 0013_collector
Revises: 0012_pgpay
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_collector"
down_revision = "0012_pgpay"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collector_creditor") as batch:
        batch.add_column(sa.Column("stopped_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("collector_creditor") as batch:
        batch.drop_column("stopped_on")
