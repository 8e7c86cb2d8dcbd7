"""The schema's one MetaData and the ledger's tables: companies, number series and id blocks,
customers, invoices, vouchers, postings, import batches and the change log."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
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
from fordring.domain.language import Language

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)


def same_company(child: str, column: str, parent: str) -> ForeignKeyConstraint:
    """`child`'s (company_id, column) names `parent`'s (company_id, id): a row can name
    only its own company's rows (migration 0013)."""
    return ForeignKeyConstraint(
        ["company_id", column],
        [f"{parent}.company_id", f"{parent}.id"],
        name=f"fk_{child}_{column}_{parent}_same_company",
    )


def same_company_key(parent: str) -> Index:
    """The (company_id, id) a child's composite foreign key names."""
    return Index(f"uq_{parent}_company_id_id", "company_id", "id", unique=True)


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
    Column("language", String(2), nullable=False, server_default=Language.NB.value),
    Column("reminder_exempt", Boolean, nullable=False, server_default=text("false")),
    # The e-mail address is a reliable channel (inkassoloven § 3a) for notices and demands.
    Column("email_reliable", Boolean, nullable=False, server_default=text("false")),
    Column("email_reliable_since", Date),  # issue 12: the day the mark was set (§ 3 a)
    # Merged into that customer (`customer merge`): kept for its number and the postings
    # booked to it, found by no command.
    Column("merged_into_id", Integer),
    UniqueConstraint("company_id", "number"),
    Index(None, "company_id", "orgnr"),
    same_company_key("customer"),
)

invoice = Table(
    "invoice",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("customer_id", Integer, nullable=False),
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
    Column("credits_invoice_id", Integer),
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
    Index(  # an invoice's credit notes (few): a case's facts ask for them on every read
        "ix_invoice_credits",
        "credits_invoice_id",
        sqlite_where=text("credits_invoice_id IS NOT NULL"),
        postgresql_where=text("credits_invoice_id IS NOT NULL"),
    ),
    same_company("invoice", "customer_id", "customer"),
    same_company("invoice", "credits_invoice_id", "invoice"),
    same_company_key("invoice"),
)

# Every KID the company's debtors pay with, and the one open item it names (issue 14): an
# invoice, or a case whose KID is not its own invoice's. The key refuses a KID twice, so a
# payment's KID can never belong to two debtors. Credit notes are never paid by KID.
company_kid = Table(
    "company_kid",
    metadata,
    # No foreign keys: written in bulk with the invoices (migration 0012_ledgerguard).
    Column("company_id", Integer, primary_key=True),
    Column("kid", String(25), primary_key=True),
    Column("invoice_id", Integer),
    Column("case_id", Integer),
    CheckConstraint("(invoice_id IS NULL) <> (case_id IS NULL)", name="one_owner"),
    same_company("company_kid", "invoice_id", "invoice"),
    same_company("company_kid", "case_id", "collection_case"),
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
    Column("reverses_id", BigInteger),  # a reversal: the voucher it undoes
    UniqueConstraint("company_id", "number"),
)
# A voucher is reversed once (issue 14): at most one voucher names it. Migration
# 0012_ledgerguard leaves out the second reversals a database held from before, which
# `ledger check` lists.
Index(
    "uq_voucher_reverses_id",
    voucher.c.reverses_id,
    unique=True,
    sqlite_where=text("reverses_id IS NOT NULL"),
    postgresql_where=text("reverses_id IS NOT NULL"),
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

# Who changed what and when: a company's details (`company change`), a customer merged
# into another (`customer merge`). `changes` is JSON: {field: [before, after]}.
change_log = Table(
    "change_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", ForeignKey("company.id"), nullable=False),
    Column("subject", String(20), nullable=False),
    Column("subject_key", String(40), nullable=False),
    Column("changes", Text, nullable=False),
    Column("business_date", Date, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Index(None, "company_id", "subject", "subject_key"),
)
