"""Issue 19, payment plans (nedbetalingsavtale) and deferrals: a case's plans and their
instalments. At most one open (proposed or running) plan a case (a partial unique index);
the plans by state for the daily run's plan check and the portal's waiting proposals; a
case's plans (every state); a case's payments by day (the plan check's paid-since sum, one
index range per running plan instead of the company's payments).
PostgreSQL: row-level security as on every tenant table (0011_scope).

Revision ID: 0027_payment_plan
Revises: 0026_debtor_objection
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies
from fordring.adapters.db.types import MoneyType

revision = "0027_payment_plan"
down_revision = "0026_debtor_objection"
branch_labels = None
depends_on = None

OPEN_PLAN = "state IN ('proposed', 'running')"


def _money(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, MoneyType(precision=18, scale=2), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "payment_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer()),
        _money("amount", nullable=True),
        _money("total"),
        sa.Column("addition", MoneyType(precision=18, scale=2), nullable=False, server_default="0"),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("proposed_by", sa.String(100), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False, server_default=""),
        sa.Column("decided_on", sa.Date()),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("ended_on", sa.Date()),
        sa.Column("reminded_for", sa.Integer()),
        sa.Column("reminder_deadline", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_payment_plan"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_payment_plan_company_id_company"
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "case_id"],
            ["collection_case.company_id", "collection_case.id"],
            name="fk_payment_plan_case_id_collection_case_same_company",
        ),
    )
    op.create_index(
        "uq_payment_plan_company_id_id", "payment_plan", ["company_id", "id"], unique=True
    )
    op.create_index(
        "uq_payment_plan_open",
        "payment_plan",
        ["company_id", "case_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_PLAN),
        postgresql_where=sa.text(OPEN_PLAN),
    )
    op.create_index("ix_payment_plan_company_id_state", "payment_plan", ["company_id", "state"])
    op.create_index("ix_payment_plan_company_id_case_id", "payment_plan", ["company_id", "case_id"])
    op.create_index(
        "ix_payment_company_id_case_id_received_on",
        "payment",
        ["company_id", "case_id", "received_on"],
    )
    op.create_table(
        "payment_plan_instalment",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        _money("amount"),
        sa.PrimaryKeyConstraint("plan_id", "seq", name="pk_payment_plan_instalment"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_payment_plan_instalment_company_id_company"
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "plan_id"],
            ["payment_plan.company_id", "payment_plan.id"],
            name="fk_payment_plan_instalment_plan_id_payment_plan_same_company",
        ),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("payment_plan", "payment_plan_instalment"):
        tenant_policies(table)


def downgrade() -> None:
    op.drop_index("ix_payment_company_id_case_id_received_on", table_name="payment")
    op.drop_table("payment_plan_instalment")
    op.drop_table("payment_plan")
