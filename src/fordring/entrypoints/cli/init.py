"""`fordring init`: create or upgrade the schema (safe to repeat)."""

from __future__ import annotations

import click

from fordring import bootstrap
from fordring.entrypoints.cli.options import Globals, pass_globals


@click.command("init")
@pass_globals
def init(g: Globals) -> None:
    """Create the database schema, or upgrade it to this version. Safe to repeat."""
    revision = bootstrap.migrate(g.database_url)
    shown = bootstrap.display_url(g.database_url)
    g.printer.emit(
        {"database": shown, "revision": revision}, f"Database {shown} is ready (schema {revision})."
    )


COMMANDS: list[click.Command] = [init]
