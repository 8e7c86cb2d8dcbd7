"""Nothing doubled (issue 14, points 1 and 2): a KID names one open item, a voucher is
reversed once, and the database refuses a second of either.

`company_kid`: every KID a company's debtors pay with and the open item it names (an
invoice, or a case whose KID is not its own invoice's), keyed by (company, KID). No
foreign keys: an import writes a row per invoice, and a key check per row cost PostgreSQL
0.7 s per 100,000 invoices (and a share lock on the company row each); the rows are
written only with the invoice or case they name, in the same transaction. Filled
from the invoices (first by id) and then the cases whose KID no invoice has; a KID two
items already shared stays with the first, and `ledger check` lists the others.

`uq_voucher_reverses_id`: at most one voucher reverses a given voucher. Second reversals
stored before this revision cannot be undone (vouchers are append-only): the index leaves
them out by id, and `ledger check` lists the vouchers they reversed twice.

Revision ID: 0012_ledgerguard
Revises: 0011_scope
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0012_ledgerguard"
down_revision = "0012_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "company_kid",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=25), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(invoice_id IS NULL) <> (case_id IS NULL)", name=op.f("ck_company_kid_one_owner")
        ),
        sa.PrimaryKeyConstraint("company_id", "kid", name=op.f("pk_company_kid")),
    )
    op.execute(
        "INSERT INTO company_kid (company_id, kid, invoice_id) "
        "SELECT company_id, kid, min(id) FROM invoice WHERE kind = 'invoice' "
        "GROUP BY company_id, kid"
    )
    op.execute(
        "INSERT INTO company_kid (company_id, kid, case_id) "
        "SELECT c.company_id, c.kid, min(c.id) FROM collection_case c "
        "WHERE NOT EXISTS (SELECT 1 FROM company_kid k "
        "WHERE k.company_id = c.company_id AND k.kid = c.kid) "
        "GROUP BY c.company_id, c.kid"
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        tenant_policies("company_kid")
    again = [
        int(row[0])
        for row in bind.execute(
            sa.text(
                "SELECT v.id FROM voucher v WHERE v.reverses_id IS NOT NULL AND EXISTS "
                "(SELECT 1 FROM voucher w WHERE w.reverses_id = v.reverses_id AND w.id < v.id) "
                "ORDER BY v.id"
            )
        )
    ]
    where = "reverses_id IS NOT NULL"
    if again:  # literal ids: a partial index's condition takes no parameters
        where += f" AND id NOT IN ({', '.join(map(str, again))})"
    op.create_index(
        "uq_voucher_reverses_id",
        "voucher",
        ["reverses_id"],
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def downgrade() -> None:
    op.drop_index("uq_voucher_reverses_id", table_name="voucher")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS tenant ON company_kid")
        op.execute("DROP POLICY IF EXISTS every_company ON company_kid")
    op.drop_table("company_kid")
