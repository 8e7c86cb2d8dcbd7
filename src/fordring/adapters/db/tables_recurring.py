"""The recurring invoice tables (SPEC L6): agreements, their lines and the periods issued."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    text,
)

from fordring.adapters.db.tables_ledger import metadata, same_company
from fordring.adapters.db.types import ExactDecimal

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
    Column("customer_id", Integer, nullable=False),
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
    same_company("recurring_agreement", "customer_id", "customer"),
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
