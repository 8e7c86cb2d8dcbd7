"""Collection: the agreement settings, cases, their invoices and their history.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collection_setting",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_collection_setting_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "key", name=op.f("pk_collection_setting")),
    )
    op.create_table(
        "collection_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=25), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("resume_state", sa.String(length=20), nullable=True),
        sa.Column("paused_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_collection_case_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_collection_case_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_case")),
        sa.UniqueConstraint("company_id", "kid", name=op.f("uq_collection_case_company_id_kid")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_collection_case_company_id_number")
        ),
    )
    with op.batch_alter_table("collection_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collection_case_company_id_state"), ["company_id", "state"], unique=False
        )

    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["collection_case.id"], name=op.f("fk_case_event_case_id_collection_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_invoice",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["collection_case.id"],
            name=op.f("fk_case_invoice_case_id_collection_case"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_case_invoice_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("case_id", "invoice_id", name=op.f("pk_case_invoice")),
        sa.UniqueConstraint("invoice_id", name=op.f("uq_case_invoice_invoice_id")),
    )
    # Companies registered before this revision get a case number series too.
    op.execute(
        "INSERT INTO number_series (company_id, series, next_value) "
        "SELECT id, 'case', 1 FROM company"
    )


def downgrade() -> None:
    op.execute("DELETE FROM number_series WHERE series = 'case'")
    op.drop_table("case_invoice")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))

    op.drop_table("case_event")
    with op.batch_alter_table("collection_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collection_case_company_id_state"))

    op.drop_table("collection_case")
    op.drop_table("collection_setting")
