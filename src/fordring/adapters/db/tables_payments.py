"""The payments and settlement tables (issue 5): bank files, payments and settlements, and
the bank files' look-alikes held for a person (issue 14)."""

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
    UniqueConstraint,
    false,
    text,
)

from fordring.adapters.db.tables_ledger import metadata, same_company, same_company_key
from fordring.adapters.db.types import MoneyType

# A bank file read once: the same content (sha256) or the same bank id is never read twice.
bank_file = Table(
    "bank_file",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("format", String(10), nullable=False),
    Column("file_id", String(100), nullable=False),  # OCR transmission / camt.054 MsgId
    Column("sha256", String(64), nullable=False),
    Column("filename", String(500), nullable=False),
    Column("imported_on", Date, nullable=False),
    Column("transactions", Integer, nullable=False),
    Column("total", MoneyType, nullable=False),
    UniqueConstraint("company_id", "sha256"),
    UniqueConstraint("company_id", "format", "file_id"),
    same_company_key("bank_file"),
)

# Every payment the bank reported (or one registered by hand) and what became of it. The
# money itself is in the ledger: `voucher_id` booked its arrival, `allocation_voucher_id`
# its allocation when matched later. The split columns say what it paid (settlement lines).
payment = Table(
    "payment",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("bank_file_id", Integer),
    Column("place", String(100), nullable=False),  # where in the file: "line 12"
    Column("channel", String(10), nullable=False),  # direct (own account) | client (collector)
    Column("received_on", Date, nullable=False),
    Column("amount", MoneyType, nullable=False),  # negative for a reversal
    Column("kid", String(25), nullable=False, server_default=""),
    Column("text", String(500), nullable=False, server_default=""),
    Column("payer_name", String(200), nullable=False, server_default=""),
    Column("payer_account", String(34), nullable=False, server_default=""),
    Column("archive_ref", String(100), nullable=False, server_default=""),
    Column("status", String(12), nullable=False),  # PaymentStatus
    Column("matched_by", String(12), nullable=False, server_default=""),
    Column("matched_on", Date),
    Column("customer_id", Integer),
    Column("case_id", Integer),
    Column("voucher_id", BigInteger, nullable=False),
    Column("allocation_voucher_id", BigInteger),
    Column("principal", MoneyType, nullable=False, server_default=text("0")),
    Column("interest", MoneyType, nullable=False, server_default=text("0")),
    Column("fees", MoneyType, nullable=False, server_default=text("0")),
    Column("salaer", MoneyType, nullable=False, server_default=text("0")),
    Column("credit", MoneyType, nullable=False, server_default=text("0")),
    Column("refunded", MoneyType, nullable=False, server_default=text("0")),
    Column("settlement_id", Integer),
    Column("reverses_id", Integer),  # a reversal: the payment it took back
    Column("invoice_numbers", String(500), nullable=False, server_default=""),  # paid on
    UniqueConstraint("company_id", "number"),
    Index(None, "company_id", "status"),
    Index(None, "company_id", "kid"),
    Index(None, "company_id", "received_on"),  # the days a bank file's look-alikes are on
    Index(None, "company_id", "case_id", "received_on"),  # a plan's case paid since (0024)
    # Client-account payments not yet settled: what the next settlement pays out.
    Index(
        "ix_payment_unsettled",
        "company_id",
        "matched_on",
        sqlite_where=text("channel = 'client' AND settlement_id IS NULL"),
        postgresql_where=text("channel = 'client' AND settlement_id IS NULL"),
    ),
    Index(  # a settlement's payments, by number: its page, PDF and CSV (0019)
        "ix_payment_settlement",
        "company_id",
        "settlement_id",
        "number",
        sqlite_where=text("settlement_id IS NOT NULL"),
        postgresql_where=text("settlement_id IS NOT NULL"),
    ),
    same_company("payment", "bank_file_id", "bank_file"),
    same_company("payment", "customer_id", "customer"),
    same_company("payment", "case_id", "collection_case"),
)

# A bank file's payment (or money out) that looks like one already booked: the same bank
# reference, amount and day, or (without a reference) the same KID, amount, day and payer
# account. Not booked: held for a person, who releases it (booked as the import would
# have) or drops it (the bank's file sent again: nothing is booked).
held_payment = Table(
    "held_payment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("bank_file_id", Integer, nullable=False),
    Column("place", String(100), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("amount", MoneyType, nullable=False),  # negative: money out (reversal, credit note)
    Column("kid", String(25), nullable=False, server_default=""),
    Column("text", String(500), nullable=False, server_default=""),
    Column("payer_name", String(200), nullable=False, server_default=""),
    Column("payer_account", String(34), nullable=False, server_default=""),
    Column("archive_ref", String(100), nullable=False, server_default=""),
    Column("transaction_type", String(10), nullable=False, server_default=""),
    Column("credit_note", Boolean, nullable=False, server_default=false()),
    Column("like_payment", BigInteger, nullable=False),  # the number of the payment it is like
    Column("reason", String(300), nullable=False),
    Column("status", String(10), nullable=False),  # held | released | dropped
    Column("decided_on", Date),
    Column("payment_number", BigInteger),  # released: the payment it was booked as
    UniqueConstraint("company_id", "number"),
    Index(None, "company_id", "status"),
    same_company("held_payment", "bank_file_id", "bank_file"),
)

# A settlement (oppgjør): what the collector paid out to the creditor on a banking day.
settlement = Table(
    "settlement",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("day", Date, nullable=False),
    Column("payments", Integer, nullable=False),
    Column("received", MoneyType, nullable=False),
    Column("kept", MoneyType, nullable=False),
    Column("paid_out", MoneyType, nullable=False),
    Column("voucher_id", BigInteger),  # None: it nets to nothing
    Column("pdf", String(500), nullable=False, server_default=""),  # '' until written
    Column("csv", String(500), nullable=False, server_default=""),
    UniqueConstraint("company_id", "number"),
    UniqueConstraint("company_id", "day"),
)
