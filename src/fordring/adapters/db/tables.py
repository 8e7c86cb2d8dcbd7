"""The schema as SQLAlchemy Core tables. Every record belongs to a company (tenant).

Vouchers and postings are append-only and checked for balance by triggers (triggers.py);
`invoice.open_amount` is the open item's balance, kept equal to the sum of its receivable
postings by the same transaction that writes them (checked by `ledger check`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from fordring.adapters.db.types import ExactDecimal, MoneyType

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

company = Table(
    "company",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("orgnr", String(9), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("street", String(200), nullable=False, server_default=""),
    Column("postcode", String(10), nullable=False, server_default=""),
    Column("city", String(100), nullable=False, server_default=""),
    Column("country", String(2), nullable=False, server_default="NO"),
    Column("account", String(11), nullable=False),
    Column("email", String(200), nullable=False, server_default=""),
    Column("vat_registered", Boolean, nullable=False),
    Column("foretaksregisteret", Boolean, nullable=False),
    Column("kid_algorithm", String(5), nullable=False),
    Column("kid_length", Integer, nullable=False),
    Column("default_terms_days", Integer, nullable=False),
)

number_series = Table(
    "number_series",
    metadata,
    Column("company_id", ForeignKey("company.id"), primary_key=True),
    Column("series", String(20), primary_key=True),
    Column("next_value", BigInteger, nullable=False),
)

# Blocks of ids for bulk writes (invoices, vouchers): taken with one UPDATE per batch on
# SQLite; on PostgreSQL from one sequence per kind, `id_seq_<name>`, through the function
# `fordring_reserve_ids` (migration 0011_races), so no row lock is shared across companies.
id_allocator = Table(
    "id_allocator",
    metadata,
    Column("name", String(30), primary_key=True),
    Column("next_value", BigInteger, nullable=False),
)

voucher_type = Table(
    "voucher_type",
    metadata,
    Column("company_id", ForeignKey("company.id"), primary_key=True),
    Column("code", String(10), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("collection", String(20), nullable=False),
)

customer = Table(
    "customer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("name", String(200), nullable=False),
    Column("orgnr", String(9)),
    Column("birth_date", Date),
    Column("street", String(200), nullable=False, server_default=""),
    Column("postcode", String(10), nullable=False, server_default=""),
    Column("city", String(100), nullable=False, server_default=""),
    Column("country", String(2), nullable=False, server_default="NO"),
    Column("email", String(200), nullable=False, server_default=""),
    Column("phone", String(30), nullable=False, server_default=""),
    Column("peppol_id", String(60)),
    Column("language", String(2), nullable=False, server_default="nb"),
    Column("reminder_exempt", Boolean, nullable=False, server_default=text("false")),
    # The e-mail address is a reliable channel (inkassoloven § 3a) for notices and demands.
    Column("email_reliable", Boolean, nullable=False, server_default=text("false")),
    Column("email_reliable_since", Date),  # issue 12: the day the mark was set (§ 3 a)
    UniqueConstraint("company_id", "number"),
    Index(None, "company_id", "orgnr"),
)

invoice = Table(
    "invoice",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("customer_id", ForeignKey("customer.id"), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("exchange_rate", ExactDecimal, nullable=False),
    Column("net", MoneyType, nullable=False),
    Column("vat", MoneyType, nullable=False),
    Column("total", MoneyType, nullable=False),
    Column("total_nok", MoneyType, nullable=False),
    Column("open_amount", MoneyType, nullable=False),
    Column("kid", String(25), nullable=False),
    Column("credits_invoice_id", ForeignKey("invoice.id")),
    Column("reminder_exempt", Boolean, nullable=False),
    Column("voucher_id", BigInteger, nullable=False),
    UniqueConstraint("company_id", "number"),
    Index(None, "company_id", "kid"),
    Index(None, "customer_id"),
    Index(
        "ix_invoice_open_items",
        "company_id",
        "due_date",
        sqlite_where=text("open_amount <> 0"),
        postgresql_where=text("open_amount <> 0"),
    ),
)

invoice_line = Table(
    "invoice_line",
    metadata,
    Column("invoice_id", Integer, primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("description", String(500), nullable=False),
    Column("quantity", ExactDecimal, nullable=False),
    Column("unit_price", ExactDecimal, nullable=False),
    Column("vat_rate", ExactDecimal, nullable=False),
    Column("net", MoneyType, nullable=False),
    sqlite_with_rowid=False,
)

voucher = Table(
    "voucher",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("type_code", String(10), nullable=False),
    Column("date", Date, nullable=False),
    Column("text", String(300), nullable=False),
    Column("reverses_id", BigInteger),
    UniqueConstraint("company_id", "number"),
)

# No foreign key to voucher: postings are written before their voucher so that the
# voucher's insert trigger can check the balance (see triggers.py).
posting = Table(
    "posting",
    metadata,
    Column("voucher_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("account", String(4), nullable=False),
    Column("amount", MoneyType, nullable=False),
    Column("customer_id", Integer),
    Column("invoice_id", Integer),
    Column("text", String(300), nullable=False, server_default=""),
    Column("charge_id", Integer),  # the open item of a fee or interest charge
    sqlite_with_rowid=False,
)
# What was paid on a charge, and when: a replayed day sees it still open.
Index(
    "ix_posting_charge_id",
    posting.c.charge_id,
    sqlite_where=text("charge_id IS NOT NULL"),
    postgresql_where=text("charge_id IS NOT NULL"),
)
# What was paid or credited on an invoice, and when: the interest on a collection case.
Index(
    "ix_posting_invoice_id",
    posting.c.invoice_id,
    sqlite_where=text("invoice_id IS NOT NULL"),
    postgresql_where=text("invoice_id IS NOT NULL"),
)

import_batch = Table(
    "import_batch",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("filename", String(500), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("imported_on", Date, nullable=False),
    UniqueConstraint("company_id", "kind", "sha256"),
)


# --- collection (issue 4) ----------------------------------------------------------------

# The agreement as overrides of the domain's defaults: a setting never set is the default.
collection_setting = Table(
    "collection_setting",
    metadata,
    Column("company_id", ForeignKey("company.id"), primary_key=True),
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

collection_case = Table(
    "collection_case",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("customer_id", ForeignKey("customer.id"), nullable=False),
    Column("kid", String(25), nullable=False),
    Column("state", String(20), nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("resume_state", String(20)),  # where a paused or objected case resumes
    Column("paused_on", Date),  # a paused case closes by itself 6 months later
    Column("closed_reason", String(20)),
    Column("list_sent_on", Date),  # the day the collection list naming the case was sent
    # The first day a step can apply (date.min: the next run; date.max: only after a change).
    Column("wake_on", Date, nullable=False, server_default=text("'0001-01-01'")),
    Column("approved_on", Date),  # the creditor approved the hand-over (manual mode)
    # issue 12, merging: the case in collection this case's claims moved to at hand-over
    Column("merged_into", ForeignKey("collection_case.id")),
    # issue 12, engine: the rate a case waits for (NULL: not held), and since which day
    Column("held_reason", String(500)),
    Column("held_on", Date),
    # issue 12, engine: the agreement's collector on the day of the hand-over (NULL: own)
    Column("collector_name", String(200)),
    Column("collector_orgnr", String(20)),
    # issue 12, objections: resumed after an objection; the stage's letter is sent again
    Column("letter_asked_on", Date),
    UniqueConstraint("company_id", "number"),
    UniqueConstraint("company_id", "kid"),
    Index(None, "company_id", "state"),
    Index("ix_collection_case_company_id_wake_on", "company_id", "wake_on"),
    Index(
        "ix_collection_case_merged_into",
        "merged_into",
        sqlite_where=text("merged_into IS NOT NULL"),
        postgresql_where=text("merged_into IS NOT NULL"),
    ),
)

# An invoice is in at most one case; each keeps its own legal state (fees, deadlines).
case_invoice = Table(
    "case_invoice",
    metadata,
    Column("case_id", ForeignKey("collection_case.id"), primary_key=True),
    Column("invoice_id", ForeignKey("invoice.id"), primary_key=True),
    # issue 12, limitation: the creditor's stated interruption (foreldelsesloven §§ 14-17)
    Column("limitation_interrupted_on", Date),
    UniqueConstraint("invoice_id"),
)

# The case history (SPEC C11): append-only, with the business day, the time and the actor.
case_event = Table(
    "case_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("collection_case.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("text", String(1000), nullable=False),
    # issue 13: the event's structured fields as JSON text (docs/events.md)
    Column("payload", Text, nullable=False, server_default="{}"),
    Index(None, "case_id"),
)

# A letter sent in a case (reminder, notice, ...), its PDF in the outbox, and per invoice
# the fee it charged: the history the law's fee rules look at.
case_letter = Table(
    "case_letter",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("collection_case.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("letter_date", Date, nullable=False),
    Column("deadline", Date),
    Column("language", String(2), nullable=False),
    Column("fee_total", MoneyType, nullable=False),
    Column("total", MoneyType, nullable=False),
    Column("location", String(500), nullable=False),  # '' until the PDF is rendered
    Column("sha256", String(64), nullable=False),
    Column("content", Text),  # the letter as data (JSON): what the PDF is rendered from
    UniqueConstraint("case_id", "kind", "letter_date"),
    Index(
        "ix_case_letter_unrendered",
        "id",
        sqlite_where=text("location = ''"),
        postgresql_where=text("location = ''"),
    ),
)

case_letter_invoice = Table(
    "case_letter_invoice",
    metadata,
    Column("letter_id", ForeignKey("case_letter.id"), primary_key=True),
    Column("invoice_id", ForeignKey("invoice.id"), primary_key=True),
    Column("fee", MoneyType, nullable=False),
    Column("fee_reason", String(500), nullable=False),
)

# Fees (and later interest and salær) charged on an invoice in collection: open items of
# their own, booked debit 1500 (posting.charge_id) and credit the agreement's fee account.
charge = Table(
    "charge",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", ForeignKey("collection_case.id"), nullable=False),
    Column("invoice_id", ForeignKey("invoice.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("amount", MoneyType, nullable=False),
    Column("open_amount", MoneyType, nullable=False),
    Column("charged_on", Date, nullable=False),
    Column("letter_id", ForeignKey("case_letter.id")),
    Column("voucher_id", BigInteger, nullable=False),
    Index(None, "case_id"),
    Index("ix_charge_invoice_id", "invoice_id"),  # the fees on an invoice, for its letters
)

# The days the daily run has done, so a missed day is caught up and a day is never run twice.
run_log = Table(
    "run_log",
    metadata,
    Column("company_id", ForeignKey("company.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("ran_at", String(32), nullable=False),
)


# --- payments and settlement (issue 5) ---------------------------------------------------

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
    Column("bank_file_id", ForeignKey("bank_file.id")),
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
    # Client-account payments not yet settled: what the next settlement pays out.
    Index(
        "ix_payment_unsettled",
        "company_id",
        "matched_on",
        sqlite_where=text("channel = 'client' AND settlement_id IS NULL"),
        postgresql_where=text("channel = 'client' AND settlement_id IS NULL"),
    ),
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

# A recurring invoice agreement (repeterende faktura, SPEC L6): fixed lines, an interval
# of months, the day of the month it is issued. `next_period` is the start of the first
# period not yet issued (None once the agreement has ended); `recurring_issue` holds one
# row per period issued, so a period is never issued twice.
recurring_agreement = Table(
    "recurring_agreement",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("customer_id", ForeignKey("customer.id"), nullable=False),
    Column("text", String(200), nullable=False),  # "Husleie": the period is added
    Column("interval_months", Integer, nullable=False),
    Column("issue_day", Integer, nullable=False),  # 1-28, or 31 for the month's last day
    Column("advance_months", Integer, nullable=False, server_default=text("0")),
    Column("terms_days", Integer, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("stopped_on", Date),
    Column("next_period", Date),
    Column("next_issue_on", Date),  # when `next_period` is to be issued
    UniqueConstraint("company_id", "number"),
    Index(None, "company_id", "next_issue_on"),
)

recurring_line = Table(
    "recurring_line",
    metadata,
    Column("agreement_id", ForeignKey("recurring_agreement.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("description", String(500), nullable=False),
    Column("quantity", ExactDecimal, nullable=False),
    Column("unit_price", ExactDecimal, nullable=False),
    Column("vat_rate", ExactDecimal, nullable=False),
)

recurring_issue = Table(
    "recurring_issue",
    metadata,
    Column("agreement_id", ForeignKey("recurring_agreement.id"), primary_key=True),
    Column("period_start", Date, primary_key=True),
    Column("period_end", Date, nullable=False),
    Column("period_text", String(300), nullable=False),
    Column("invoice_id", ForeignKey("invoice.id"), nullable=False, unique=True),
)

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
)

# A document to deliver (SPEC D3): an invoice, credit note, collection letter or the
# creditor's collection list, queued when it is made and delivered by the chain EHF ->
# e-mail -> paper. `state` is waiting, sent or failed; `channel` the one that took it.
dispatch = Table(
    "dispatch",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("kind", String(30), nullable=False),  # invoice, credit_note or the letter kind
    Column("invoice_id", ForeignKey("invoice.id"), unique=True),
    Column("letter_id", ForeignKey("case_letter.id"), unique=True),
    Column("customer_id", ForeignKey("customer.id")),  # None: the collection list
    Column("collection_list_id", ForeignKey("collection_list.id"), unique=True),
    Column("queued_on", Date, nullable=False),
    Column("state", String(10), nullable=False),
    Column("channel", String(10), nullable=False, server_default=""),
    Column("delivered_on", Date),
    Index(
        "ix_dispatch_waiting",
        "id",
        sqlite_where=text("state = 'waiting'"),
        postgresql_where=text("state = 'waiting'"),
    ),
    Index(None, "company_id", "queued_on"),
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


# --- a collector serving many creditors (issue 13) ---------------------------------------

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
    Column("case_id", ForeignKey("collection_case.id"), nullable=False),
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
