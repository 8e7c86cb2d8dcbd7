"""A collector stops serving a creditor, and a row can name only its own company's rows
(issue 13, points 6 and 1).

- `collector_creditor.stopped_on`: the day the collector stopped serving the creditor
  (NULL: served). The row is kept, so the creditor keeps its number when served again.
- Composite foreign keys: every child table that carries `company_id` names its parent by
  (company_id, x_id) → parent (company_id, id), so an invoice of company A cannot name
  company B's customer, a payment B's case, a case_invoice B's invoice, and so on, whatever
  the code above does. The parents get a unique index on (company_id, id); the
  single-column foreign keys the composite ones replace are dropped. `case_invoice` gets
  its case's `company_id` (and row-level security on PostgreSQL, as every tenant table).
  A database that already holds such a crossed row is refused, naming the table and count.

PostgreSQL: ALTER TABLE. SQLite cannot add a foreign key to a table: each child is rebuilt
from its reflected definition (as Alembic's batch mode does), but in the order copy, drop,
create, insert, with the foreign keys deferred: batch mode's order (create, copy, drop,
rename) fails at commit on a table other rows reference, because SQLite counts the drop's
orphans and only an insert into the parent table counts them back.

Revision ID: 0013_collector
Revises: 0012_pgpay
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import CreateIndex, CreateTable

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0013_collector"
down_revision = "0012_pgpay"
branch_labels = None
depends_on = None


# (child table, column, parent table): the child's (company_id, column) names the parent's
# (company_id, id).
SAME_COMPANY = (
    ("invoice", "customer_id", "customer"),
    ("invoice", "credits_invoice_id", "invoice"),
    ("collection_case", "customer_id", "customer"),
    ("collection_case", "merged_into", "collection_case"),
    ("recurring_agreement", "customer_id", "customer"),
    ("case_invoice", "case_id", "collection_case"),
    ("case_invoice", "invoice_id", "invoice"),
    ("company_kid", "invoice_id", "invoice"),
    ("company_kid", "case_id", "collection_case"),
    ("client_kid", "case_id", "collection_case"),
    ("charge", "case_id", "collection_case"),
    ("charge", "invoice_id", "invoice"),
    ("dispatch", "invoice_id", "invoice"),
    ("dispatch", "customer_id", "customer"),
    ("dispatch", "collection_list_id", "collection_list"),
    ("held_payment", "bank_file_id", "bank_file"),
    ("payment", "bank_file_id", "bank_file"),
    ("payment", "customer_id", "customer"),
    ("payment", "case_id", "collection_case"),
)
PARENTS = ("customer", "invoice", "collection_case", "collection_list", "bank_file")
CHILDREN = tuple(dict.fromkeys(child for child, _, _ in SAME_COMPANY))


def fk_name(child: str, column: str, parent: str) -> str:
    return f"fk_{child}_{column}_{parent}_same_company"


def unique_name(parent: str) -> str:
    return f"uq_{parent}_company_id_id"


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("collector_creditor") as batch:
        batch.add_column(sa.Column("stopped_on", sa.Date(), nullable=True))
    op.add_column("case_invoice", sa.Column("company_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE case_invoice SET company_id = (SELECT c.company_id FROM collection_case c "
        "WHERE c.id = case_invoice.case_id)"
    )
    _refuse_crossed_rows(bind)
    for parent in PARENTS:
        op.create_index(unique_name(parent), parent, ["company_id", "id"], unique=True)
    if bind.dialect.name == "postgresql":
        _postgresql(bind)
    else:
        op.execute("PRAGMA defer_foreign_keys = ON")  # until commit: see the docstring
        for child in CHILDREN:
            _rebuild_sqlite(bind, child)


def _refuse_crossed_rows(bind: sa.Connection) -> None:
    crossed = []
    for child, column, parent in SAME_COMPANY:
        count = bind.execute(
            sa.text(
                f"SELECT count(*) FROM {child} x JOIN {parent} p ON p.id = x.{column} "
                "WHERE p.company_id <> x.company_id"
            )
        ).scalar_one()
        if count:
            crossed.append(f"{child}.{column} → another company's {parent}: {count} row(s)")
    if crossed:
        raise RuntimeError(
            "rows that name another company's rows; correct them before upgrading: "
            + "; ".join(crossed)
        )


def _superseded(inspector: sa.Inspector, child: str) -> list[str]:
    """The names of the child's single-column foreign keys a composite one replaces."""
    replaced = {(column, parent) for c, column, parent in SAME_COMPANY if c == child}
    return [
        str(fk["name"])
        for fk in inspector.get_foreign_keys(child)
        if len(fk["constrained_columns"]) == 1
        and (fk["constrained_columns"][0], fk["referred_table"]) in replaced
    ]


def _postgresql(bind: sa.Connection) -> None:
    op.alter_column("case_invoice", "company_id", nullable=False)
    op.create_foreign_key(
        "fk_case_invoice_company_id_company", "case_invoice", "company", ["company_id"], ["id"]
    )
    inspector = sa.inspect(bind)
    for child in CHILDREN:
        for name in _superseded(inspector, child):
            op.drop_constraint(name, child, type_="foreignkey")
    for child, column, parent in SAME_COMPANY:
        op.create_foreign_key(
            fk_name(child, column, parent),
            child,
            parent,
            ["company_id", column],
            ["company_id", "id"],
        )
    tenant_policies("case_invoice")


def _rebuild_sqlite(bind: sa.Connection, child: str, *, back: bool = False) -> None:
    """Rebuild `child` with its composite foreign keys (`back`: with single-column ones
    instead): copy its rows aside, drop it, create it anew (the reflected definition, the
    keys replaced), insert the rows back (the parents count their children back), drop
    the copy."""
    inspector = sa.inspect(bind)
    replaced = (
        {fk["name"] for fk in inspector.get_foreign_keys(child)
         if str(fk["name"]).endswith("_same_company")
         or fk["name"] == "fk_case_invoice_company_id_company"}
        if back
        else set(_superseded(inspector, child))
    )  # fmt: skip
    meta = sa.MetaData()
    for parent in PARENTS:  # the new keys name them
        sa.Table(parent, meta, autoload_with=bind)
    table = sa.Table(child, meta, autoload_with=bind)
    for fk in list(table.foreign_key_constraints):
        if fk.name in replaced:
            table.constraints.discard(fk)
            for element in fk.elements:
                element.parent.foreign_keys.discard(element)
    for c, column, parent in SAME_COMPANY:
        if c == child:
            table.append_constraint(
                sa.ForeignKeyConstraint(
                    [column], [f"{parent}.id"], name=f"fk_{child}_{column}_{parent}"
                )
                if back
                else sa.ForeignKeyConstraint(
                    ["company_id", column],
                    [f"{parent}.company_id", f"{parent}.id"],
                    name=fk_name(child, column, parent),
                )
            )
    if child == "case_invoice" and not back:
        table.c.company_id.nullable = False
        table.append_constraint(
            sa.ForeignKeyConstraint(
                ["company_id"], ["company.id"], name="fk_case_invoice_company_id_company"
            )
        )
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    op.execute(f"CREATE TABLE _rebuild_copy AS SELECT {columns} FROM {child}")
    op.execute(f"DROP TABLE {child}")
    bind.execute(CreateTable(table))
    for index in table.indexes:
        bind.execute(CreateIndex(index))
    op.execute(f"INSERT INTO {child} ({columns}) SELECT {columns} FROM _rebuild_copy")
    op.execute("DROP TABLE _rebuild_copy")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS tenant ON case_invoice")
        op.execute("DROP POLICY IF EXISTS every_company ON case_invoice")
        for child, column, parent in SAME_COMPANY:
            op.drop_constraint(fk_name(child, column, parent), child, type_="foreignkey")
            op.create_foreign_key(f"fk_{child}_{column}_{parent}", child, parent, [column], ["id"])
        op.drop_constraint("fk_case_invoice_company_id_company", "case_invoice", "foreignkey")
    else:
        op.execute("PRAGMA defer_foreign_keys = ON")
        for child in CHILDREN:
            _rebuild_sqlite(bind, child, back=True)
    for parent in PARENTS:
        op.drop_index(unique_name(parent), table_name=parent)
    with op.batch_alter_table("case_invoice") as batch:
        batch.drop_column("company_id")
    with op.batch_alter_table("collector_creditor") as batch:
        batch.drop_column("stopped_on")
