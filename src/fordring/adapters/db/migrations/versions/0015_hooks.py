"""Issue 17 item 6, signed webhooks: a company's endpoints (URL, whsec_ secret, enabled or
disabled and why) with the event types each wants, the messages written in the transaction
of the change (the outbox) and one delivery per message and endpoint, under the same
row-level security as every company table.

Revision ID: 0015_hooks
Revises: 0014_workers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0015_hooks"
down_revision = "0015_sched"
branch_labels = None
depends_on = None

TABLES = ("webhook_endpoint", "webhook_subscription", "webhook_message", "webhook_delivery")


def _company_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["company_id"], ["company.id"], name=f"fk_{table}_company_id_company"
    )


def _same_company(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["company_id", "endpoint_id"],
        ["webhook_endpoint.company_id", "webhook_endpoint.id"],
        name=f"fk_{table}_endpoint_same_company",
    )


def upgrade() -> None:
    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _company_fk("webhook_endpoint"),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_endpoint"),
    )
    op.create_index(
        "uq_webhook_endpoint_company_id_id", "webhook_endpoint", ["company_id", "id"], unique=True
    )
    op.create_table(
        "webhook_subscription",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("endpoint_id", "event_type", name="pk_webhook_subscription"),
        _same_company("webhook_subscription"),
    )
    op.create_table(
        "webhook_message",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _company_fk("webhook_message"),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_message"),
    )
    op.create_index(
        "ix_webhook_message_company_id_created_at", "webhook_message", ["company_id", "created_at"]
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        _company_fk("webhook_delivery"),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["webhook_message.id"],
            name="fk_webhook_delivery_message_id_webhook_message",
        ),
        _same_company("webhook_delivery"),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_delivery"),
        sa.UniqueConstraint(
            "message_id", "endpoint_id", name="uq_webhook_delivery_message_id_endpoint_id"
        ),
    )
    op.create_index("ix_webhook_delivery_state_next_at", "webhook_delivery", ["state", "next_at"])
    op.create_index(
        "ix_webhook_delivery_company_id_endpoint_id_id",
        "webhook_delivery",
        ["company_id", "endpoint_id", "id"],
    )
    if op.get_bind().dialect.name == "postgresql":  # the same policies as 0011_scope's
        for table in TABLES:
            tenant_policies(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
