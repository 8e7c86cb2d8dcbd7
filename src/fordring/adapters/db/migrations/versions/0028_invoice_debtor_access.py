"""Issue 19, the invoice's debtor access (agreement setting `invoice_debtor_access`,
decision 0016): a code and PIN may belong to an invoice that has no collection case yet,
and a debtor's session to such an invoice. Each row names its case or its invoice, never
both nor neither; the invoice by the company's composite key (0013), as the case. An
invoice has one code (a unique index: two sends at once cannot both issue one).

Revision ID: 0028_invoice_debtor_access
Revises: 0027_payment_plan
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_invoice_debtor_access"
down_revision = "0027_payment_plan"
branch_labels = None
depends_on = None

TABLES = ("debtor_access", "debtor_session")
ONE_OWNER = "(case_id IS NULL) <> (invoice_id IS NULL)"


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
            batch.add_column(sa.Column("invoice_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f"fk_{table}_invoice_id_invoice_same_company",
                "invoice",
                ["company_id", "invoice_id"],
                ["company_id", "id"],
            )
            batch.create_check_constraint(op.f(f"ck_{table}_one_owner"), ONE_OWNER)
        # an invoice has one code: two sends at once cannot both issue one
        unique = table == "debtor_access"
        op.create_index(f"ix_{table}_invoice", table, ["company_id", "invoice_id"], unique=unique)


def downgrade() -> None:
    # an invoice's codes and sessions have no case to keep them by (sessions first: they
    # name their code)
    op.execute(
        sa.text(
            "DELETE FROM debtor_session WHERE invoice_id IS NOT NULL OR access_id IN "
            "(SELECT id FROM debtor_access WHERE invoice_id IS NOT NULL)"
        )
    )
    op.execute(sa.text("DELETE FROM debtor_access WHERE invoice_id IS NOT NULL"))
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_invoice", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_one_owner"), type_="check")
            batch.drop_constraint(f"fk_{table}_invoice_id_invoice_same_company", type_="foreignkey")
            batch.drop_column("invoice_id")
            batch.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
