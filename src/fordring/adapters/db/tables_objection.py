"""The debtor's objections (issue 19, migration 0026_debtor_objection): one row per
objection or addition to it, with the attached file's stored name, type, size and hash
(the file itself lies in the attachment folder, never in the database)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from fordring.adapters.db.tables_ledger import metadata, same_company

case_objection = Table(
    "case_objection",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", Integer, nullable=False),
    Column("day", Date, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("addition", Boolean, nullable=False),  # to a case already objected
    # the attached file (all NULL: none): its random name in the company's folder, the
    # client's name made safe to show, its type by content, size and SHA-256
    Column("attachment_key", String(64)),
    Column("attachment_name", String(200)),
    Column("attachment_type", String(40)),
    Column("attachment_size", BigInteger),
    Column("attachment_sha256", String(64)),
    Index("ix_case_objection_company_case", "company_id", "case_id"),
    same_company("case_objection", "case_id", "collection_case"),
)
