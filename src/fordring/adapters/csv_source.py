"""CSV files as import sources: UTF-8 (with or without BOM), `;` or `,`, a header row.

The file is hashed first (to refuse a second import) and then streamed row by row.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from fordring.domain.errors import InvalidInput, Problem

_CHUNK = 1 << 20


class CsvFile:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InvalidInput.one("file", f"{self.path} does not exist or is not a file")
        digest = hashlib.sha256()
        with self.path.open("rb") as raw:
            while chunk := raw.read(_CHUNK):
                digest.update(chunk)
        self._sha256 = digest.hexdigest()

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sha256(self) -> str:
        return self._sha256

    def rows(
        self, known: Sequence[str], required: Sequence[str]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                first = handle.readline()
                delimiter = ";" if first.count(";") >= first.count(",") else ","
                header = [_column(name) for name in next(csv.reader([first], delimiter=delimiter))]
                _check_header(header, known, required)
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


def _check_header(header: list[str], known: Sequence[str], required: Sequence[str]) -> None:
    problems = [
        Problem(name or "(empty)", "unknown column; known: " + ", ".join(known), "header")
        for name in header
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
