"""Issue 18, Fakturaer: an index of a company's invoices in collection.

The portal's invoice list filtered to those not in collection (open, overdue, paid,
credited) asks for each invoice whether a case has it. `case_invoice` had only its key
and `invoice_id`: the anti-join walked every company's links (300 ms with 1,000,000
cases) or probed the table per invoice. With (company_id, invoice_id) each probe reads
the index alone (docs/portal.md, "Fakturaer").

Revision ID: 0021_invoices
Revises: 0020_dashboard
"""

from __future__ import annotations

from alembic import op

revision = "0021_invoices"
down_revision = "0020_dashboard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_invoice_company", "case_invoice", ["company_id", "invoice_id"])


def downgrade() -> None:
    op.drop_index("ix_case_invoice_company", table_name="case_invoice")
