"""The settlement statement's documents (PDF and CSV) and the folder they are kept in."""

from __future__ import annotations

from pathlib import Path

from fordring.adapters.safe_files import folder
from fordring.domain.settlement import Settlement


class SettlementDocuments:
    """The renderer the settlement service is given (bootstrap wires it). Typst is loaded
    only when a statement is rendered, so a run without settlements does not pay for it."""

    def pdf(self, settlement: Settlement) -> bytes:
        from fordring.adapters.pdf.settlement_pdf import render_settlement

        return render_settlement(settlement)

    def csv(self, settlement: Settlement) -> bytes:
        from fordring.adapters.settlement_csv import settlement_csv

        return settlement_csv(settlement)


class FolderArchive:
    """Documents under a root folder; written to a temporary name and renamed, so a
    reader never sees half a file; writing the same content again changes nothing. Never
    through a link below the root (adapters/safe_files.py)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, name: str, content: bytes) -> str:
        *folders, file = name.split("/")
        with folder(self.root, *folders) as place:
            return str(place.write_if_changed(file, content))
