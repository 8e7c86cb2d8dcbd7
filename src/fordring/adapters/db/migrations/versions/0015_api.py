"""Issue 17, the REST API: API keys (a prefix and an HMAC of the secret, a role, the
company or collector it belongs to) and the stored responses of idempotent requests.
PostgreSQL: row-level security as on every tenant table (0011_scope); the tenant role
sees its company's keys, the global role (which authenticates a request) every key.

Revision ID: 0015_api
Revises: 0014_workers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0015_api"
down_revision = "0015_hooks"
branch_labels = None
depends_on = None

TABLES = ("api_key", "idempotent_request")


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("company.id")),
        sa.Column("collector_id", sa.Integer(), sa.ForeignKey("collector.id")),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False, unique=True),
        sa.Column("secret_hmac", sa.String(64), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("revoked_on", sa.Date()),
        sa.CheckConstraint(
            "(company_id IS NULL) <> (collector_id IS NULL)", name="ck_api_key_one_owner"
        ),
    )
    op.create_table(
        "idempotent_request",
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("company.id"), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        tenant_policies(table)


def downgrade() -> None:
    op.drop_table("idempotent_request")
    op.drop_table("api_key")
