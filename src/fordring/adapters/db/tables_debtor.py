"""The debtor's page's tables (migration 0024_debtor_access, docs/debtor_page.md): the
access codes letters print (their hashes), the debtors' sessions, and the wrong tries per
client address."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, Table

from fordring.adapters.db.tables_ledger import metadata, same_company

# A code and PIN printed on a letter of a case: only the code's SHA-256 (looked up by it:
# unique across the installation, so the code alone finds company and case) and the PIN's
# salted HMAC. Works until `expires_on` (or the case closes); wrong PINs in a row lock it.
debtor_access = Table(
    "debtor_access",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", Integer, nullable=False),
    Column("letter_id", ForeignKey("case_letter.id")),  # NULL: given outside a letter
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("pin_salt", String(32), nullable=False),
    Column("pin_hash", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    Index("ix_debtor_access_case", "company_id", "case_id"),
    same_company("debtor_access", "case_id", "collection_case"),
)

# A signed-in debtor's browser: only the SHA-256 of its token (the cookie's value). Open
# until `expires_at` (idle or longest, whichever is first), signed out (`ended_at`), or
# its case closes.
debtor_session = Table(
    "debtor_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", Integer, nullable=False),
    Column("access_id", ForeignKey("debtor_access.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Index("ix_debtor_session_case", "company_id", "case_id"),
    same_company("debtor_session", "case_id", "collection_case"),
)

# Wrong sign-in tries from one client address (its SHA-256: the address itself is not
# kept) in the window that started at `window_start`: shared by every web process.
debtor_address_try = Table(
    "debtor_address_try",
    metadata,
    Column("address_hash", String(64), primary_key=True),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("failures", Integer, nullable=False),
)
