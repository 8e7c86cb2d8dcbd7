"""Ids from sequences on PostgreSQL (issue 13, part 3: no lock shared across companies).

One sequence per kind in `id_allocator` (`id_seq_<kind>`), started where the table had
got to, and `fordring_reserve_ids(kind, n)`, which takes a contiguous block of `n` from it
under a session advisory lock held for the two calls only, never until commit. Sequences
are not rolled back, so a rolled-back block is a gap, as ids may have. SQLite keeps the
`id_allocator` table (its single writer serialises anyway). See
docs/decisions/0007-locks-and-guards.md.

Revision ID: 0011_races
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_races"
down_revision = "0011_typed"
branch_labels = None
depends_on = None

# Two-key advisory lock: this number, then hashtext(kind). Session level, released
# before the function returns (also when it fails or is cancelled).
RESERVE_FUNCTION = """
CREATE OR REPLACE FUNCTION fordring_reserve_ids(kind text, n bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    seq regclass := to_regclass('id_seq_' || kind);
    first bigint;
BEGIN
    IF seq IS NULL THEN
        -- a kind a later migration added to id_allocator: its sequence starts there
        EXECUTE format(
            'CREATE SEQUENCE IF NOT EXISTS %I AS bigint START WITH %s',
            'id_seq_' || kind,
            (SELECT GREATEST(next_value, 1) FROM id_allocator WHERE name = kind)
        );
        seq := ('id_seq_' || kind)::regclass;
    END IF;
    PERFORM pg_advisory_lock(1718579812, hashtext(kind));
    BEGIN
        first := nextval(seq);
        IF n > 1 THEN
            PERFORM setval(seq, first + n - 1);
        END IF;
    EXCEPTION WHEN query_canceled OR others THEN
        PERFORM pg_advisory_unlock(1718579812, hashtext(kind));
        RAISE;
    END;
    PERFORM pg_advisory_unlock(1718579812, hashtext(kind));
    RETURN first;
END
$$
"""


def _kinds() -> list[tuple[str, int]]:
    rows = op.get_bind().execute(sa.text("SELECT name, next_value FROM id_allocator"))
    return [(str(name), int(next_value)) for name, next_value in rows]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for kind, next_value in _kinds():
        op.execute(f"CREATE SEQUENCE id_seq_{kind} AS bigint START WITH {max(next_value, 1)}")
    op.execute(RESERVE_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION fordring_reserve_ids(text, bigint)")
    bind = op.get_bind()
    for kind, _ in _kinds():
        if bind.execute(sa.text(f"SELECT to_regclass('id_seq_{kind}')")).scalar() is None:
            continue  # never used since the upgrade
        # Back to the table where the sequence had got to, so no id is handed out twice.
        op.execute(
            f"UPDATE id_allocator SET next_value = GREATEST(next_value, "
            f"(SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM id_seq_{kind})) "
            f"WHERE name = '{kind}'"
        )
        op.execute(f"DROP SEQUENCE id_seq_{kind}")
