"""Issue 19, the debtor's "I have paid" and messages: the payments debtors report, the day
a report holds a case's steps until, and the debtor's oldest unanswered message.

- `payment_report`: one row per report (case, day paid, amount unique: a form sent twice is
  one row), under the same row-level security as every company table.
- `ix_payment_report_open`: only the open reports (holding or lapsed), so the run's lapsing,
  a payment's ending the hold and Oversikt's count never walk the ones done with.
- `collection_case.steps_held_until`, `.debtor_waiting_since`: nullable, no rewrite of the
  table; the partial index on the second counts the waiting cases from the index alone.

Revision ID: 0025_debtor_paid
Revises: 0024_debtor_access
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies
from fordring.adapters.db.types import MoneyType

revision = "0025_debtor_paid"
down_revision = "0024_debtor_access"
branch_labels = None
depends_on = None

OPEN_REPORTS = "status IN ('holding', 'lapsed')"
WAITING = "debtor_waiting_since IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("collection_case") as batch:
        batch.add_column(sa.Column("steps_held_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("debtor_waiting_since", sa.Date(), nullable=True))
    op.create_index(
        "ix_collection_case_debtor_waiting",
        "collection_case",
        ["company_id", "debtor_waiting_since"],
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
    )
    op.create_table(
        "payment_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", MoneyType(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("hold_until", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_payment_report_company_id_company"
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "case_id"],
            ["collection_case.company_id", "collection_case.id"],
            name="fk_payment_report_case_id_collection_case_same_company",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payment_report"),
        sa.UniqueConstraint(
            "case_id", "paid_on", "amount", name="uq_payment_report_case_id_paid_on_amount"
        ),
    )
    op.create_index(
        "ix_payment_report_open",
        "payment_report",
        ["company_id", "status", "hold_until"],
        sqlite_where=sa.text(OPEN_REPORTS),
        postgresql_where=sa.text(OPEN_REPORTS),
    )
    if op.get_bind().dialect.name == "postgresql":
        tenant_policies("payment_report")


def downgrade() -> None:
    op.drop_index("ix_payment_report_open", table_name="payment_report")
    op.drop_table("payment_report")
    op.drop_index("ix_collection_case_debtor_waiting", table_name="collection_case")
    with op.batch_alter_table("collection_case") as batch:
        batch.drop_column("debtor_waiting_since")
        batch.drop_column("steps_held_until")
