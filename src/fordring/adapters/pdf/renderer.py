"""Typst renders the letters and the collection list from the templates in templates/,
and runs any batch template (letters, invoices) on worker processes.

A compiler per template lives as long as the process, so templates and fonts are parsed
once. Bulk rendering compiles documents in batches (fonts are then embedded once per batch,
a large part of the cost of a one-page letter) and splits each batch into one PDF per
document; batches run in worker processes, because Typst holds the GIL while it compiles.
Only the fonts embedded in Typst are used, so a letter looks the same on every machine.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Final, Protocol, Self, TypeVar

import typst

from fordring.adapters.pdf.parent_watch import exit_with_parent
from fordring.adapters.pdf.splitting import Part, split_pdf
from fordring.adapters.pdf.template_data import Json, collection_list_data, letter_data
from fordring.domain.collection.letters import CollectionList, Letter, LetterAccess
from fordring.services.ports import Compiled, Rendered, RenderFailed

TEMPLATES: Final = Path(__file__).parent / "templates"
LETTERS_TEMPLATE: Final = TEMPLATES / "letters.typ"
LIST_TEMPLATE: Final = TEMPLATES / "collection_list.typ"
DEFAULT_WORKERS: Final = 2
DEFAULT_BATCH: Final = 20  # letters per compile: 10 is 10 % slower, 40 only 5 % faster
# Where each document of a compiled batch starts and ends, read back from the laid-out PDF.
_WHERE: Final = (
    "(query(<document>).map(m => (page: m.location().page(), ..m.value)),"
    " query(<document-end>).map(m => m.location().page()))"
)

# A batch for a worker: the template, each document's data and each one's date.
Job = tuple[Path, list[Json], tuple[date, ...]]
T = TypeVar("T")


class _Accessed(Protocol):
    """A document that may print the debtor's page (a letter, an invoice): a dataclass
    with its `access`."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def access(self) -> LetterAccess | None: ...


A = TypeVar("A", bound=_Accessed)

_local = threading.local()
_fonts_lock = threading.Lock()
_fonts: typst.Fonts | None = None


class RenderError(RenderFailed):
    """A template failed to compile (a broken template, or data it cannot show)."""


def render_letter(letter: Letter) -> bytes:
    """One letter as a PDF."""
    pdf, _ = _compile(LETTERS_TEMPLATE, [letter_data(letter)], letter.letter_date)
    return pdf


def render_collection_list(lst: CollectionList) -> bytes:
    """The creditor's collection list as a PDF (one or more pages)."""
    pdf, _ = _compile(LIST_TEMPLATE, [collection_list_data(lst)], lst.list_date)
    return pdf


def compile_document(
    template: Path, data: Json, day: date, ask: str | None = None
) -> tuple[bytes, object]:
    """One document from a template in templates/ that reads `[data]` as the letters do,
    compiled once (its pages are not renumbered); the PDF's creation date is `day`. With
    the answer, as parsed JSON, to the Typst expression `ask` on the laid-out document."""
    pdf, _ = _compile_once(template, [data], day)
    if ask is None:
        return pdf, None
    try:
        return pdf, json.loads(_compiler(template).eval(ask, format="json"))
    except typst.TypstError as error:
        raise RenderError(f"{template.name}: {error.message}\n{error.diagnostic}") from error


def render_letters(
    letters: Sequence[Letter], workers: int = DEFAULT_WORKERS, batch: int = DEFAULT_BATCH
) -> list[bytes]:
    """Each letter as its own PDF, in the order given (see `TypstLetterRenderer`)."""
    with TypstLetterRenderer(workers, batch) as renderer:
        return renderer.render_letters(letters)


class BatchRenderer:
    """Compiles documents `batch` at a time and, for more than a few batches, on `workers`
    processes that stay up until `close()` (starting them takes about 0.15 s)."""

    debtor_page = ""  # the debtor's page's address the documents print ("": the default)

    def __init__(self, workers: int = DEFAULT_WORKERS, batch: int = DEFAULT_BATCH) -> None:
        self.workers, self.batch = max(1, workers), max(1, batch)
        self._pool: Executor | None = None

    def addressed(self, documents: Sequence[A]) -> list[A]:
        """The documents with the debtor's page's address where they print the page's
        code without an address of their own (issue 19)."""
        if not self.debtor_page:
            return list(documents)
        return [
            replace(x, access=replace(x.access, address=self.debtor_page))
            if x.access is not None and not x.access.address
            else x
            for x in documents
        ]

    def render_in_batches(
        self, items: Sequence[T], job: Callable[[Sequence[T]], Job]
    ) -> list[bytes]:
        """Each item as its own PDF, in order; `job` turns a batch of items into a `Job`."""
        return [rendered.pdf for rendered in self.rendered_in_batches(items, job)]

    def rendered_in_batches(
        self, items: Sequence[T], job: Callable[[Sequence[T]], Job]
    ) -> list[Rendered]:
        """As `render_in_batches`, each PDF with the compile it was cut from."""
        if not items:
            return []
        size = max(1, min(self.batch, -(-len(items) // self.workers)))
        parts = [items[i : i + size] for i in range(0, len(items), size)]
        if self.workers == 1 or len(parts) < 2 * self.workers:
            return [pdf for part in parts for pdf in _rendered(compile_job(job(part)))]
        try:
            # A generator, so the first batches compile while later ones are prepared.
            jobs = (job(part) for part in parts)
            compiled = self._workers().map(compile_job, jobs)
            return [pdf for batch in compiled for pdf in _rendered(batch)]
        except BrokenProcessPool as error:
            self.close()
            raise RenderError("a rendering process died") from error

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _workers(self) -> Executor:
        if self._pool is None:
            # spawn, not fork: a forked copy of a process whose Typst threads are running
            # can deadlock.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker,
                initargs=(os.getpid(),),
            )
        return self._pool


class TypstLetterRenderer(BatchRenderer):
    """The letter renderer the services are given (bootstrap wires it).

    `render_letters` compiles `batch` letters at a time, on `workers` processes when there
    are more than a few batches (see `BatchRenderer`).
    """

    def render_letter(self, letter: Letter) -> bytes:
        return render_letter(self.addressed([letter])[0])

    def render_collection_list(self, lst: CollectionList) -> bytes:
        return render_collection_list(lst)

    def render_letters(self, letters: Sequence[Letter]) -> list[bytes]:
        return self.render_in_batches(self.addressed(letters), _job)

    def rendered_letters(self, letters: Sequence[Letter]) -> list[Rendered]:
        return self.rendered_in_batches(self.addressed(letters), _job)


def _worker(parent: int) -> None:
    # A killed command must not leave its workers waiting for ever (issue 14).
    exit_with_parent(parent)
    # One compile per core: Typst's own threads would only compete with the other worker.
    os.environ.setdefault("RAYON_NUM_THREADS", "1")


# A compiled batch as a worker returns it: the compile's PDF (None for a single document,
# which is its own PDF) and each document's own PDF with its pages in the compile.
CompiledJob = tuple[bytes | None, list[tuple[bytes, int, int]]]


def render_job(job: Job) -> list[bytes]:
    """The documents of a batch as one PDF each: compiled together, then split."""
    return [pdf for pdf, _, _ in compile_job(job)[1]]


def compile_job(job: Job) -> CompiledJob:
    """As `render_job`, with the compile and where each document lies in it."""
    template, data, dates = job
    pdf, documents = _compile(template, data, dates[0])
    if len(documents) != len(dates):
        raise RenderError(f"{len(dates)} documents in a batch, {len(documents)} out")
    if len(dates) == 1:
        return None, [(pdf, documents[0].first_page, documents[0].last_page)]
    parts = [
        Part(doc.first_page, doc.title, doc.author, doc.lang, _timestamp(dated))
        for doc, dated in zip(documents, dates, strict=True)
    ]
    pdfs = split_pdf(pdf, parts)
    ends = [doc.first_page - 1 for doc in documents[1:]]
    return pdf, [
        (one, doc.first_page, end)
        for one, doc, end in zip(pdfs, documents, [*ends, documents[-1].last_page], strict=True)
    ]


def _rendered(job: CompiledJob) -> list[Rendered]:
    whole, documents = job
    if whole is None:
        return [Rendered(pdf) for pdf, _, _ in documents]
    return [Rendered(pdf, Compiled(whole, first, last)) for pdf, first, last in documents]


@dataclass(frozen=True, slots=True)
class _Document:
    """Where one document of a compiled batch lies (0-based pages) and what it is called."""

    first_page: int
    last_page: int
    title: str
    author: str
    lang: str


def _compile(template: Path, data: list[Json], dated: date) -> tuple[bytes, list[_Document]]:
    """Compile the documents in `data` as one PDF; a second time, numbering the pages of
    those that came out longer than one page."""
    pdf, documents = _compile_once(template, data, dated)
    longer = [i for i, doc in enumerate(documents) if doc.last_page > doc.first_page]
    if longer:
        data = list(data)
        for i in longer:
            data[i] = {**data[i], "pages": documents[i].last_page - documents[i].first_page + 1}
        pdf, documents = _compile_once(template, data, dated)
    return pdf, documents


def _compile_once(template: Path, data: list[Json], dated: date) -> tuple[bytes, list[_Document]]:
    compiler = _compiler(template)
    try:
        pdf = compiler.compile(
            format="pdf",
            sys_inputs={"data": json.dumps(data, ensure_ascii=False, separators=(",", ":"))},
            timestamp=_timestamp(dated),
            pdf_tags=False,
        )
        starts, ends = json.loads(compiler.eval(_WHERE, format="json"))
    except typst.TypstError as error:
        raise RenderError(f"{template.name}: {error.message}\n{error.diagnostic}") from error
    if not isinstance(pdf, bytes):
        raise RenderError(f"{template.name}: Typst returned no PDF")
    documents = [
        _Document(start["page"] - 1, end - 1, start["title"], start["author"], start["lang"])
        for start, end in zip(starts, ends, strict=True)
    ]
    return pdf, documents


def _job(letters: Sequence[Letter]) -> Job:
    data = [letter_data(letter) for letter in letters]
    return LETTERS_TEMPLATE, data, tuple(x.letter_date for x in letters)


def _timestamp(dated: date) -> datetime:
    """The PDF's creation date is the document's date, so the same one gives the same bytes."""
    return datetime.combine(dated, time(12), tzinfo=UTC)


def _compiler(template: Path) -> typst.Compiler:
    compilers: dict[Path, typst.Compiler] | None = getattr(_local, "compilers", None)
    if compilers is None:
        compilers = _local.compilers = {}
    compiler = compilers.get(template)
    if compiler is None:
        compiler = compilers[template] = typst.Compiler(
            template, root=TEMPLATES, font_paths=_embedded_fonts(), ignore_system_fonts=True
        )
    return compiler


def _embedded_fonts() -> typst.Fonts:
    global _fonts
    with _fonts_lock:
        if _fonts is None:
            _fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
        return _fonts
