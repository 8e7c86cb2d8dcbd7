"""Row-level security as every tenant table has it (decision 0005, migration 0011_scope):
the tenant role sees and writes the rows of the company its transaction is scoped to
(`app.company_id`), the global role every row. Migrations call it for each table they
create; its SQL must not change, since migrations already run have applied it.
"""

from __future__ import annotations

from alembic import op

COMPANY = "NULLIF(current_setting('app.company_id', true), '')::integer"


def tenant_policies(table: str, column: str = "company_id") -> None:
    """Row-level security on `table`, its company in `column` (PostgreSQL only)."""
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant ON {table} TO fordring_tenant "
        f"USING ({column} = {COMPANY}) WITH CHECK ({column} = {COMPANY})"
    )
    op.execute(
        f"CREATE POLICY every_company ON {table} TO fordring_global USING (true) WITH CHECK (true)"
    )
