"""The paper outbox: letters to print, one folder per day, with a manifest for the printer,
and the day's print batches: documents joined into one PDF for a duplex printer.

`<root>/<YYYY-MM-DD>/<name>.pdf` plus `manifest.csv` (name, recipient, address). A file is
written to a temporary name and renamed, so a printer never picks up half a PDF; putting
the same document twice changes nothing, and a document put again after a crash that left
it out of the manifest is listed then. `print_batch` joins the documents the delivery
service names, in its order, into `print-batch-<orgnr>-<n>.pdf` (each starting on a new
sheet) and writes `print-manifest-<orgnr>-<n>.csv` saying which pages and sheets each has.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Final, NamedTuple

import pikepdf

from fordring.services.ports import PaperDocument, PrintBatch

MANIFEST: Final = "manifest.csv"
PRINT_BATCH: Final = "print-batch-{company}-{number}.pdf"
PRINT_MANIFEST: Final = "print-manifest-{company}-{number}.csv"
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
        manifest = folder / MANIFEST
        if target.exists():
            if target.read_bytes() != document.pdf:  # a new version of the document
                _write(target, document.pdf)
            # Listed already, unless a crash came between the file and its manifest line.
            if target.name in _listed(manifest):
                return str(target)
        else:
            _write(target, document.pdf)
        new = not manifest.exists()
        with manifest.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            if new:
                writer.writerow(["file", "recipient", "address"])
            writer.writerow([target.name, document.recipient, document.address])
        return str(target)

    def print_batch(self, batch: PrintBatch) -> str:
        """Join the batch's documents (put on its day before), in its order, into one PDF,
        each starting on a new sheet, and list their pages in its print manifest; where.

        A batch is made once, and only ever made again after a crash with the same
        documents: the PDF is deterministic and a file is only rewritten when it changes, so
        that changes nothing. ValueError when a document is missing, unlisted or broken.
        """
        folder = self.root / batch.day.isoformat()
        listed = _listed(folder / MANIFEST)
        entries = []
        for name in batch.documents:
            entry = listed.get(f"{name}.pdf")
            if entry is None:
                raise ValueError(f"{name}.pdf is not in the manifest of {batch.day}")
            entries.append(entry)
        pdf, placed = _joined(folder, entries)
        label = {"company": batch.company, "number": batch.number}
        target = folder / PRINT_BATCH.format(**label)
        _write_if_changed(target, pdf)
        _write_if_changed(folder / PRINT_MANIFEST.format(**label), _print_manifest(placed))
        return str(target)


def _listed(manifest: Path) -> dict[str, Listed]:
    """The manifest's documents by file name (the first line of each)."""
    if not manifest.exists():
        return {}
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    listed: dict[str, Listed] = {}
    for file, recipient, address in rows:
        listed.setdefault(file, Listed(file, recipient, address))
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
