"""Payments from bank files, their matching and allocation, and settlements (issue 5).

`bank_file` remembers every file read (by content hash and by the bank's id), `payment`
every payment and what it paid, `settlement` what the collector paid out per banking day.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.types import MoneyType

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UNSETTLED = "channel = 'client' AND settlement_id IS NULL"


def _money(name: str, *, default: bool = False) -> sa.Column[object]:
    return sa.Column(
        name,
        MoneyType(precision=18, scale=2),
        nullable=False,
        server_default=sa.text("0") if default else None,
    )


def upgrade() -> None:
    op.create_table(
        "bank_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("file_id", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("imported_on", sa.Date(), nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        _money("total"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_bank_file_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_file")),
        sa.UniqueConstraint("company_id", "sha256", name=op.f("uq_bank_file_company_id_sha256")),
        sa.UniqueConstraint(
            "company_id", "format", "file_id", name=op.f("uq_bank_file_company_id_format_file_id")
        ),
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("bank_file_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        _money("amount"),
        sa.Column("kid", sa.String(length=25), nullable=False, server_default=""),
        sa.Column("text", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("payer_name", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("payer_account", sa.String(length=34), nullable=False, server_default=""),
        sa.Column("archive_ref", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("matched_by", sa.String(length=12), nullable=False, server_default=""),
        sa.Column("matched_on", sa.Date(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("voucher_id", sa.BigInteger(), nullable=False),
        sa.Column("allocation_voucher_id", sa.BigInteger(), nullable=True),
        _money("principal", default=True),
        _money("interest", default=True),
        _money("fees", default=True),
        _money("salaer", default=True),
        _money("credit", default=True),
        _money("refunded", default=True),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("invoice_numbers", sa.String(length=500), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_payment_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["bank_file_id"], ["bank_file.id"], name=op.f("fk_payment_bank_file_id_bank_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_payment_company_id_number")),
    )
    op.create_index("ix_payment_company_id_status", "payment", ["company_id", "status"])
    op.create_index("ix_payment_company_id_kid", "payment", ["company_id", "kid"])
    op.create_index(
        "ix_payment_unsettled",
        "payment",
        ["company_id", "matched_on"],
        sqlite_where=sa.text(UNSETTLED),
        postgresql_where=sa.text(UNSETTLED),
    )
    op.create_table(
        "settlement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("payments", sa.Integer(), nullable=False),
        _money("received"),
        _money("kept"),
        _money("paid_out"),
        sa.Column("voucher_id", sa.BigInteger(), nullable=True),
        sa.Column("pdf", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("csv", sa.String(length=500), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_settlement_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_settlement_company_id_number")),
        sa.UniqueConstraint("company_id", "day", name=op.f("uq_settlement_company_id_day")),
    )
    op.execute("INSERT INTO id_allocator (name, next_value) VALUES ('payment', 1)")
    # Companies registered before this revision get payment and settlement series too.
    for series in ("payment", "settlement"):
        op.execute(
            "INSERT INTO number_series (company_id, series, next_value) "
            f"SELECT id, '{series}', 1 FROM company"
        )


def downgrade() -> None:
    op.execute("DELETE FROM number_series WHERE series IN ('payment', 'settlement')")
    op.execute("DELETE FROM id_allocator WHERE name = 'payment'")
    op.drop_table("settlement")
    op.drop_index("ix_payment_unsettled", table_name="payment")
    op.drop_index("ix_payment_company_id_kid", table_name="payment")
    op.drop_index("ix_payment_company_id_status", table_name="payment")
    op.drop_table("payment")
    op.drop_table("bank_file")
