"""The payment plans and deferrals of collection cases and their instalments (issue 19,
migration 0027_payment_plan)."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text, text

from fordring.adapters.db.tables_ledger import metadata, same_company, same_company_key
from fordring.adapters.db.types import MoneyType

# At most one open (proposed or running) plan a case: the partial unique index makes two
# proposals at the same moment one plan, whichever lock order the databases take.
OPEN_PLAN = "state IN ('proposed', 'running')"

payment_plan = Table(
    "payment_plan",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", Integer, nullable=False),
    Column("kind", String(12), nullable=False),  # instalments | deferral
    Column("state", String(12), nullable=False),  # PlanState
    Column("first_date", Date, nullable=False),
    Column("count", Integer),  # as proposed (NULL: by amount, or a deferral)
    Column("amount", MoneyType),  # the proposed instalment (NULL: by count)
    Column("total", MoneyType, nullable=False),  # what the schedule pays
    Column("addition", MoneyType, nullable=False, server_default=text("0")),  # salær (§ 2-4)
    Column("proposed_on", Date, nullable=False),
    Column("proposed_by", String(100), nullable=False),
    Column("reasons", Text, nullable=False, server_default=""),  # why it waited: CODE: text
    Column("decided_on", Date),
    Column("decided_by", String(100)),
    Column("ended_on", Date),  # rejected, broken or completed
    Column("reminded_for", Integer),  # the missed instalment the last reminder was about
    Column("reminder_deadline", Date),
    Index(
        "uq_payment_plan_open",
        "company_id",
        "case_id",
        unique=True,
        sqlite_where=text(OPEN_PLAN),
        postgresql_where=text(OPEN_PLAN),
    ),
    Index("ix_payment_plan_company_id_state", "company_id", "state"),
    Index("ix_payment_plan_company_id_case_id", "company_id", "case_id"),  # a case's plans
    same_company("payment_plan", "case_id", "collection_case"),
    same_company_key("payment_plan"),
)

payment_plan_instalment = Table(
    "payment_plan_instalment",
    metadata,
    Column("plan_id", Integer, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("amount", MoneyType, nullable=False),
    same_company("payment_plan_instalment", "plan_id", "payment_plan"),
)
