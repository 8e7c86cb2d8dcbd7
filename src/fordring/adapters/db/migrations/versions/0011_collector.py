"""Issue 13, a collector serving many creditors: the collector and its client accounts,
the creditors it serves, case KIDs unique per collector, its bank files and its queue.

Revision ID: 0011_collector
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.types import MoneyType

revision = "0011_collector"
down_revision = "0011_businessday"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("orgnr", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("licence", sa.String(length=200), server_default="", nullable=False),
        sa.Column("street", sa.String(length=200), server_default="", nullable=False),
        sa.Column("postcode", sa.String(length=10), server_default="", nullable=False),
        sa.Column("city", sa.String(length=100), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=30), server_default="", nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collector")),
        sa.UniqueConstraint("orgnr", name=op.f("uq_collector_orgnr")),
    )
    op.create_table(
        "client_account",
        sa.Column("account", sa.String(length=11), nullable=False),
        sa.Column("collector_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collector_id"],
            ["collector.id"],
            name=op.f("fk_client_account_collector_id_collector"),
        ),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_client_account")),
    )
    op.create_table(
        "collector_creditor",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("collector_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_collector_creditor_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["collector_id"],
            ["collector.id"],
            name=op.f("fk_collector_creditor_collector_id_collector"),
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_collector_creditor")),
        sa.UniqueConstraint(
            "collector_id", "number", name=op.f("uq_collector_creditor_collector_id_number")
        ),
    )
    op.create_table(
        "client_kid",
        sa.Column("collector_id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=25), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collector_id"], ["collector.id"], name=op.f("fk_client_kid_collector_id_collector")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_client_kid_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["collection_case.id"], name=op.f("fk_client_kid_case_id_collection_case")
        ),
        sa.PrimaryKeyConstraint("collector_id", "kid", name=op.f("pk_client_kid")),
    )
    op.create_table(
        "collector_bank_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collector_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("file_id", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("imported_on", sa.Date(), nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("total", MoneyType(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["collector_id"],
            ["collector.id"],
            name=op.f("fk_collector_bank_file_collector_id_collector"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collector_bank_file")),
        sa.UniqueConstraint(
            "collector_id", "sha256", name=op.f("uq_collector_bank_file_collector_id_sha256")
        ),
        sa.UniqueConstraint(
            "collector_id",
            "format",
            "file_id",
            name=op.f("uq_collector_bank_file_collector_id_format_file_id"),
        ),
    )
    op.create_table(
        "client_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collector_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("bank_file_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=11), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("kid", sa.String(length=25), server_default="", nullable=False),
        sa.Column("text", sa.String(length=500), server_default="", nullable=False),
        sa.Column("payer_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("payer_account", sa.String(length=34), server_default="", nullable=False),
        sa.Column("archive_ref", sa.String(length=100), server_default="", nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("assigned_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["collector_id"],
            ["collector.id"],
            name=op.f("fk_client_payment_collector_id_collector"),
        ),
        sa.ForeignKeyConstraint(
            ["bank_file_id"],
            ["collector_bank_file.id"],
            name=op.f("fk_client_payment_bank_file_id_collector_bank_file"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_client_payment_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_payment")),
        sa.UniqueConstraint(
            "collector_id", "number", name=op.f("uq_client_payment_collector_id_number")
        ),
    )
    op.create_index(
        op.f("ix_client_payment_collector_id_status"),
        "client_payment",
        ["collector_id", "status"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_client_payment_collector_id_status"), table_name="client_payment")
    for table in (
        "client_payment",
        "collector_bank_file",
        "client_kid",
        "collector_creditor",
        "client_account",
        "collector",
    ):
        op.drop_table(table)
