"""The settlement statement's documents (PDF and CSV) and the folder they are kept in."""

from __future__ import annotations

import os
from pathlib import Path

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
    reader never sees half a file; writing the same content again changes nothing."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, name: str, content: bytes) -> str:
        target = self.root / name
        if target.exists() and target.read_bytes() == content:
            return str(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.part")
        temporary.write_bytes(content)
        os.replace(temporary, target)
        return str(target)
