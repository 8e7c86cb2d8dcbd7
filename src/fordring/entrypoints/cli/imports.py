"""How the CLI reports a file import, new or already done, and the rows read meanwhile."""

from __future__ import annotations

import click

from fordring.entrypoints.cli.options import Globals
from fordring.entrypoints.cli.progress import progress_bar
from fordring.services.imports import ImportResult
from fordring.services.progress import Progress


def rows_read(g: Globals) -> Progress:
    """A progress bar of the rows read, for the rest of the command (cleared once the last
    row is read, before the result is printed)."""
    return click.get_current_context().with_resource(progress_bar("Rows read", g.printer.as_json))


def import_result(g: Globals, result: ImportResult, what: str) -> None:
    data = {
        "file": result.filename,
        "status": "already_imported" if result.already else "imported",
        what: result.records,
        "lines": result.lines,
        "imported_on": result.imported_on or g.business_date,
    }
    if result.already:
        human = (
            f"{result.filename} was already imported on {result.imported_on} "
            f"({result.records} {what}); nothing changed."
        )
    else:
        human = f"Imported {result.records} {what} from {result.filename}."
    g.printer.emit(data, human)
