"""The collection tables (issue 4): settings, cases and their invoices, history, letters,
charges and the run log."""

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
    UniqueConstraint,
    text,
)

from fordring.adapters.db.tables_ledger import metadata, same_company, same_company_key
from fordring.adapters.db.types import MoneyType

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
    Column("customer_id", Integer, nullable=False),
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
    Column("merged_into", Integer),
    # issue 12, engine: the rate a case waits for (NULL: not held), and since which day
    Column("held_reason", String(500)),
    Column("held_on", Date),
    # issue 12, engine: the agreement's collector on the day of the hand-over (NULL: own)
    Column("collector_name", String(200)),
    Column("collector_orgnr", String(20)),
    # issue 12, objections: resumed after an objection; the stage's letter is sent again
    Column("letter_asked_on", Date),
    # issue 19: a debtor's reported payment holds letters, fees and hand-over until this day
    Column("steps_held_until", Date),
    # issue 19: the debtor's oldest message not answered yet (NULL: none waiting)
    Column("debtor_waiting_since", Date),
    UniqueConstraint("company_id", "number"),
    UniqueConstraint("company_id", "kid"),
    # the cases per state, and with their wake-up day the cases the next run looks at,
    # both from the index alone (Oversikt; 0020_dashboard widened it by wake_on)
    Index(None, "company_id", "state", "wake_on"),
    Index("ix_collection_case_company_id_wake_on", "company_id", "wake_on"),
    # issue 18, the portal's case list: a state's or a customer's cases in number order
    Index("ix_collection_case_company_id_state_number", "company_id", "state", "number"),
    Index(
        "ix_collection_case_company_id_customer_id_number", "company_id", "customer_id", "number"
    ),
    # the cases opened in a period (Rapporter, collection performance; 0020_dashboard)
    Index(None, "company_id", "registered_on"),
    # the open cases held for a rate (Oversikt's next run leaves them out; 0020_dashboard)
    Index(
        "ix_collection_case_held",
        "company_id",
        "state",
        "wake_on",
        sqlite_where=text("held_reason IS NOT NULL"),
        postgresql_where=text("held_reason IS NOT NULL"),
    ),
    Index(
        "ix_collection_case_merged_into",
        "merged_into",
        sqlite_where=text("merged_into IS NOT NULL"),
        postgresql_where=text("merged_into IS NOT NULL"),
    ),
    # issue 19: Oversikt's count of cases with a debtor's message waiting for an answer
    Index(
        "ix_collection_case_debtor_waiting",
        "company_id",
        "debtor_waiting_since",
        sqlite_where=text("debtor_waiting_since IS NOT NULL"),
        postgresql_where=text("debtor_waiting_since IS NOT NULL"),
    ),
    same_company("collection_case", "customer_id", "customer"),
    same_company("collection_case", "merged_into", "collection_case"),
    same_company_key("collection_case"),
)

# An invoice is in at most one case; each keeps its own legal state (fees, deadlines).
case_invoice = Table(
    "case_invoice",
    metadata,
    Column("case_id", Integer, primary_key=True),
    Column("invoice_id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),  # the case's
    # issue 12, limitation: the creditor's stated interruption (foreldelsesloven §§ 14-17)
    Column("limitation_interrupted_on", Date),
    UniqueConstraint("invoice_id"),
    # the company's invoices in collection (0021_invoices): the portal's list of those
    # not in collection asks it, an index-only probe per invoice
    Index("ix_case_invoice_company", "company_id", "invoice_id"),
    Index("ix_case_invoice_company_case", "company_id", "case_id"),  # cases of several (0023)
    same_company("case_invoice", "case_id", "collection_case"),
    same_company("case_invoice", "invoice_id", "invoice"),
)

# The events that close a case (the webhooks' case.closed), the first closing it paid.
CLOSING_KINDS = (
    "close_settled",
    "close",
    "close_expired_pause",
    "close_time_barred",
    "write_off_remainder",
    "object_upheld",
)
CLOSING_EVENTS = "kind IN (" + ", ".join(f"'{kind}'" for kind in CLOSING_KINDS) + ")"

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
    # the cases closed in a period (Rapporter, collection performance; 0020_dashboard)
    Index(
        "ix_case_event_closing",
        "day",
        "case_id",
        sqlite_where=text(CLOSING_EVENTS),
        postgresql_where=text(CLOSING_EVENTS),
    ),
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
    Column("case_id", Integer, nullable=False),
    Column("invoice_id", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("amount", MoneyType, nullable=False),
    Column("open_amount", MoneyType, nullable=False),
    Column("charged_on", Date, nullable=False),
    Column("letter_id", ForeignKey("case_letter.id")),
    Column("voucher_id", BigInteger, nullable=False),
    Index(None, "case_id"),
    Index("ix_charge_invoice_id", "invoice_id"),  # the fees on an invoice, for its letters
    same_company("charge", "case_id", "collection_case"),
    same_company("charge", "invoice_id", "invoice"),
)

# The days the daily run has done, so a missed day is caught up and a day is never run twice.
run_log = Table(
    "run_log",
    metadata,
    Column("company_id", ForeignKey("company.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("ran_at", String(32), nullable=False),
)

# The parts of a day of the run still to do or done (docs/workers.md, "The day as jobs"):
# the start of the day plans one row per chunk of woken cases (part 0 is the start itself),
# each chunk marks its own row done, and the end of the day deletes them all with the run
# log's row, so a day run to its end leaves none. A chunk is the cases of the customers
# with ids in (after_customer, up_to_customer] (up_to_customer NULL: no upper end).
day_part = Table(
    "day_part",
    metadata,
    Column("company_id", ForeignKey("company.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("part", Integer, primary_key=True),
    Column("after_customer", Integer, nullable=False),
    Column("up_to_customer", Integer, nullable=True),
    Column("done", Boolean, nullable=False),
)
