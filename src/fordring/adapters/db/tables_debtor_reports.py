"""The tables of the debtor's reports of payments (issue 19, "I have paid")."""

from __future__ import annotations

from sqlalchemy import (
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
from fordring.adapters.db.types import MoneyType

OPEN_REPORTS = "status IN ('holding', 'lapsed')"

# A payment the debtor says was made: a report, never a payment (nothing is booked). The
# same report twice (case, day paid, amount) is one row: a form sent again adds nothing.
payment_report = Table(
    "payment_report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("case_id", Integer, nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("amount", MoneyType, nullable=False),
    Column("note", String(500), nullable=False, server_default=""),
    Column("reported_on", Date, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("status", String(10), nullable=False),  # domain ReportStatus
    Column("hold_until", Date),  # the first day the steps go on again (NULL: held nothing)
    Column("ended_on", Date),  # seen in the bank or lapsed on this day
    UniqueConstraint("case_id", "paid_on", "amount"),
    same_company("payment_report", "case_id", "collection_case"),
    # the reports still open (holding or lapsed): the run's lapsing, a payment's ending and
    # Oversikt's count read only these, from the index
    Index(
        "ix_payment_report_open",
        "company_id",
        "status",
        "hold_until",
        sqlite_where=text(OPEN_REPORTS),
        postgresql_where=text(OPEN_REPORTS),
    ),
)
