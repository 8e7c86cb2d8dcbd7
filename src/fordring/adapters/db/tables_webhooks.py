"""The webhook tables (issue 17): a company's endpoints and the event types each wants, the
messages (the outbox: written in the transaction of the change) and one delivery per message
and endpoint, with its attempts and when it is tried next."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from fordring.adapters.db.tables_ledger import metadata, same_company_key


def _same_company(child: str) -> ForeignKeyConstraint:
    """`same_company(child, "endpoint_id", "webhook_endpoint")` under a name PostgreSQL's 63
    characters hold."""
    return ForeignKeyConstraint(
        ["company_id", "endpoint_id"],
        ["webhook_endpoint.company_id", "webhook_endpoint.id"],
        name=f"fk_{child}_endpoint_same_company",
    )


webhook_endpoint = Table(
    "webhook_endpoint",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("secret", String(100), nullable=False),  # whsec_…: the receiver needs it as it is
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", String(500), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    same_company_key("webhook_endpoint"),
)

# The event types an endpoint wants, one row each (the outbox joins on them).
webhook_subscription = Table(
    "webhook_subscription",
    metadata,
    Column("company_id", Integer, nullable=False),
    Column("endpoint_id", Integer, nullable=False),
    Column("event_type", String(40), nullable=False),
    PrimaryKeyConstraint("endpoint_id", "event_type"),
    _same_company("webhook_subscription"),
)

# One event to send: its body is stored as it will be signed, so retries send the same bytes.
webhook_message = Table(
    "webhook_message",
    metadata,
    Column("id", String(40), primary_key=True),  # msg_…, the webhook-id header
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),
    Index(None, "company_id", "created_at"),
)

# A message to one endpoint. `state`: waiting (tried at `next_at`), delivered, failed (the
# retries ran out, or the endpoint answered 410), held (waiting while its endpoint is
# disabled; waiting again when it is enabled). A claimed delivery's `next_at` is moved on
# by the claim, so a worker that dies while sending leaves it due again later.
webhook_delivery = Table(
    "webhook_delivery",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("message_id", ForeignKey("webhook_message.id"), nullable=False),
    Column("endpoint_id", Integer, nullable=False),
    Column("state", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_at", DateTime(timezone=True), nullable=False),
    Column("last_status", Integer),  # the receiver's last HTTP status (none: no answer)
    Column("last_error", String(500), nullable=False, server_default=""),
    Column("delivered_at", DateTime(timezone=True)),
    UniqueConstraint("message_id", "endpoint_id"),
    _same_company("webhook_delivery"),
    Index(None, "state", "next_at"),
    Index(None, "company_id", "endpoint_id", "id"),
    Index(None, "company_id", "id"),  # a company's latest deliveries (the portal's page)
)
