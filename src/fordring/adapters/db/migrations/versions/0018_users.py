"""Issue 18, the portal: the users of each company (a role, the argon2id hash of the
password, the wrong passwords in a row and the lockout) and their sessions (only the
SHA-256 of the token). PostgreSQL: row-level security as on every tenant table
(0011_scope); the tenant role sees its company's users and sessions, the global role
(which finds the user of a request by its session) every one.

Revision ID: 0018_users
Revises: 0017_credits
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0018_users"
down_revision = "0017_credits"
branch_labels = None
depends_on = None

TABLES = ("app_user", "user_session")


def upgrade() -> None:
    # Every constraint named as tables_ledger.py's naming convention names it in metadata.
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("disabled_on", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_app_user"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_app_user_company_id_company"
        ),
        sa.UniqueConstraint("company_id", "email", name="uq_app_user_email"),
    )
    op.create_index("uq_app_user_company_id_id", "app_user", ["company_id", "id"], unique=True)
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_user_session"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_user_session_company_id_company"
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "user_id"],
            ["app_user.company_id", "app_user.id"],
            name="fk_user_session_user_same_company",
        ),
        sa.UniqueConstraint("token_hash", name="uq_user_session_token_hash"),
    )
    op.create_index("ix_user_session_user", "user_session", ["user_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        tenant_policies(table)


def downgrade() -> None:
    op.drop_table("user_session")
    op.drop_table("app_user")
