"""Recurring invoices, the delivery queue and log, the Peppol receiver cache (issue 6).

`recurring_agreement` / `recurring_line` hold the agreements, `recurring_issue` one row per
period issued (its primary key makes a period issue once). `dispatch` is every document to
deliver (invoice, credit note, collection letter) and `delivery_attempt` every try on a
channel. `peppol_receiver` caches what the SML/SMP said. `customer.email_reliable` marks an
address as a reliable channel for collection notices and demands (inkassoloven § 3a).
Letters stored before this revision and not yet rendered are queued for delivery.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fordring.adapters.db.types import ExactDecimal

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WAITING = "state = 'waiting'"


def upgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.add_column(
            sa.Column("email_reliable", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    _recurring()
    _delivery()
    op.create_table(
        "peppol_receiver",
        sa.Column("participant", sa.String(length=60), nullable=False),
        sa.Column("document_type", sa.String(length=300), nullable=False),
        sa.Column("can_receive", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("smp_url", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("reason", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("participant", "document_type", name=op.f("pk_peppol_receiver")),
    )
    # Companies registered before this revision get a recurring-agreement series too.
    op.execute(
        "INSERT INTO number_series (company_id, series, next_value) "
        "SELECT id, 'recurring', 1 FROM company"
    )
    # Letters stored but not yet rendered go through the delivery chain from now on.
    op.execute(
        "INSERT INTO dispatch (company_id, kind, letter_id, customer_id, queued_on, state, channel)"
        " SELECT c.company_id, l.kind, l.id, c.customer_id, l.letter_date, 'waiting', ''"
        " FROM case_letter l JOIN collection_case c ON c.id = l.case_id WHERE l.location = ''"
    )


def _recurring() -> None:
    op.create_table(
        "recurring_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("interval_months", sa.Integer(), nullable=False),
        sa.Column("issue_day", sa.Integer(), nullable=False),
        sa.Column("advance_months", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("terms_days", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("next_period", sa.Date(), nullable=True),
        sa.Column("next_issue_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_recurring_agreement_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_recurring_agreement_customer_id_customer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_agreement")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_recurring_agreement_company_id_number")
        ),
    )
    op.create_index(
        "ix_recurring_agreement_company_id_next_issue_on",
        "recurring_agreement",
        ["company_id", "next_issue_on"],
    )
    op.create_table(
        "recurring_line",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", ExactDecimal(), nullable=False),
        sa.Column("unit_price", ExactDecimal(), nullable=False),
        sa.Column("vat_rate", ExactDecimal(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["recurring_agreement.id"],
            name=op.f("fk_recurring_line_agreement_id_recurring_agreement"),
        ),
        sa.PrimaryKeyConstraint("agreement_id", "position", name=op.f("pk_recurring_line")),
    )
    op.create_table(
        "recurring_issue",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("period_text", sa.String(length=300), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["recurring_agreement.id"],
            name=op.f("fk_recurring_issue_agreement_id_recurring_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_recurring_issue_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("agreement_id", "period_start", name=op.f("pk_recurring_issue")),
        sa.UniqueConstraint("invoice_id", name=op.f("uq_recurring_issue_invoice_id")),
    )


def _delivery() -> None:
    op.create_table(
        "dispatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("queued_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False, server_default=""),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_dispatch_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_dispatch_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"], ["case_letter.id"], name=op.f("fk_dispatch_letter_id_case_letter")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_dispatch_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch")),
        sa.UniqueConstraint("invoice_id", name=op.f("uq_dispatch_invoice_id")),
        sa.UniqueConstraint("letter_id", name=op.f("uq_dispatch_letter_id")),
    )
    op.create_index(
        "ix_dispatch_waiting",
        "dispatch",
        ["id"],
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
    )
    op.create_index("ix_dispatch_company_id_queued_on", "dispatch", ["company_id", "queued_on"])
    op.create_table(
        "delivery_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispatch_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispatch_id"], ["dispatch.id"], name=op.f("fk_delivery_attempt_dispatch_id_dispatch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempt")),
    )
    op.create_index("ix_delivery_attempt_dispatch_id", "delivery_attempt", ["dispatch_id"])


def downgrade() -> None:
    op.drop_table("peppol_receiver")
    op.drop_index("ix_delivery_attempt_dispatch_id", table_name="delivery_attempt")
    op.drop_table("delivery_attempt")
    op.drop_index("ix_dispatch_company_id_queued_on", table_name="dispatch")
    op.drop_index("ix_dispatch_waiting", table_name="dispatch")
    op.drop_table("dispatch")
    op.drop_table("recurring_issue")
    op.drop_table("recurring_line")
    op.drop_index(
        "ix_recurring_agreement_company_id_next_issue_on", table_name="recurring_agreement"
    )
    op.drop_table("recurring_agreement")
    op.execute("DELETE FROM number_series WHERE series = 'recurring'")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("email_reliable")
