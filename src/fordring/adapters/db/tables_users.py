"""The portal's tables (migration 0018_users): the users of each company and their
sessions (docs/portal.md)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from fordring.adapters.db.tables_ledger import metadata, same_company_key

# A person who signs in to the portal: an e-mail unique within the company, a role, the
# argon2id hash of the password (never the password), and the count of wrong passwords in
# a row with the moment a lockout ends. Moments are stored in UTC.
app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("email", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_on", Date, nullable=False),
    Column("disabled_on", Date),
    UniqueConstraint("company_id", "email", name="uq_app_user_email"),
    same_company_key("app_user"),
)

# A signed-in browser: only the SHA-256 of its token (the cookie's value) is kept; open
# until `expires_at` or until signed out (`ended_at`). Its user is its company's (decision
# 0005: a child names its parent with the company).
user_session = Table(
    "user_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Index("ix_user_session_user", "user_id"),
    ForeignKeyConstraint(
        ["company_id", "user_id"],
        ["app_user.company_id", "app_user.id"],
        name="fk_user_session_user_same_company",
    ),
)
