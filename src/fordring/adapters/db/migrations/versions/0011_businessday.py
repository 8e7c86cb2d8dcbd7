"""Issue 13, the business day: the collection list goes through the delivery queue.

`collection_list` keeps each list a day made as data (the cases, the hand-over day, the
address it is e-mailed to), so the delivery step renders and sends it after the day
commits; `dispatch.collection_list_id` queues it, and a list has no customer, so
`dispatch.customer_id` may be empty.

Revision ID: 0011_businessday
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_businessday"
down_revision = "0010"
branch_labels = None
depends_on = None

WAITING = "state = 'waiting'"


def upgrade() -> None:
    op.create_table(
        "collection_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("list_date", sa.Date(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_collection_list_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_list")),
        sa.UniqueConstraint(
            "company_id", "list_date", name=op.f("uq_collection_list_company_id_list_date")
        ),
    )
    # SQLite rebuilds the table for the batch: the partial index is made again after it,
    # with its condition (a reflected copy could lose it).
    op.drop_index("ix_dispatch_waiting", table_name="dispatch")
    with op.batch_alter_table("dispatch") as batch:
        batch.alter_column("customer_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("collection_list_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_dispatch_collection_list_id_collection_list"),
            "collection_list",
            ["collection_list_id"],
            ["id"],
        )
        batch.create_unique_constraint(
            op.f("uq_dispatch_collection_list_id"), ["collection_list_id"]
        )
    op.create_index(
        "ix_dispatch_waiting",
        "dispatch",
        ["id"],
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
    )


def downgrade() -> None:
    op.execute(
        "DELETE FROM delivery_attempt WHERE dispatch_id IN "
        "(SELECT id FROM dispatch WHERE collection_list_id IS NOT NULL)"
    )
    op.execute("DELETE FROM dispatch WHERE collection_list_id IS NOT NULL")
    op.drop_index("ix_dispatch_waiting", table_name="dispatch")
    with op.batch_alter_table("dispatch") as batch:
        batch.drop_constraint(op.f("uq_dispatch_collection_list_id"), type_="unique")
        batch.drop_constraint(
            op.f("fk_dispatch_collection_list_id_collection_list"), type_="foreignkey"
        )
        batch.drop_column("collection_list_id")
        batch.alter_column("customer_id", existing_type=sa.Integer(), nullable=False)
    op.create_index(
        "ix_dispatch_waiting",
        "dispatch",
        ["id"],
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
    )
    op.drop_table("collection_list")
