"""Cases say when they next need looking at; letters wait for rendering as data.

`collection_case.wake_on` is the first day a step can apply to a case (date.min: look at it
in the next run; date.max: nothing until something changes it), so the daily run reads only
the cases something can happen to. An index on `posting.invoice_id` finds what was paid
on an invoice and when (interest), one on `charge.invoice_id` the fees on an invoice, one on
`posting.charge_id` when a charge was paid.
`approved_on` records the creditor's approval of a
hand-over. `case_letter.content` holds the letter's content (JSON) from the day it is
produced; the PDF is rendered from it afterwards (`location` empty until then).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "collection_case",
        sa.Column("wake_on", sa.Date(), nullable=False, server_default=sa.text("'0001-01-01'")),
    )
    op.add_column("collection_case", sa.Column("approved_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_collection_case_company_id_wake_on", "collection_case", ["company_id", "wake_on"]
    )
    op.add_column("case_letter", sa.Column("content", sa.Text(), nullable=True))
    op.create_index(
        "ix_case_letter_unrendered",
        "case_letter",
        ["id"],
        sqlite_where=sa.text("location = ''"),
        postgresql_where=sa.text("location = ''"),
    )

    op.create_index(
        "ix_posting_invoice_id",
        "posting",
        ["invoice_id"],
        sqlite_where=sa.text("invoice_id IS NOT NULL"),
        postgresql_where=sa.text("invoice_id IS NOT NULL"),
    )

    op.create_index("ix_charge_invoice_id", "charge", ["invoice_id"])
    op.create_index(
        "ix_posting_charge_id",
        "posting",
        ["charge_id"],
        sqlite_where=sa.text("charge_id IS NOT NULL"),
        postgresql_where=sa.text("charge_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_posting_charge_id", table_name="posting")
    op.drop_index("ix_charge_invoice_id", table_name="charge")
    op.drop_index("ix_posting_invoice_id", table_name="posting")
    op.drop_index("ix_case_letter_unrendered", table_name="case_letter")
    with op.batch_alter_table("case_letter", schema=None) as batch_op:
        batch_op.drop_column("content")
    op.drop_index("ix_collection_case_company_id_wake_on", table_name="collection_case")
    with op.batch_alter_table("collection_case", schema=None) as batch_op:
        batch_op.drop_column("approved_on")
        batch_op.drop_column("wake_on")
