"""How the CLI reports a file import, new or already done."""

from __future__ import annotations

from fordring.entrypoints.cli.options import Globals
from fordring.services.imports import ImportResult


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
