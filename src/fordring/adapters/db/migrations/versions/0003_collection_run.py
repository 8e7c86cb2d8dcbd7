"""Collection run: letters, fee charges as open items, the run log; postings name charges.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.triggers import create_statements, drop_statements
from fordring.adapters.db.types import MoneyType

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_log",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("ran_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_run_log_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "day", name=op.f("pk_run_log")),
    )
    op.create_table(
        "case_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("fee_total", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("total", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["collection_case.id"], name=op.f("fk_case_letter_case_id_collection_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_letter")),
        sa.UniqueConstraint(
            "case_id", "kind", "letter_date", name=op.f("uq_case_letter_case_id_kind_letter_date")
        ),
    )
    op.create_table(
        "case_letter_invoice",
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("fee", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("fee_reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_case_letter_invoice_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["case_letter.id"],
            name=op.f("fk_case_letter_invoice_letter_id_case_letter"),
        ),
        sa.PrimaryKeyConstraint("letter_id", "invoice_id", name=op.f("pk_case_letter_invoice")),
    )
    op.create_table(
        "charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("open_amount", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("charged_on", sa.Date(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("voucher_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["collection_case.id"], name=op.f("fk_charge_case_id_collection_case")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_charge_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_charge_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"], ["case_letter.id"], name=op.f("fk_charge_letter_id_case_letter")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charge")),
    )
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_charge_case_id"), ["case_id"], unique=False)

    # A plain ADD COLUMN: a batch rebuild of the posting table would drop its ledger triggers.
    op.add_column("posting", sa.Column("charge_id", sa.Integer(), nullable=True))
    op.add_column("collection_case", sa.Column("list_sent_on", sa.Date(), nullable=True))
    op.execute(
        "INSERT INTO id_allocator (name, next_value) VALUES ('charge', 1), ('case_letter', 1)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM id_allocator WHERE name IN ('charge', 'case_letter')")
    with op.batch_alter_table("collection_case", schema=None) as batch_op:
        batch_op.drop_column("list_sent_on")
    dialect = op.get_bind().dialect.name
    for statement in drop_statements(dialect):
        op.execute(statement)
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.drop_column("charge_id")
    for statement in create_statements(dialect):
        op.execute(statement)

    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charge_case_id"))

    op.drop_table("charge")
    op.drop_table("case_letter_invoice")
    op.drop_table("case_letter")
    op.drop_table("run_log")
