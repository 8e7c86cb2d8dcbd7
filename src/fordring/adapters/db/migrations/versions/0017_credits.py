"""Issue 17, a case read over the API: an index of invoices by the invoice they credit.

A case's facts (`collection_run_facts`, read by every case lookup and by the daily run)
ask which of the case's invoices have a credit note: `invoice.credits_invoice_id` had no
index, so each ask walked the company's invoices (20 ms of PostgreSQL's time a lookup
with 100,000 cases a company, docs/performance.md). Credit notes are few: the index holds
only them.

Revision ID: 0017_credits
Revises: 0016_joblock
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_credits"
down_revision = "0016_joblock"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_invoice_credits",
        "invoice",
        ["credits_invoice_id"],
        sqlite_where=sa.text("credits_invoice_id IS NOT NULL"),
        postgresql_where=sa.text("credits_invoice_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_invoice_credits", table_name="invoice")
