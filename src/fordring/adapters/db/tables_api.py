"""The REST API's tables (migration 0015_api): API keys and the responses of idempotent
requests (docs/api.md)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from fordring.adapters.db.tables_ledger import metadata

# A key of one company (company_id) or of a collector (collector_id), which then names the
# creditor it acts for in each request. Only the prefix and an HMAC-SHA256 of the secret
# are kept: the secret is shown once, when the key is made.
api_key = Table(
    "api_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id")),
    Column("collector_id", ForeignKey("collector.id")),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("secret_hmac", String(64), nullable=False),
    Column("created_on", Date, nullable=False),
    Column("revoked_on", Date),
    CheckConstraint("(company_id IS NULL) <> (collector_id IS NULL)", name="ck_api_key_one_owner"),
)

# The response of a POST sent with an `Idempotency-Key`, written in the transaction of the
# request's effect: a repeat gets this response, and a repeat with another body a 422.
idempotent_request = Table(
    "idempotent_request",
    metadata,
    Column("company_id", ForeignKey("company.id"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_on", Date, nullable=False),
)
