"""Row-level security by company on PostgreSQL (issue 13, scope): the second line of
defence behind repositories built for one scope (docs/decisions/0005-scope.md).

Two roles without login, granted the table rights: `fordring_tenant`, which a scoped unit
of work takes with `SET LOCAL ROLE` and which the policies confine to the company in the
setting `app.company_id`; and `fordring_global`, which the few unscoped jobs take and which
sees every company. The connecting user owns the tables, so it is not subject to the
policies: bulk COPY (which PostgreSQL refuses under row-level security) runs as it. Tables
without a company_id column are reached only through a scoped parent. SQLite: nothing.

Revision ID: 0011_scope
Revises: 0011_races
"""

from __future__ import annotations

from alembic import op

from fordring.adapters.db.migrations.tenant_policies import tenant_policies

revision = "0011_scope"
down_revision = "0011_races"
branch_labels = None
depends_on = None

ROLES = ("fordring_tenant", "fordring_global")
# Every table with a company_id column (and the company table itself, by its id).
TENANT_TABLES = (
    "number_series",
    "voucher_type",
    "customer",
    "invoice",
    "voucher",
    "import_batch",
    "collection_setting",
    "collection_case",
    "charge",
    "run_log",
    "bank_file",
    "payment",
    "settlement",
    "recurring_agreement",
    "dispatch",
    "collection_list",
)
# 0011_races' id function may create a kind's sequence: the roles may not create objects,
# so it runs as its owner (the tables' owner), with a fixed search_path as such a function must.
RESERVE_IDS = "fordring_reserve_ids(text, bigint)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for role in ROLES:
        # Roles belong to the cluster, not the database: another database may have made it
        # (then a user that may not create roles can still run this).
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN; END IF; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
        op.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        op.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}")
        # Tables and sequences later migrations create get the same rights.
        op.execute(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
        )
        op.execute(
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE "
            f"ON SEQUENCES TO {role}"
        )
    op.execute(f"ALTER FUNCTION {RESERVE_IDS} SECURITY DEFINER SET search_path = public")
    for table, column in [("company", "id"), *((t, "company_id") for t in TENANT_TABLES)]:
        tenant_policies(table, column)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER FUNCTION {RESERVE_IDS} SECURITY INVOKER RESET search_path")
    for table in ("company", *TENANT_TABLES):
        op.execute(f"DROP POLICY IF EXISTS tenant ON {table}")
        op.execute(f"DROP POLICY IF EXISTS every_company ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for role in ROLES:
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
        op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {role}")
        op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {role}")
        op.execute(f"REVOKE USAGE ON SCHEMA public FROM {role}")
