"""The tables of a collector serving many creditors (issue 13): collectors, client accounts,
creditors, client KIDs, bank files and the unassigned client payments."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from fordring.adapters.db.tables_ledger import metadata, same_company
from fordring.adapters.db.types import MoneyType

# A licensed collector above the companies: its details and its client account(s).
collector = Table(
    "collector",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("orgnr", String(9), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("licence", String(200), nullable=False, server_default=""),
    Column("street", String(200), nullable=False, server_default=""),
    Column("postcode", String(10), nullable=False, server_default=""),
    Column("city", String(100), nullable=False, server_default=""),
    Column("phone", String(30), nullable=False, server_default=""),
    Column("email", String(200), nullable=False, server_default=""),
)

# A client account (klientkonto) belongs to one collector.
client_account = Table(
    "client_account",
    metadata,
    Column("account", String(11), primary_key=True),
    Column("collector_id", ForeignKey("collector.id"), nullable=False),
    Column("position", Integer, nullable=False),  # the first is the one on new letters
)

# The creditors a collector serves; `number` is the creditor's part of its case KIDs.
collector_creditor = Table(
    "collector_creditor",
    metadata,
    Column("company_id", ForeignKey("company.id"), primary_key=True),  # one collector each
    Column("collector_id", ForeignKey("collector.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("since", Date, nullable=False),
    Column("stopped_on", Date),  # the day the collector stopped serving it (NULL: served)
    UniqueConstraint("collector_id", "number"),
)

# Case KIDs paid to a collector's client account: unique per collector across its creditors,
# so one bank file to the client account routes each payment to exactly one creditor.
client_kid = Table(
    "client_kid",
    metadata,
    Column("collector_id", ForeignKey("collector.id"), primary_key=True),
    Column("kid", String(25), primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", Integer, nullable=False),
    same_company("client_kid", "case_id", "collection_case"),
)

# A bank file to a client account, read once by the collector.
collector_bank_file = Table(
    "collector_bank_file",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collector_id", ForeignKey("collector.id"), nullable=False),
    Column("format", String(10), nullable=False),
    Column("file_id", String(100), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("filename", String(500), nullable=False),
    Column("imported_on", Date, nullable=False),
    Column("transactions", Integer, nullable=False),
    Column("total", MoneyType, nullable=False),
    UniqueConstraint("collector_id", "sha256"),
    UniqueConstraint("collector_id", "format", "file_id"),
)

# The collector's queue: client-account payments no creditor's KID claimed. Assigned by
# hand to one creditor, where it is booked (`company_id`, `payment_id`).
client_payment = Table(
    "client_payment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collector_id", ForeignKey("collector.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("bank_file_id", ForeignKey("collector_bank_file.id"), nullable=False),
    Column("account", String(11), nullable=False),
    Column("place", String(100), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("amount", MoneyType, nullable=False),  # negative for a reversal
    Column("kid", String(25), nullable=False, server_default=""),
    Column("text", String(500), nullable=False, server_default=""),
    Column("payer_name", String(200), nullable=False, server_default=""),
    Column("payer_account", String(34), nullable=False, server_default=""),
    Column("archive_ref", String(100), nullable=False, server_default=""),
    Column("status", String(10), nullable=False),  # queued | assigned
    Column("company_id", ForeignKey("company.id")),
    Column("payment_id", Integer),
    Column("assigned_on", Date),
    UniqueConstraint("collector_id", "number"),
    Index(None, "collector_id", "status"),
)
