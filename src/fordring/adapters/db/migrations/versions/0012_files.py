"""Issue 14, near-duplicates: a bank file's payments that look like ones already booked are
held for a person (`held_payment`, numbered per company in the series `held`), found by
the days they were received on (an index on `payment`).

Revision ID: 0012_files
Revises: 0011_scope
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies
from fordring.adapters.db.types import MoneyType

revision = "0012_files"
down_revision = "0012_ledgerguard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("bank_file_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount", MoneyType(), nullable=False),
        sa.Column("kid", sa.String(length=25), server_default="", nullable=False),
        sa.Column("text", sa.String(length=500), server_default="", nullable=False),
        sa.Column("payer_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("payer_account", sa.String(length=34), server_default="", nullable=False),
        sa.Column("archive_ref", sa.String(length=100), server_default="", nullable=False),
        sa.Column("transaction_type", sa.String(length=10), server_default="", nullable=False),
        sa.Column("credit_note", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("like_payment", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("payment_number", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_held_payment_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["bank_file_id"], ["bank_file.id"], name=op.f("fk_held_payment_bank_file_id_bank_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_payment")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_held_payment_company_id_number")),
    )
    op.create_index(
        op.f("ix_held_payment_company_id_status"), "held_payment", ["company_id", "status"]
    )
    op.create_index(
        op.f("ix_payment_company_id_received_on"), "payment", ["company_id", "received_on"]
    )
    op.execute(
        "INSERT INTO number_series (company_id, series, next_value) "
        "SELECT id, 'held', 1 FROM company"
    )
    if op.get_bind().dialect.name == "postgresql":  # the same policies as 0011_scope's
        tenant_policies("held_payment")


def downgrade() -> None:
    op.execute("DELETE FROM number_series WHERE series = 'held'")
    op.drop_index(op.f("ix_payment_company_id_received_on"), table_name="payment")
    op.drop_index(op.f("ix_held_payment_company_id_status"), table_name="held_payment")
    op.drop_table("held_payment")
