"""Typed case history events (issue 13, point 4).

`case_event.kind` holds a name of `EventKind` (domain/collection/history.py); a row whose
kind is none of them becomes "note"; a bank's reversal, written as "payment"
before, becomes "payment_reversed". `case_event.payload`: the event's structured fields
as JSON text next to the human text (docs/events.md); older rows get "{}".

Revision ID: 0011_typed
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_typed"
down_revision = "0011_collector"
branch_labels = None
depends_on = None

# The kinds as of this migration (frozen here: a migration must not follow later code).
KINDS = [
    "registered",
    "send_reminder",
    "send_notice",
    "renew_notice",
    "put_on_list",
    "hand_over",
    "heavy_salaer",
    "merge",
    "send_stage_letter",
    "send_interest_note",
    "close_settled",
    "close_expired_pause",
    "close_time_barred",
    "write_off_remainder",
    "held",
    "released",
    "collection_list",
    "pause",
    "resume",
    "object",
    "close",
    "object_upheld",
    "approved",
    "message",
    "to_legal",
    "new_demand",
    "enforcement_notice",
    "limitation_interrupted",
    "write_off",
    "payment",
    "reopened",
    "handover_undone",
    "heavy_salaer_undone",
    "note",
]


def upgrade() -> None:
    with op.batch_alter_table("case_event") as batch:
        batch.add_column(sa.Column("payload", sa.Text(), nullable=False, server_default="{}"))
    event = sa.table("case_event", sa.column("kind", sa.String), sa.column("text", sa.String))
    op.execute(event.update().where(event.c.kind.not_in(KINDS)).values(kind="note"))
    # A bank's reversal was written as "payment" before it had a kind of its own.
    reversed_by_bank = event.c.text.like("payment % was reversed by the bank")
    op.execute(
        event.update()
        .where((event.c.kind == "payment") & reversed_by_bank)
        .values(kind="payment_reversed")
    )


def downgrade() -> None:
    with op.batch_alter_table("case_event") as batch:
        batch.drop_column("payload")
