"""Issue 18, the portal's Oversikt and Rapporter, so their figures read only the rows they
are about (docs/portal.md, "Oversikt"): the cases' (company_id, state) index widened by
the wake-up day (the cases per state and those the next run looks at, from the index
alone), the cases by the day they were opened (the cases opened in a report's period),
and three small partial indexes: the cases held for a rate (left out of the next run),
the failed documents of a company by their retries, and the events that closed a case
by day (the cases closed in a report's period).

Revision ID: 0020_dashboard
Revises: 0019_cases
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_dashboard"
down_revision = "0019_cases"
branch_labels = None
depends_on = None

CLOSING_EVENTS = (
    "kind IN ('close_settled', 'close', 'close_expired_pause', 'close_time_barred',"
    " 'write_off_remainder', 'object_upheld')"
)


def upgrade() -> None:
    with op.batch_alter_table("collection_case") as batch_op:
        batch_op.drop_index("ix_collection_case_company_id_state")
        batch_op.create_index(
            "ix_collection_case_company_id_state_wake_on", ["company_id", "state", "wake_on"]
        )
        batch_op.create_index(
            "ix_collection_case_company_id_registered_on", ["company_id", "registered_on"]
        )
    op.create_index(
        "ix_collection_case_held",
        "collection_case",
        ["company_id", "state", "wake_on"],
        sqlite_where=sa.text("held_reason IS NOT NULL"),
        postgresql_where=sa.text("held_reason IS NOT NULL"),
    )
    op.create_index(
        "ix_dispatch_failed",
        "dispatch",
        ["company_id", "auto_retries"],
        sqlite_where=sa.text("state = 'failed'"),
        postgresql_where=sa.text("state = 'failed'"),
    )
    op.create_index(
        "ix_case_event_closing",
        "case_event",
        ["day", "case_id"],
        sqlite_where=sa.text(CLOSING_EVENTS),
        postgresql_where=sa.text(CLOSING_EVENTS),
    )


def downgrade() -> None:
    op.drop_index("ix_case_event_closing", table_name="case_event")
    op.drop_index("ix_dispatch_failed", table_name="dispatch")
    op.drop_index("ix_collection_case_held", table_name="collection_case")
    with op.batch_alter_table("collection_case") as batch_op:
        batch_op.drop_index("ix_collection_case_company_id_registered_on")
        batch_op.drop_index("ix_collection_case_company_id_state_wake_on")
        batch_op.create_index("ix_collection_case_company_id_state", ["company_id", "state"])
