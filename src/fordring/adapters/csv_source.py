"""CSV files as import sources: UTF-8 (with or without BOM) or Windows-1252 (what Excel's
plain "CSV" writes in Norway), `;` or `,`, a header row.

The file's encoding is decided first: UTF-8 when all of it decodes as UTF-8, Windows-1252
when none of it looks like UTF-8 and every byte means a character there; anything else (a
mixed file, UTF-16, a binary file) is refused with the hint to save as CSV UTF-8. It is then
hashed (to refuse a second import) and streamed row by row. The hash is of the text as the
import reads it, in UTF-8: without a byte-order mark, with CRLF or CR line ends as LF and
without blank lines, so the same file saved again by another program, or in the other
encoding, is still the same file. A file whose first line names none of the known columns
is not a CSV file for this import: it is refused without a word of its content.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from fordring.domain.errors import InvalidInput, Problem
from fordring.services.progress import Progress, no_progress

_CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"
MAX_COLUMN_NAME = 40
UTF8, CP1252 = "utf-8", "cp1252"
HEADER = "line 1 (header)"
SAVE_AS_UTF8 = "save it as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8 (comma delimited)')"
# A character of two to four bytes in UTF-8: Windows-1252 text with Norwegian letters
# (æ is E6, ø F8, å E5, each followed by an ASCII byte) practically never holds one.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# Bytes Windows-1252 gives no character, and NUL (UTF-16 text is full of them).
_NOT_CP1252 = re.compile(rb"[\x00\x81\x8d\x8f\x90\x9d]")


class CsvFile:
    def __init__(self, path: str | Path, progress: Progress = no_progress) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InvalidInput.one("file", f"{self.path} does not exist or is not a file")
        self.encoding = _encoding(self.path)
        self._sha256, self._raw_sha256, lines = _hashes(self.path, self.encoding)
        self.row_count = max(lines - 1, 0)  # without the header; a quoted line break counts
        self.progress = progress  # hears of each row read

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
        read = -1  # lines read after the header; -1 while the header is read
        try:
            encoding = "utf-8-sig" if self.encoding == UTF8 else self.encoding
            with self.path.open(encoding=encoding, newline="") as handle:
                first = handle.readline()
                delimiter = ";" if first.count(";") >= first.count(",") else ","
                header = [_column(name) for name in next(csv.reader([first], delimiter=delimiter))]
                _check_header(self.name, header, known, required)
                reader = csv.reader(handle, delimiter=delimiter)
                width = len(header)
                # A quoted cell may span lines: a row's number is the line it starts on.
                read = rows = 0
                for values in reader:
                    line_no, read = read + 2, reader.line_num
                    if not values or (len(values) == 1 and not values[0].strip()):
                        continue
                    if len(values) != width:
                        raise InvalidInput.one(
                            "file",
                            f"{len(values)} fields where the header has {width}",
                            f"line {line_no}",
                        )
                    yield line_no, {h: v.strip() for h, v in zip(header, values, strict=True)}
                    rows += 1
                    self.progress(rows, self.row_count)
        except csv.Error as error:
            raise InvalidInput.one(
                "file", f"{self.name} is not valid CSV: {error}", f"line {read + 2}"
            ) from None


def _encoding(path: Path) -> str:
    """UTF-8 or Windows-1252, decided from the whole file; any other file is refused at the
    line of its first byte that is not UTF-8 (a mixed file) or no Windows-1252 character."""
    decoder = codecs.getincrementaldecoder(UTF8)()
    offset = 0  # of the chunk being decoded
    with path.open("rb") as source:
        try:
            while chunk := source.read(_CHUNK):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            # (the decoder's buffered bytes of a character cut by the chunk come first)
            offset += error.start - len(error.object) + len(chunk)
        else:
            return UTF8
    data = path.read_bytes()  # not UTF-8: a spreadsheet's export, read whole to decide
    undefined = _NOT_CP1252.search(data)
    if undefined is None and _UTF8_SEQUENCE.search(data) is None:
        return CP1252
    at = undefined.start() if undefined is not None else offset
    line = data.count(b"\n", 0, at) + 1
    raise InvalidInput.one(
        "file",
        f"{path.name} is neither UTF-8 nor Windows-1252 text; {SAVE_AS_UTF8}",
        f"line {line}",
        "unknown_encoding",
    )


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
        Problem(_named(n, name, known), "unknown column; known: " + ", ".join(known), HEADER)
        for n, name in enumerate(header, 1)
        if name not in known
    ]
    problems += [
        Problem(name, "required column is missing", HEADER)
        for name in required
        if name not in header
    ]
    if len(set(header)) != len(header):
        problems.append(Problem("header", "a column appears twice", HEADER))
    if problems:
        raise InvalidInput(problems)


def _named(n: int, name: str, known: Sequence[str]) -> str:
    """An unknown column by its name when that is a plain column name (a typo shows what
    was meant), else by its place: a header cell is never echoed whole."""
    close = difflib.get_close_matches(name, known, n=1)
    if name.isidentifier() and len(name) <= MAX_COLUMN_NAME:
        return f"{name} (did you mean {close[0]}?)" if close else name
    return f"column {n}" + (f" (did you mean {close[0]}?)" if close else "")


def _hashes(path: Path, encoding: str = UTF8) -> tuple[str, str, int]:
    """(SHA-256 of the text as read, SHA-256 of the bytes, its lines), in one pass over the
    file: the text in UTF-8, line ends made LF, blank lines and a leading byte-order mark
    dropped, one LF at the end."""
    lines = 0
    transcode = encoding == CP1252  # one byte a character: any chunk decodes whole
    text, raw = hashlib.sha256(), hashlib.sha256()
    at_line_start = True
    with path.open("rb") as source:
        head = source.read(len(BOM))
        raw.update(head)
        carry = b"" if head == BOM else head  # read before the next chunk
        if transcode:  # (a Windows-1252 file never starts with the BOM: it is not one)
            carry = carry.decode(CP1252).encode()
        while True:
            chunk = source.read(_CHUNK)
            raw.update(chunk)
            if transcode:
                chunk = chunk.decode(CP1252).encode()
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
                lines += data.count(b"\n")
                at_line_start = data.endswith(b"\n")
            if not chunk:
                break
    if not at_line_start:  # a last line without its line end is the same line
        text.update(b"\n")
        lines += 1
    return text.hexdigest(), raw.hexdigest(), lines
