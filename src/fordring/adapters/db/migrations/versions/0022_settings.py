"""Issue 18, Innstillinger → Webhooks: an index of a company's webhook deliveries by id.

The portal's webhooks page shows a company's latest deliveries to any of its endpoints
(`ORDER BY id DESC LIMIT 20` under the company's filter). The one index by company,
(company_id, endpoint_id, id), serves an endpoint's deliveries (the API's pages), not the
company's across its endpoints: PostgreSQL would either walk the primary key backwards
past every other company's newer deliveries, or read all of the company's and sort them.
With (company_id, id) it reads the 20 rows it shows.

Revision ID: 0022_settings
Revises: 0021_invoices
"""

from __future__ import annotations

from alembic import op

revision = "0022_settings"
down_revision = "0021_invoices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_webhook_delivery_company_id_id", "webhook_delivery", ["company_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_delivery_company_id_id", table_name="webhook_delivery")
