"""The database's own guard of the ledger: balanced vouchers, append-only postings.

Postings are written first, their voucher last; inserting the voucher checks that its
postings number at least two and sum to zero, and a posting for a voucher that already
exists is refused. Updates and deletes of vouchers and postings are refused: a
correction is a reversing voucher. PostgreSQL checks whole statements (transition
tables, so a COPY of a million rows is checked set-based); SQLite checks row by row.

These are the definitions of the first migration. Migration 0012_pgpay replaced the two
PostgreSQL check functions with set-based ones for a block of new vouchers (the same
refusals, and run as their owner, so that row-level security hides nothing from them).
"""

from __future__ import annotations

APPEND_ONLY = "ledger: {table} is append-only; post a reversing voucher instead"
UNBALANCED = "ledger: a voucher must have two or more postings summing to zero"
CLOSED = "ledger: postings cannot be added to an existing voucher"

SQLITE_CREATE = [
    f"""CREATE TRIGGER posting_into_new_voucher_only BEFORE INSERT ON posting
    WHEN EXISTS (SELECT 1 FROM voucher WHERE id = NEW.voucher_id)
    BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END""",
    f"""CREATE TRIGGER voucher_balances BEFORE INSERT ON voucher
    WHEN (SELECT count(*) < 2 OR sum(amount) <> 0 FROM posting WHERE voucher_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{UNBALANCED}'); END""",
] + [
    f"""CREATE TRIGGER {table}_append_only_{verb.lower()} BEFORE {verb} ON {table}
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY.format(table=table)}'); END"""
    for table in ("voucher", "posting")
    for verb in ("UPDATE", "DELETE")
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS posting_into_new_voucher_only",
    "DROP TRIGGER IF EXISTS voucher_balances",
] + [
    f"DROP TRIGGER IF EXISTS {table}_append_only_{verb}"
    for table in ("voucher", "posting")
    for verb in ("update", "delete")
]

# Mid-transaction the planner has no statistics for rows just copied in, and may scan
# a whole table once per batch; the checks touch a few rows per voucher, so they are
# pinned to index probes.
_INDEX_PROBES = "SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off"

POSTGRESQL_CREATE = (
    [
        """CREATE FUNCTION fordring_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'ledger: % is append-only; post a reversing voucher instead',
        TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
        f"""CREATE FUNCTION fordring_check_new_postings() RETURNS trigger LANGUAGE plpgsql
    {_INDEX_PROBES} AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM new_postings p JOIN voucher v ON v.id = p.voucher_id) THEN
        RAISE EXCEPTION '{CLOSED}' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NULL;
    END $$""",
        f"""CREATE FUNCTION fordring_check_new_vouchers() RETURNS trigger LANGUAGE plpgsql
    {_INDEX_PROBES} AS $$
    BEGIN
      IF EXISTS (
        SELECT 1 FROM new_vouchers v
        WHERE (SELECT count(*) < 2 OR coalesce(sum(p.amount), 0) <> 0
               FROM posting p WHERE p.voucher_id = v.id)
      ) THEN
        RAISE EXCEPTION '{UNBALANCED}' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NULL;
    END $$""",
        """CREATE TRIGGER posting_into_new_voucher_only AFTER INSERT ON posting
    REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT
    EXECUTE FUNCTION fordring_check_new_postings()""",
        """CREATE TRIGGER voucher_balances AFTER INSERT ON voucher
    REFERENCING NEW TABLE AS new_vouchers FOR EACH STATEMENT
    EXECUTE FUNCTION fordring_check_new_vouchers()""",
    ]
    + [
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION fordring_refuse_change()"""
        for table in ("voucher", "posting")
    ]
    + [
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION fordring_refuse_change()"""
        for table in ("voucher", "posting")
    ]
)

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS posting_into_new_voucher_only ON posting",
    "DROP TRIGGER IF EXISTS voucher_balances ON voucher",
    "DROP TRIGGER IF EXISTS voucher_append_only ON voucher",
    "DROP TRIGGER IF EXISTS posting_append_only ON posting",
    "DROP TRIGGER IF EXISTS voucher_no_truncate ON voucher",
    "DROP TRIGGER IF EXISTS posting_no_truncate ON posting",
    "DROP FUNCTION IF EXISTS fordring_check_new_vouchers()",
    "DROP FUNCTION IF EXISTS fordring_check_new_postings()",
    "DROP FUNCTION IF EXISTS fordring_refuse_change()",
]


def create_statements(dialect: str) -> list[str]:
    return POSTGRESQL_CREATE if dialect == "postgresql" else SQLITE_CREATE


def drop_statements(dialect: str) -> list[str]:
    return POSTGRESQL_DROP if dialect == "postgresql" else SQLITE_DROP
