"""The REST API (FastAPI): docs/api.md."""
