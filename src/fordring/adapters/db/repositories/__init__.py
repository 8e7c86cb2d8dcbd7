"""Repositories: the services' ports implemented with SQLAlchemy Core, one module per aggregate."""
