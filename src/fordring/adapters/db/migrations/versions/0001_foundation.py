"""Foundation: companies, customers, invoices, the ledger and its guarding triggers.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.triggers import create_statements, drop_statements
from fordring.adapters.db.types import ExactDecimal, MoneyType

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("orgnr", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("street", sa.String(length=200), server_default="", nullable=False),
        sa.Column("postcode", sa.String(length=10), server_default="", nullable=False),
        sa.Column("city", sa.String(length=100), server_default="", nullable=False),
        sa.Column("country", sa.String(length=2), server_default="NO", nullable=False),
        sa.Column("account", sa.String(length=11), nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.Column("vat_registered", sa.Boolean(), nullable=False),
        sa.Column("foretaksregisteret", sa.Boolean(), nullable=False),
        sa.Column("kid_algorithm", sa.String(length=5), nullable=False),
        sa.Column("kid_length", sa.Integer(), nullable=False),
        sa.Column("default_terms_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
        sa.UniqueConstraint("orgnr", name=op.f("uq_company_orgnr")),
    )
    op.create_table(
        "id_allocator",
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_id_allocator")),
    )
    op.bulk_insert(
        sa.table(
            "id_allocator", sa.column("name", sa.String), sa.column("next_value", sa.BigInteger)
        ),
        [{"name": "invoice", "next_value": 1}, {"name": "voucher", "next_value": 1}],
    )
    op.create_table(
        "invoice_line",
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", ExactDecimal(precision=24, scale=6), nullable=False),
        sa.Column("unit_price", ExactDecimal(precision=24, scale=6), nullable=False),
        sa.Column("vat_rate", ExactDecimal(precision=24, scale=6), nullable=False),
        sa.Column("net", MoneyType(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("invoice_id", "line_no", name=op.f("pk_invoice_line")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "posting",
        sa.Column(
            "voucher_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=4), nullable=False),
        sa.Column("amount", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=300), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("voucher_id", "line_no", name=op.f("pk_posting")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("orgnr", sa.String(length=9), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("street", sa.String(length=200), server_default="", nullable=False),
        sa.Column("postcode", sa.String(length=10), server_default="", nullable=False),
        sa.Column("city", sa.String(length=100), server_default="", nullable=False),
        sa.Column("country", sa.String(length=2), server_default="NO", nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=30), server_default="", nullable=False),
        sa.Column("peppol_id", sa.String(length=60), nullable=True),
        sa.Column("language", sa.String(length=2), server_default="nb", nullable=False),
        sa.Column(
            "reminder_exempt", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_customer_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_customer_company_id_number")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_company_id_orgnr"), ["company_id", "orgnr"], unique=False
        )

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_import_batch_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
        sa.UniqueConstraint(
            "company_id", "kind", "sha256", name=op.f("uq_import_batch_company_id_kind_sha256")
        ),
    )
    op.create_table(
        "number_series",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=20), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_number_series_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "series", name=op.f("pk_number_series")),
    )
    op.create_table(
        "voucher",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("type_code", sa.String(length=10), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("reverses_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_voucher_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_voucher_company_id_number")),
    )
    op.create_table(
        "voucher_type",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("collection", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_voucher_type_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "code", name=op.f("pk_voucher_type")),
    )
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("exchange_rate", ExactDecimal(precision=24, scale=6), nullable=False),
        sa.Column("net", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("vat", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("total", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("total_nok", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("open_amount", MoneyType(precision=18, scale=2), nullable=False),
        sa.Column("kid", sa.String(length=25), nullable=False),
        sa.Column("credits_invoice_id", sa.Integer(), nullable=True),
        sa.Column("reminder_exempt", sa.Boolean(), nullable=False),
        sa.Column("voucher_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_invoice_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["credits_invoice_id"],
            ["invoice.id"],
            name=op.f("fk_invoice_credits_invoice_id_invoice"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_invoice_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_invoice_company_id_number")),
    )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_company_id_kid"), ["company_id", "kid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_invoice_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(
            "ix_invoice_open_items",
            ["company_id", "due_date"],
            unique=False,
            sqlite_where=sa.text("open_amount <> 0"),
            postgresql_where=sa.text("open_amount <> 0"),
        )
    for statement in create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_invoice_open_items",
            sqlite_where=sa.text("open_amount <> 0"),
            postgresql_where=sa.text("open_amount <> 0"),
        )
        batch_op.drop_index(batch_op.f("ix_invoice_customer_id"))
        batch_op.drop_index(batch_op.f("ix_invoice_company_id_kid"))

    op.drop_table("invoice")
    op.drop_table("voucher_type")
    op.drop_table("voucher")
    op.drop_table("number_series")
    op.drop_table("import_batch")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_company_id_orgnr"))

    op.drop_table("customer")
    op.drop_table("posting")
    op.drop_table("invoice_line")
    op.drop_table("id_allocator")
    op.drop_table("company")
