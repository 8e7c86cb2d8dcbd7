"""Issue 19, the debtor's page: the access codes and PINs letters print (their hashes
only), the debtors' sessions (the token's hash) and the wrong sign-in tries per client
address (the address's hash). PostgreSQL: row-level security on the two company tables,
as on every tenant table (0011_scope); the sign-in and the session lookup run as the
global role, as the portal's do. The address table belongs to no company.

Revision ID: 0024_debtor_access
Revises: 0023_payments
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0024_debtor_access"
down_revision = "0023_payments"
branch_labels = None
depends_on = None

TABLES = ("debtor_access", "debtor_session")


def _same_company(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["company_id", "case_id"],
        ["collection_case.company_id", "collection_case.id"],
        name=f"fk_{table}_case_id_collection_case_same_company",
    )


def upgrade() -> None:
    # Every constraint named as tables_ledger.py's naming convention names it in metadata.
    op.create_table(
        "debtor_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer()),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("pin_salt", sa.String(32), nullable=False),
        sa.Column("pin_hash", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_debtor_access"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_debtor_access_company_id_company"
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"], ["case_letter.id"], name="fk_debtor_access_letter_id_case_letter"
        ),
        _same_company("debtor_access"),
        sa.UniqueConstraint("code_hash", name="uq_debtor_access_code_hash"),
    )
    op.create_index("ix_debtor_access_case", "debtor_access", ["company_id", "case_id"])
    op.create_table(
        "debtor_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("access_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_debtor_session"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_debtor_session_company_id_company"
        ),
        sa.ForeignKeyConstraint(
            ["access_id"], ["debtor_access.id"], name="fk_debtor_session_access_id_debtor_access"
        ),
        _same_company("debtor_session"),
        sa.UniqueConstraint("token_hash", name="uq_debtor_session_token_hash"),
    )
    op.create_index("ix_debtor_session_case", "debtor_session", ["company_id", "case_id"])
    op.create_table(
        "debtor_address_try",
        sa.Column("address_hash", sa.String(64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("address_hash", name="pk_debtor_address_try"),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        tenant_policies(table)


def downgrade() -> None:
    op.drop_table("debtor_address_try")
    op.drop_table("debtor_session")
    op.drop_table("debtor_access")
