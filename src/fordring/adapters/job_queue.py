"""procrastinate's job queue over the fordring database (PostgreSQL only): the App that
defers jobs, lists them and runs workers. Its tables come from migration 0014_workers.

The App is built once per process by the bootstrap, from the database URL; its tasks are
the entry points' (entrypoints/jobs), added by whoever runs or defers them. Sync use (a
command line deferring or listing jobs) opens a sync pool, the worker an async one.
"""

from __future__ import annotations

from procrastinate import App, PsycopgConnector
from sqlalchemy.engine import make_url

from fordring.adapters.db.engine import normalise_url


class NoJobQueue(Exception):
    """The database has no job queue: SQLite runs every job in-process."""


def has_job_queue(database_url: str) -> bool:
    """Whether the database is PostgreSQL, whose schema holds procrastinate's queue."""
    return make_url(normalise_url(database_url)).get_backend_name() == "postgresql"


def conninfo(database_url: str) -> str:
    """The libpq connection string of an SQLAlchemy URL (driver name dropped)."""
    url = make_url(normalise_url(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def job_app(database_url: str) -> App:
    """The procrastinate App over the database (NoJobQueue on SQLite); not opened."""
    if not has_job_queue(database_url):
        raise NoJobQueue(
            "database: jobs run on PostgreSQL only; on SQLite `fordring run` does the day "
            "in-process"
        )
    return App(connector=PsycopgConnector(conninfo=conninfo(database_url)))
