"""The delivery tables (SPEC D3, C9): collection lists, dispatches, delivery attempts and the
Peppol receiver cache."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from fordring.adapters.db.tables_ledger import metadata, same_company, same_company_key

UNBATCHED = "post_day IS NOT NULL AND print_batch IS NULL"

# A collection list a day made (SPEC C9), as data: the delivery step renders it into the
# outbox and e-mails it to `email` (when the agreement names one) after the day commits.
collection_list = Table(
    "collection_list",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("list_date", Date, nullable=False),
    Column("email", String(200), nullable=False, server_default=""),
    Column("content", Text, nullable=False),  # the list as JSON (list_codec.py)
    UniqueConstraint("company_id", "list_date"),
    same_company_key("collection_list"),
)

# A document to deliver (SPEC D3): an invoice, credit note, collection letter or the
# creditor's collection list, queued when it is made and delivered by the chain EHF ->
# e-mail -> paper. `state` is waiting, sent or failed; `channel` the one that took it.
# A customer's document sent on paper records the day whose post it went in (`post_day`),
# its name in that day's outbox folder, and, once made, its print batch: the day's
# company-wide batch number (issue 14). Sent and not yet in a batch is what a crash left.
dispatch = Table(
    "dispatch",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("kind", String(30), nullable=False),  # invoice, credit_note or the letter kind
    Column("invoice_id", Integer, unique=True),
    Column("letter_id", ForeignKey("case_letter.id"), unique=True),
    Column("customer_id", Integer),  # None: the collection list
    Column("collection_list_id", Integer, unique=True),
    Column("queued_on", Date, nullable=False),
    Column("state", String(10), nullable=False),
    Column("channel", String(10), nullable=False, server_default=""),
    Column("delivered_on", Date),
    Column("post_day", Date),
    Column("paper_name", String(200)),
    Column("print_batch", Integer),
    # How often the periodic retry queued it again after it failed (0015_sched; bounded).
    Column("auto_retries", Integer, nullable=False, server_default="0"),
    Index(
        "ix_dispatch_waiting",
        "id",
        sqlite_where=text("state = 'waiting'"),
        postgresql_where=text("state = 'waiting'"),
    ),
    # the failed documents, waiting for a person or for the retry (Oversikt; 0020_dashboard)
    Index(
        "ix_dispatch_failed",
        "company_id",
        "auto_retries",
        sqlite_where=text("state = 'failed'"),
        postgresql_where=text("state = 'failed'"),
    ),
    Index(None, "company_id", "queued_on"),
    Index("ix_dispatch_post_day", "company_id", "post_day"),
    Index(
        "ix_dispatch_unbatched",
        "company_id",
        "post_day",
        sqlite_where=text(UNBATCHED),
        postgresql_where=text(UNBATCHED),
    ),
    same_company("dispatch", "invoice_id", "invoice"),
    same_company("dispatch", "customer_id", "customer"),
    same_company("dispatch", "collection_list_id", "collection_list"),
)

# Every attempt to deliver a document on a channel, with its outcome: sent (with the
# channel's reference), failed (with the reason) or skipped (why the channel was not used).
delivery_attempt = Table(
    "delivery_attempt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dispatch_id", ForeignKey("dispatch.id"), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("detail", String(1000), nullable=False),
    Index(None, "dispatch_id"),
)

# What the Peppol SML/SMP (or the offline list) said of a participant and a document type
# (invoices, credit notes): a cache.
peppol_receiver = Table(
    "peppol_receiver",
    metadata,
    Column("participant", String(60), primary_key=True),
    Column("document_type", String(300), primary_key=True),
    Column("can_receive", Boolean, nullable=False),
    Column("source", String(20), nullable=False),
    Column("smp_url", String(500), nullable=False, server_default=""),
    Column("reason", String(500), nullable=False, server_default=""),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)
