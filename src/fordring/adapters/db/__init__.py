"""The database adapter: SQLAlchemy Core tables, Alembic migrations, repositories, bulk paths.

SQLite (one file) is the embedded default; PostgreSQL is production. Both get the same
schema, the same ledger triggers and the same tests.
"""
