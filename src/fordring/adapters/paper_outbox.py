"""The paper outbox: letters to print, one folder per day, with a manifest for the printer,
and the day's print batch: every document joined into one PDF for a duplex printer.

`<root>/<YYYY-MM-DD>/<name>.pdf` plus `manifest.csv` (name, recipient, address). A file is
written to a temporary name and renamed, so a printer never picks up half a PDF; putting
the same document twice changes nothing. `print_batch` joins the day's documents, in
manifest order, into `print-batch.pdf` (each starting on a new sheet) and writes
`print-manifest.csv` saying which pages and sheets each one has.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Final, NamedTuple

import pikepdf

from fordring.services.ports import PaperDocument

MANIFEST: Final = "manifest.csv"
PRINT_BATCH: Final = "print-batch.pdf"
PRINT_MANIFEST: Final = "print-manifest.csv"
PRINT_MANIFEST_HEADER: Final = ("file", "recipient", "address", "first_page", "last_page", "sheets")


class Listed(NamedTuple):
    """One line of the day's manifest."""

    file: str
    recipient: str
    address: str


class Placed(NamedTuple):
    """Where a document lies in the print batch: its pages (1-based, without the blank page
    that may follow it) and the sheets they take printed on both sides."""

    listed: Listed
    first_page: int
    last_page: int
    sheets: int


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
        _write(target, document.pdf)
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

    def print_batch(self, day: date) -> str | None:
        """Join the day's documents into `print-batch.pdf`, each starting on a new sheet, and
        list their pages in `print-manifest.csv`; None when the day has no documents.

        Built again from the manifest each time, so documents put since are included; the
        PDF is deterministic and a file is only rewritten when it changes, so repeating
        with nothing new changes nothing. ValueError when a listed PDF is missing or broken.
        """
        folder = self.root / day.isoformat()
        listed = _listed(folder / MANIFEST)
        if not listed:
            return None
        pdf, placed = _joined(folder, listed)
        target = folder / PRINT_BATCH
        _write_if_changed(target, pdf)
        _write_if_changed(folder / PRINT_MANIFEST, _print_manifest(placed))
        return str(target)


def _listed(manifest: Path) -> list[Listed]:
    """The manifest's documents in the order they were put, each once."""
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    seen: set[str] = set()
    listed: list[Listed] = []
    for file, recipient, address in rows:
        if file not in seen:
            seen.add(file)
            listed.append(Listed(file, recipient, address))
    return listed


def _joined(folder: Path, listed: Sequence[Listed]) -> tuple[bytes, list[Placed]]:
    """The documents' pages as one PDF, each padded to an even page count."""
    placed: list[Placed] = []
    with ExitStack() as stack, pikepdf.new() as target:
        for entry in listed:
            # Sources stay open until the batch is saved: qpdf copies page streams lazily.
            source = stack.enter_context(_open(folder / entry.file))
            first = len(target.pages) + 1
            target.pages.extend(source.pages)
            last = len(target.pages)
            if (last - first) % 2 == 0:  # an odd page count: the next starts on a new sheet
                _add_blank_like(target, target.pages[-1])
            placed.append(Placed(entry, first, last, (len(target.pages) - first + 1) // 2))
        target.Root.ViewerPreferences = pikepdf.Dictionary(Duplex=pikepdf.Name.DuplexFlipLongEdge)
        out = io.BytesIO()
        # No creation date and an /ID made from the content: the same documents give the
        # same bytes.
        target.save(out, deterministic_id=True)
        return out.getvalue(), placed


def _open(path: Path) -> pikepdf.Pdf:
    """The PDF, read into memory (a day may hold more documents than a process may open)."""
    try:
        pdf = pikepdf.open(io.BytesIO(path.read_bytes()))
    except FileNotFoundError as error:
        raise ValueError(f"{path.name} is in the manifest but not in the outbox") from error
    except pikepdf.PdfError as error:
        raise ValueError(f"{path.name} is not a readable PDF: {error}") from error
    if len(pdf.pages) == 0:
        pdf.close()
        raise ValueError(f"{path.name} has no pages")
    return pdf


def _add_blank_like(target: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """A blank page of the same size as `page`, after the last."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    target.add_blank_page(page_size=(abs(x1 - x0), abs(y1 - y0)))


def _print_manifest(placed: Sequence[Placed]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(PRINT_MANIFEST_HEADER)
    for p in placed:
        writer.writerow([*p.listed, p.first_page, p.last_page, p.sheets])
    return out.getvalue().encode("utf-8")


def _write_if_changed(target: Path, content: bytes) -> None:
    if not (target.exists() and target.read_bytes() == content):
        _write(target, content)


def _write(target: Path, content: bytes) -> None:
    """Write to a temporary name and rename, so nobody reads half a file."""
    temporary = target.with_name(f".{target.name}.part")
    temporary.write_bytes(content)
    os.replace(temporary, target)
