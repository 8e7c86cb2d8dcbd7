"""What every file import shares: the file it reads, the once-only rule, the result.

A file is identified by the SHA-256 of its content as read (line ends, blank lines and a
byte-order mark do not count): importing the same file again, or saved again by another
program, changes nothing and says when it was imported before. Its rows reach a service
already typed (the commands the service takes) or refused with their problems: reading
text is the entry point's (adapters/csv_imports.py for CSV files).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

from fordring.domain.errors import InvalidInput, Problem
from fordring.services.ports import UnitOfWork

MAX_PROBLEMS_SHOWN = 50


Record = TypeVar("Record", covariant=True)


@dataclass(frozen=True, slots=True)
class Refused:
    """A row (or a group of rows) that could not be read: every problem, each naming its
    field and line."""

    problems: tuple[Problem, ...]


class ImportFile(Protocol[Record]):
    """A file to import: its name, content hash, and its records in file order, each a
    typed command or `Refused`. Read lazily: a file imported before is never read."""

    @property
    def name(self) -> str: ...

    @property
    def sha256(self) -> str:
        """The hash a new import is stored under."""
        ...

    @property
    def hashes(self) -> tuple[str, ...]:
        """Every hash an earlier import of the same file may be stored under."""
        ...

    def records(self) -> Iterator[Record | Refused]:
        """The records; InvalidInput for a file that is malformed as a whole."""
        ...


@dataclass(frozen=True, slots=True)
class ImportResult:
    filename: str
    records: int  # customers or invoices
    lines: int  # invoice lines (0 for customers)
    already: bool  # the same file was imported before; nothing changed
    imported_on: str = ""


def already_imported(uow: UnitOfWork, kind: str, source: ImportFile[object]) -> ImportResult | None:
    record = next(filter(None, (uow.imports.find(kind, sha) for sha in source.hashes)), None)
    if record is None:
        return None
    return ImportResult(
        record.filename, record.rows, 0, already=True, imported_on=record.imported_on.isoformat()
    )


def raise_if_any(problems: Iterable[Problem]) -> None:
    """Refuse the whole import, showing the first problems (and how many more there are)."""
    found = list(problems)
    if not found:
        return
    shown = found[:MAX_PROBLEMS_SHOWN]
    if len(found) > MAX_PROBLEMS_SHOWN:
        more = len(found) - MAX_PROBLEMS_SHOWN
        shown.append(Problem("file", f"{more} more problems not shown; nothing was imported"))
    raise InvalidInput(shown)
