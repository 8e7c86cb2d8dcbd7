"""Print batches recorded per document (issue 14, item 3).

`dispatch.post_day`, `paper_name` and `print_batch`: a customer's document sent on paper
records the day whose post it went in and its name in that day's outbox folder; the print
batch it was joined into is recorded when the batch is made. A document sent and in no
batch (a crash came between the two) is what the next delivery batches. Documents sent
before this revision record nothing: their days' print batches were made the old way and
are never made again.

Revision ID: 0012_delivery
Revises: 0011_scope
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_delivery"
down_revision = "0011_scope"
branch_labels = None
depends_on = None

UNBATCHED = "post_day IS NOT NULL AND print_batch IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("dispatch") as batch:
        batch.add_column(sa.Column("post_day", sa.Date(), nullable=True))
        batch.add_column(sa.Column("paper_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("print_batch", sa.Integer(), nullable=True))
    op.create_index("ix_dispatch_post_day", "dispatch", ["company_id", "post_day"])
    op.create_index(
        "ix_dispatch_unbatched",
        "dispatch",
        ["company_id", "post_day"],
        sqlite_where=sa.text(UNBATCHED),
        postgresql_where=sa.text(UNBATCHED),
    )


def downgrade() -> None:
    op.drop_index("ix_dispatch_unbatched", "dispatch")
    op.drop_index("ix_dispatch_post_day", "dispatch")
    with op.batch_alter_table("dispatch") as batch:
        batch.drop_column("print_batch")
        batch.drop_column("paper_name")
        batch.drop_column("post_day")
