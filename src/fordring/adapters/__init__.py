"""Adapters: one module per outside thing (database, files, clock), behind small interfaces."""
