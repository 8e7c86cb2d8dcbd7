"""The paper outbox: letters to print, one folder per company and day, with a manifest for
the printer, and the day's print batch: every document joined into one PDF for a duplex
printer.

`<root>/<orgnr>/<YYYY-MM-DD>/<name>.pdf` plus `manifest.csv` (name, recipient, address):
companies sharing an outbox (`FORDRING_OUTBOX`) never write or batch each other's
documents, whose names (`invoice-1`, `case-1-reminder`) each company numbers from 1. A file is
written to a temporary name and renamed, so a printer never picks up half a PDF; putting
the same document twice changes nothing, and a document put again after a crash that left
it out of the manifest is listed then. `print_batch` joins the documents the delivery
service names, in its order, into `print-batch-<orgnr>-<n>.pdf` (each starting on a new
sheet; a font, colour space or image the documents share byte for byte is in it once) and
writes `print-manifest-<orgnr>-<n>.csv` saying which pages and sheets each has.

A document cut from a compile of several (the renderer's `Compiled`) also leaves that
compile in the day folder, once (`.compiled-<sha256>.pdf`, hidden from the printer), and a
line of `.compiled.csv` (name, its PDF's sha256, the compile, first and last page): the
print batch then takes its pages from the compile, parsing 10 compiles instead of 200
documents, as long as the document's PDF is still the one the line names.

Nothing is written or read through a link (adapters/safe_files.py): a day folder, a
manifest or a PDF that is a symbolic link refuses the delivery (DeliveryFailed), and the
manifests' cells are spreadsheet-safe text (adapters/csv_cells.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Final, NamedTuple

import pikepdf

from fordring.adapters.csv_cells import text_cell
from fordring.adapters.safe_files import Folder, existing_folder, folder
from fordring.services.ports import DeliveryFailed, PaperDocument, PrintBatch

MANIFEST: Final = "manifest.csv"
PRINT_BATCH: Final = "print-batch-{company}-{number}.pdf"
PRINT_MANIFEST: Final = "print-manifest-{company}-{number}.csv"
PRINT_MANIFEST_HEADER: Final = ("file", "recipient", "address", "first_page", "last_page", "sheets")
MANIFEST_HEADER: Final = ("file", "recipient", "address")
# The compiles documents were cut from, and which pages of them each document is (hidden:
# not for the printer; the print batch takes the pages from them).
COMPILED: Final = ".compiled-{}.pdf"
COMPILED_INDEX: Final = ".compiled.csv"
CHANNEL: Final = "paper"


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
        # The compile last written (company, day, its bytes, its file): the documents of
        # one compile come one after another, and it is written once for them.
        self._last_compiled: tuple[str, date, bytes, str] | None = None

    def put(self, document: PaperDocument) -> str:
        (where,) = self.put_all([document])
        if isinstance(where, DeliveryFailed):
            raise where
        return where

    def put_all(self, documents: Sequence[PaperDocument]) -> list[str | DeliveryFailed]:
        """Each document stored as `put` stores it, those of one company's day with one
        opening of its folder and one append to its manifest (and index of compiles); where
        each went, or why it did not (DeliveryFailed), in order."""
        found: list[str | DeliveryFailed] = []
        days: dict[tuple[str, date], list[int]] = {}
        for n, document in enumerate(documents):
            days.setdefault((document.company, document.day), []).append(n)
            found.append(DeliveryFailed(CHANNEL, "not put"))
        for (company, day), numbers in days.items():
            try:
                with folder(self.root, company, day.isoformat()) as opened:
                    self._put_day(opened, [(n, documents[n]) for n in numbers], found)
            except OSError as error:  # a link where the outbox writes, a full disk
                for n in numbers:
                    found[n] = DeliveryFailed(CHANNEL, str(error))
        return found

    def _put_day(
        self,
        day: Folder,
        documents: Sequence[tuple[int, PaperDocument]],
        found: list[str | DeliveryFailed],
    ) -> None:
        rows: list[list[object]] = []
        cuts: list[list[object]] = []
        listed: dict[str, Listed] | None = None
        indexed: dict[str, _Compiled] | None = None
        for n, document in documents:
            name = f"{document.name}.pdf"
            try:
                known = day.read(name)
                if known != document.pdf:  # new, or a new version of the document
                    day.write(name, document.pdf)
                cut = self._compile_of(day, document)
            except OSError as error:  # e.g. the document's file is a link
                found[n] = DeliveryFailed(CHANNEL, str(error))
                continue
            # The same PDF put again (sent again after a crash): its lines are not written
            # twice, unless the crash came between the file and its lines.
            if cut is not None:
                if known == document.pdf and indexed is None:
                    indexed = _compiled(day)
                if known != document.pdf or indexed is None or indexed.get(name) != cut:
                    cuts.append([name, *cut])
            if known is not None and listed is None:
                listed = _listed(day)
            if known is None or listed is None or name not in listed:
                rows.append([name, text_cell(document.recipient), text_cell(document.address)])
            found[n] = str(day.path / name)
        if cuts:
            day.append(COMPILED_INDEX, _csv(cuts))
        if rows:
            day.append(MANIFEST, _csv(rows), header=_csv([MANIFEST_HEADER]))

    def _compile_of(self, day: Folder, document: PaperDocument) -> _Compiled | None:
        """The compile the document was cut from, written once a day folder (named by its
        content), and the document's line of `.compiled.csv`; None when it has none."""
        compiled = document.compiled
        if compiled is None:
            return None
        last = self._last_compiled
        if last is not None and last[:3] == (document.company, document.day, compiled.pdf):
            file = last[3]  # the same compile as the document before: written already
        else:
            file = COMPILED.format(hashlib.sha256(compiled.pdf).hexdigest()[:32])
            day.write(file, compiled.pdf)
            self._last_compiled = (document.company, document.day, compiled.pdf, file)
        digest = hashlib.sha256(document.pdf).hexdigest()
        return _Compiled(digest, file, compiled.first_page, compiled.last_page)

    def print_batch(self, batch: PrintBatch) -> str:
        """Join the batch's documents (put on its day before), in its order, into one PDF,
        each starting on a new sheet, and list their pages in its print manifest; where.

        A batch is made once, and only ever made again after a crash with the same
        documents: the PDF is deterministic and a file is only rewritten when it changes, so
        that changes nothing. DeliveryFailed, naming it, when a document is missing, unlisted
        or broken, or the batch's file is a link.
        """
        with (
            _failing_as_delivery(),
            existing_folder(self.root, batch.company, batch.day.isoformat()) as found,
        ):
            if found is None:
                raise DeliveryFailed(CHANNEL, f"the outbox has no folder for {batch.day}")
            listed = _listed(found)
            entries = []
            for name in batch.documents:
                entry = listed.get(f"{name}.pdf")
                if entry is None:
                    raise DeliveryFailed(
                        CHANNEL, f"{name}.pdf is not in the manifest of {batch.day}"
                    )
                entries.append(entry)
            pdf, placed = _joined(found, entries)
            label = {"company": batch.company, "number": batch.number}
            target = found.write_if_changed(PRINT_BATCH.format(**label), pdf)
            found.write_if_changed(PRINT_MANIFEST.format(**label), _print_manifest(placed))
            return str(target)


@contextmanager
def _failing_as_delivery() -> Iterator[None]:
    """A link where the outbox writes (or a full disk) fails the delivery, naming it."""
    try:
        yield
    except OSError as error:
        raise DeliveryFailed(CHANNEL, str(error)) from None


def _csv(rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


def _listed(day: Folder) -> dict[str, Listed]:
    """The manifest's documents by file name (the first line of each)."""
    manifest = day.read(MANIFEST)
    if manifest is None:
        return {}
    rows = list(csv.reader(io.StringIO(manifest.decode("utf-8"), newline=""), delimiter=";"))[1:]
    listed: dict[str, Listed] = {}
    for file, recipient, address in rows:
        listed.setdefault(file, Listed(file, recipient, address))
    return listed


class _Compiled(NamedTuple):
    """A line of `.compiled.csv`: the document's PDF (its sha256) is pages `first` to
    `last` (0-based) of the compile in `file`."""

    sha256: str
    file: str
    first: int
    last: int


def _compiled(day: Folder) -> dict[str, _Compiled]:
    """The compiles' index by document file name (the last line of each)."""
    index = day.read(COMPILED_INDEX)
    if index is None:
        return {}
    found: dict[str, _Compiled] = {}
    for row in csv.reader(io.StringIO(index.decode("utf-8"), newline=""), delimiter=";"):
        if len(row) == 5 and row[3].isdigit() and row[4].isdigit():
            found[row[0]] = _Compiled(row[1], row[2], int(row[3]), int(row[4]))
    return found


class _Source:
    """An open PDF the batch takes pages from, with the page resources the batch had
    already when it was opened (taken out, by page) and those it had not (by page)."""

    def __init__(self, pdf: pikepdf.Pdf, shared: dict[object, pikepdf.Object]) -> None:
        self.pdf = pdf
        self.pages = [page.obj for page in pdf.pages]
        again, new = _held_back(pdf, shared)
        self.again: dict[int, list[tuple[str, str, pikepdf.Object]]] = {}
        for page, category, name, known in again:
            self.again.setdefault(page, []).append((category, name, known))
        self.new: dict[int, list[tuple[object, str, str]]] = {}
        for key, (page, category, name) in new.items():
            self.new.setdefault(page, []).append((key, category, name))

    def copy(
        self,
        target: pikepdf.Pdf,
        kids: list[pikepdf.Object],
        first: int,
        last: int,
        shared: dict[object, pikepdf.Object],
    ) -> None:
        """Pages `first` to `last` (0-based) copied into `target` and added to `kids` (the
        batch's pages: `target.pages` costs time in the number of pages at every use)."""
        for number in range(first, last + 1):
            page = target.copy_foreign(_with_inherited(self.pages[number]))
            for category, name, known in self.again.pop(number, ()):
                page.Resources[category][name] = known
            for key, category, name in self.new.pop(number, ()):
                shared.setdefault(key, page.Resources[category][name])
            kids.append(page)


_INHERITED: Final = ("/MediaBox", "/CropBox", "/Resources", "/Rotate")


def _with_inherited(page: pikepdf.Object) -> pikepdf.Object:
    """The page with what it inherits from its page tree set on it (a copied page leaves
    its tree behind)."""
    parent = page.get("/Parent")
    while isinstance(parent, pikepdf.Dictionary):
        for key in _INHERITED:
            if key not in page and key in parent:
                page[key] = parent[key]
        parent = parent.get("/Parent")
    return page


def _joined(day: Folder, listed: Sequence[Listed]) -> tuple[bytes, list[Placed]]:
    """The documents' pages as one PDF, each padded to an even page count.

    A document cut from a compile (`.compiled.csv` names it with its PDF's sha256, and its
    PDF is still that one) is taken from the compile's pages: the compile is parsed once
    for all its documents and its fonts copied once, instead of parsing every document's
    PDF back. Any other document is taken from its own PDF. A font (colour space, image)
    a source shares with one before it, object for object and byte for byte, is not
    copied again: its pages use the one already in the batch."""
    placed: list[Placed] = []
    shared: dict[object, pikepdf.Object] = {}
    compiled = _compiled(day)
    compiles: dict[str, _Source | None] = {}
    kids: list[pikepdf.Object] = []
    with ExitStack() as stack, pikepdf.new() as target:
        for entry in listed:
            # Sources stay open until the batch is saved: qpdf copies page streams lazily.
            content = _content(day, entry.file)
            cut = compiled.get(entry.file)
            source = None
            if cut is not None and hashlib.sha256(content).hexdigest() == cut.sha256:
                if cut.file not in compiles:
                    compiles[cut.file] = _compile_source(day, cut.file, stack, shared)
                source = compiles[cut.file]
            if source is not None and cut is not None and cut.last < len(source.pages):
                pages = (cut.first, cut.last)
            else:
                source = _Source(stack.enter_context(_open(entry.file, content)), shared)
                pages = (0, len(source.pages) - 1)
            first = len(kids) + 1
            source.copy(target, kids, *pages, shared)
            last = len(kids)
            if (last - first) % 2 == 0:  # an odd page count: the next starts on a new sheet
                kids.append(_blank_like(target, kids[-1]))
            placed.append(Placed(entry, first, last, (len(kids) - first + 1) // 2))
        tree = target.Root.Pages
        for kid in kids:
            kid.Parent = tree
        tree.Kids = pikepdf.Array(kids)
        tree.Count = len(kids)
        target.Root.ViewerPreferences = pikepdf.Dictionary(Duplex=pikepdf.Name.DuplexFlipLongEdge)
        out = io.BytesIO()
        # No creation date and an /ID made from the content: the same documents give the
        # same bytes.
        target.save(out, deterministic_id=True)
        return out.getvalue(), placed


def _compile_source(
    day: Folder, file: str, stack: ExitStack, shared: dict[object, pikepdf.Object]
) -> _Source | None:
    """The compile in `file`, opened; None when it is missing or broken (its documents are
    then taken from their own PDFs)."""
    content = day.read(file)
    if content is None:
        return None
    try:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(content)))
    except pikepdf.PdfError:
        return None
    return _Source(pdf, shared)


_SHARED_RESOURCES: Final = ("/Font", "/ColorSpace", "/XObject")
_REFERENCE: Final = re.compile(rb"(\d+) (\d+) R")


def _held_back(
    source: pikepdf.Pdf, shared: dict[object, pikepdf.Object]
) -> tuple[list[tuple[int, str, str, pikepdf.Object]], dict[object, tuple[int, str, str]]]:
    """The source's page resources the batch has already (taken out of the source, so
    they are not copied: which page, category and name, and the batch's object), and
    those it has not (by key: where they are, to share from the batch once copied)."""
    again: list[tuple[int, str, str, pikepdf.Object]] = []
    new: dict[object, tuple[int, str, str]] = {}
    keys: dict[tuple[int, int], object] = {}
    for number, page in enumerate(source.pages):
        resources = page.obj.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for category in _SHARED_RESOURCES:
            named = resources.get(category)
            if not isinstance(named, pikepdf.Dictionary):
                continue
            for name, value in list(named.items()):
                if not value.is_indirect:
                    continue
                key = _key(value, source, keys)
                known = shared.get(key)
                if known is not None:
                    again.append((number, category, name, known))
                    del named[name]  # not copied: the batch's is put back
                elif key not in new:
                    new[key] = (number, category, name)
    return again, new


def _key(value: object, source: pikepdf.Pdf, keys: dict[tuple[int, int], object]) -> object:
    """What the object is, whatever its object numbers: equal keys, equal objects (the
    same dictionaries, arrays and values, streams with the same raw bytes)."""
    if not isinstance(value, pikepdf.Object):  # a number or truth value pikepdf converted
        return (type(value).__name__, value)
    if value.is_indirect:
        known = keys.get(value.objgen)
        if known is not None:
            return known
    key: object
    if isinstance(value, pikepdf.Stream):
        key = ("stream", _key(value.stream_dict, source, keys), value.read_raw_bytes())
    else:
        text = value.unparse(resolved=True)
        references = _REFERENCE.findall(text) if b" R" in text else []
        if not references:  # nothing but direct values: the text says it all
            key = text
        elif b"(" not in text and b"<" not in text.replace(b"<<", b""):
            # No strings, so every `n g R` is a reference: the text without their numbers
            # and what they refer to.
            key = (
                _REFERENCE.sub(b"R", text),
                *(_key(source.get_object(int(n), int(g)), source, keys) for n, g in references),
            )
        elif isinstance(value, pikepdf.Dictionary):
            key = ("dict", *((k, _key(v, source, keys)) for k, v in value.items()))
        elif isinstance(value, pikepdf.Array):
            key = ("array", *(_key(v, source, keys) for v in value))
        else:
            key = text
    if value.is_indirect:
        keys[value.objgen] = key
    return key


def _content(day: Folder, name: str) -> bytes:
    content = day.read(name)
    if content is None:
        raise DeliveryFailed(CHANNEL, f"{name} is in the manifest but not in the outbox")
    return content


def _open(name: str, content: bytes) -> pikepdf.Pdf:
    """The PDF, read from memory (a day may hold more documents than a process may open)."""
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PdfError as error:
        raise DeliveryFailed(CHANNEL, f"{name} is not a readable PDF: {error}") from error
    if len(pdf.pages) == 0:
        pdf.close()
        raise DeliveryFailed(CHANNEL, f"{name} has no pages")
    return pdf


def _blank_like(target: pikepdf.Pdf, page: pikepdf.Object) -> pikepdf.Object:
    """A blank page of the same size as `page` (as `Pdf.add_blank_page` makes it)."""
    x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
    return target.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=pikepdf.Array([0, 0, abs(x1 - x0), abs(y1 - y0)]),
            Contents=target.make_stream(b""),
            Resources=pikepdf.Dictionary(),
        )
    )


def _print_manifest(placed: Sequence[Placed]) -> bytes:
    return _csv(
        [
            PRINT_MANIFEST_HEADER,
            *(
                [p.listed.file, *map(text_cell, p.listed[1:]), p.first_page, p.last_page, p.sheets]
                for p in placed
            ),
        ]
    )
