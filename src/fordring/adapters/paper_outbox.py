"""The paper outbox: letters to print, one folder per day, with a manifest for the printer.

`<root>/<YYYY-MM-DD>/<name>.pdf` plus `manifest.csv` (name, recipient, address). A file is
written to a temporary name and renamed, so a printer never picks up half a PDF; putting
the same document twice changes nothing.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from fordring.services.ports import PaperDocument

MANIFEST = "manifest.csv"


class FolderOutbox:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, document: PaperDocument) -> str:
        folder = self.root / document.day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{document.name}.pdf"
        if target.exists() and target.read_bytes() == document.pdf:
            return str(target)
        replacing = target.exists()
        temporary = folder / f".{document.name}.pdf.part"
        temporary.write_bytes(document.pdf)
        os.replace(temporary, target)
        if replacing:  # a new version of a listed document: the manifest already names it
            return str(target)
        manifest = folder / MANIFEST
        new = not manifest.exists()
        with manifest.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            if new:
                writer.writerow(["file", "recipient", "address"])
            writer.writerow([target.name, document.recipient, document.address])
        return str(target)
