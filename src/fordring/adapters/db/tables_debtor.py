"""The debtor's page's tables (migration 0024_debtor_access, docs/debtor_page.md): the
access codes letters print (their hashes), the debtors' sessions, and the wrong tries per
client address."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from fordring.adapters.db.tables_ledger import metadata, same_company

# A code and PIN printed on a letter of a case: only the code's SHA-256 (looked up by it:
# unique across the installation, so the code alone finds company and case) and the PIN's
# salted HMAC. Works while the case is open (a code a newer one replaced: for a while, not
# for ever, domain/debtor_access.py); wrong PINs in a row lock it. An invoice's code
# (agreement setting invoice_debtor_access, 0028) names the invoice instead of a case: it
# leads to the invoice's case once there is one (decision 0016).
debtor_access = Table(
    "debtor_access",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", Integer),
    Column("invoice_id", Integer),
    Column("letter_id", ForeignKey("case_letter.id")),  # NULL: given outside a letter
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("pin_salt", String(32), nullable=False),
    Column("pin_hash", String(64), nullable=False),
    # the PIN in clear only until its letter is sent (the outbox's copy, decision 0015)
    Column("pin_to_print", String(12)),
    # and the whole code likewise: the letter's content keeps only its last four characters
    Column("code_to_print", String(12)),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    # every wrong PIN the code ever had (not reset by a lock): at a limit the code is dead
    Column("wrong_total", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    Index("ix_debtor_access_case", "company_id", "case_id"),
    Index("ix_debtor_access_letter", "letter_id"),  # a letter's PIN, printed and forgotten
    # an invoice has one code (its first): sending it again, or twice at once, issues none
    Index("ix_debtor_access_invoice", "company_id", "invoice_id", unique=True),
    same_company("debtor_access", "case_id", "collection_case"),
    same_company("debtor_access", "invoice_id", "invoice"),
    CheckConstraint("(case_id IS NULL) <> (invoice_id IS NULL)", name="one_owner"),
)

# A signed-in debtor's browser: only the SHA-256 of its token (the cookie's value). Open
# until `expires_at` (idle or longest, whichever is first), signed out (`ended_at`), or
# its case closes. A session of an invoice code whose invoice had no case names the invoice.
debtor_session = Table(
    "debtor_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", Integer),
    Column("invoice_id", Integer),
    Column("access_id", ForeignKey("debtor_access.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Index("ix_debtor_session_case", "company_id", "case_id"),
    Index("ix_debtor_session_invoice", "company_id", "invoice_id"),
    same_company("debtor_session", "case_id", "collection_case"),
    same_company("debtor_session", "invoice_id", "invoice"),
    CheckConstraint("(case_id IS NULL) <> (invoice_id IS NULL)", name="one_owner"),
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
