"""CSV files as import sources: UTF-8 (with or without BOM), `;` or `,`, a header row.

The file is hashed first (to refuse a second import) and then streamed row by row. The hash
is of the text as the import reads it: without a byte-order mark, with CRLF or CR line
ends as LF and without blank lines, so the same file saved again by another program is
still the same file. A file whose first line names none of the known columns is not a CSV
file for this import: it is refused without a word of its content (it may be anything).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from fordring.domain.errors import InvalidInput, Problem

_CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"
MAX_COLUMN_NAME = 40


class CsvFile:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InvalidInput.one("file", f"{self.path} does not exist or is not a file")
        self._sha256, self._raw_sha256 = _hashes(self.path)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sha256(self) -> str:
        """Of the text as read: line ends, blank lines and a byte-order mark do not count."""
        return self._sha256

    @property
    def hashes(self) -> tuple[str, ...]:
        """Every hash an earlier import of this file may be stored under: `sha256`, and the
        SHA-256 of the bytes that imports before issue 14 stored."""
        return (self._sha256, self._raw_sha256)

    def rows(
        self, known: Sequence[str], required: Sequence[str]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                first = handle.readline()
                delimiter = ";" if first.count(";") >= first.count(",") else ","
                header = [_column(name) for name in next(csv.reader([first], delimiter=delimiter))]
                _check_header(self.name, header, known, required)
                reader = csv.reader(handle, delimiter=delimiter)
                width = len(header)
                for line_no, values in enumerate(reader, start=2):
                    if not values or (len(values) == 1 and not values[0].strip()):
                        continue
                    if len(values) != width:
                        raise InvalidInput.one(
                            "file",
                            f"{len(values)} fields where the header has {width}",
                            f"line {line_no}",
                        )
                    yield line_no, {h: v.strip() for h, v in zip(header, values, strict=True)}
        except UnicodeDecodeError as error:
            raise InvalidInput.one(
                "file", f"{self.name} is not UTF-8 text ({error.reason})"
            ) from None
        except csv.Error as error:
            raise InvalidInput.one("file", f"{self.name} is not valid CSV: {error}") from None


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _check_header(
    filename: str, header: list[str], known: Sequence[str], required: Sequence[str]
) -> None:
    if not any(name in known for name in header):
        raise InvalidInput.one(
            "file",
            f"{filename} is not a CSV file with a header row of known columns; its first line "
            "names none of them (known: " + ", ".join(known) + ")",
            "line 1",
        )
    problems = [
        Problem(_named(n, name, known), "unknown column; known: " + ", ".join(known), "header")
        for n, name in enumerate(header, 1)
        if name not in known
    ]
    problems += [
        Problem(name, "required column is missing", "header")
        for name in required
        if name not in header
    ]
    if len(set(header)) != len(header):
        problems.append(Problem("header", "a column appears twice", "header"))
    if problems:
        raise InvalidInput(problems)


def _named(n: int, name: str, known: Sequence[str]) -> str:
    """An unknown column by its name when that is a plain column name (a typo shows what
    was meant), else by its place: a header cell is never echoed whole."""
    close = difflib.get_close_matches(name, known, n=1)
    if name.isidentifier() and len(name) <= MAX_COLUMN_NAME:
        return f"{name} (did you mean {close[0]}?)" if close else name
    return f"column {n}" + (f" (did you mean {close[0]}?)" if close else "")


def _hashes(path: Path) -> tuple[str, str]:
    """(SHA-256 of the text as read, SHA-256 of the bytes), in one pass over the file: line
    ends made LF, blank lines and a leading byte-order mark dropped, one LF at the end."""
    text, raw = hashlib.sha256(), hashlib.sha256()
    at_line_start = True
    with path.open("rb") as source:
        head = source.read(len(BOM))
        raw.update(head)
        carry = b"" if head == BOM else head  # read before the next chunk
        while True:
            chunk = source.read(_CHUNK)
            raw.update(chunk)
            data = carry + chunk
            # A CR at the end of a chunk waits: its LF may start the next.
            carry = b"\r" if chunk and data.endswith(b"\r") else b""
            data = data[: len(data) - len(carry)]
            if b"\r" in data:
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            while b"\n\n" in data:
                data = data.replace(b"\n\n", b"\n")
            if at_line_start:
                data = data.lstrip(b"\n")
            if data:
                text.update(data)
                at_line_start = data.endswith(b"\n")
            if not chunk:
                break
    if not at_line_start:  # a last line without its line end is the same line
        text.update(b"\n")
    return text.hexdigest(), raw.hexdigest()
