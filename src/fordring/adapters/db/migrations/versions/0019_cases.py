"""Issue 18, the portal's case list: a page of one state's cases, or of one customer's,
by number (keyset pagination) read from an index in number order instead of sorting
every case of the state or scanning the company's cases for the customer's.

Revision ID: 0019_cases
Revises: 0018_users
"""

from __future__ import annotations

from alembic import op

revision = "0019_cases"
down_revision = "0018_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_collection_case_company_id_state_number",
        "collection_case",
        ["company_id", "state", "number"],
    )
    op.create_index(
        "ix_collection_case_company_id_customer_id_number",
        "collection_case",
        ["company_id", "customer_id", "number"],
    )


def downgrade() -> None:
    op.drop_index("ix_collection_case_company_id_customer_id_number", "collection_case")
    op.drop_index("ix_collection_case_company_id_state_number", "collection_case")
