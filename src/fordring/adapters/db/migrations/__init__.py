"""Alembic migrations of fordring's schema, run by `fordring init` (never by hand)."""
