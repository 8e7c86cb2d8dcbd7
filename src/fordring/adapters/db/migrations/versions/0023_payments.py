"""Issue 18, the portal's Innbetalinger and Oppgjør: indexes for the unmatched queue's
suggestions and a settlement's payments. (An index of open invoices by amount was tried
and left out: under row-level security the tenant role's plans cannot use it, as
`numeric = ANY` is not leakproof.)

- `ix_case_invoice_company_case`: a case's invoices by company, so the cases of several
  invoices (whose sums an unmatched payment's suggestions must add up) are found by an
  index-only scan instead of summing every case of the company (0.8-1.8 s with 100,000
  cases a company, bench/bench_portal_payments.py).
- `ix_payment_settlement`: a settlement's payments (its page, its PDF and CSV) without
  walking the company's payments; only settled payments.

Revision ID: 0023_payments
Revises: 0022_settings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_payments"
down_revision = "0022_settings"
branch_labels = None
depends_on = None

SETTLED = "settlement_id IS NOT NULL"


def upgrade() -> None:
    op.create_index("ix_case_invoice_company_case", "case_invoice", ["company_id", "case_id"])
    op.create_index(
        "ix_payment_settlement",
        "payment",
        ["company_id", "settlement_id", "number"],
        sqlite_where=sa.text(SETTLED),
        postgresql_where=sa.text(SETTLED),
    )


def downgrade() -> None:
    op.drop_index("ix_payment_settlement", table_name="payment")
    op.drop_index("ix_case_invoice_company_case", table_name="case_invoice")
