"""Receiver lookup from a participant list file, for installations without DNS to the SML.

Two formats, told apart by the first line that is not blank or a comment:

Plain list (UTF-8), one participant a line, optionally followed by `;` and the document
types it takes; `#` starts a comment when it begins the line or follows a blank (document
type ids contain `#` themselves, but never a blank)::

    # who takes EHF, from our access point's export
    0192:923456783
    0192:988077917 ; invoice        # invoices only, no credit notes
    iso6523-actorid-upis::0192:123456785 ; busdox-docid-qns::urn:oasis:…::2.1

A line without document types means the participant takes Peppol BIS Billing 3.0 invoices
and credit notes. A document type is `invoice`, `credit-note` (BIS Billing 3.0) or a full
document type id; one without its scheme (`urn:…`) gets `busdox-docid-qns::`.

Peppol Directory CSV export (the "business cards" or the "participant IDs" export): a
header line whose first column is `Participant ID` (`;` or `,` separated, quoted cells);
the participant column holds `iso6523-actorid-upis::0192:…` and the optional
`Document types` column one document type id a line. Rows of the same participant merge.

The file is checked when loaded; every problem names its line. It is read again when it
changes on disk.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from fordring.adapters.clock import now_in_oslo
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.peppol import (
    CREDIT_NOTE_DOCUMENT_TYPE,
    INVOICE_DOCUMENT_TYPE,
    Receiver,
    Source,
    describe_document_type,
    parse_participant,
)
from fordring.services.ports import DeliveryFailed

DIRECTORY_HEADER = "Participant ID"
DIRECTORY_DOCUMENT_TYPES = "Document types"
DOCUMENT_SCHEMES = ("busdox-docid-qns::", "peppol-doctype-wildcard::")
BILLING_DOCUMENT_TYPES = frozenset({INVOICE_DOCUMENT_TYPE, CREDIT_NOTE_DOCUMENT_TYPE})
ALIASES = {"invoice": INVOICE_DOCUMENT_TYPE, "credit-note": CREDIT_NOTE_DOCUMENT_TYPE}
MAX_PROBLEMS = 20

Participants = dict[str, frozenset[str]]  # participant → document types it takes


class OfflineParticipantList:
    """`ReceiverLookup` from a list file (see the module docstring for its formats).

    path: the file; now: the clock for `checked_at`. InvalidInput when the file cannot be
    read or breaks the format, naming each bad line.
    """

    def __init__(self, path: str | Path, now: Callable[[], datetime] = now_in_oslo) -> None:
        self.path = Path(path)
        self.now = now
        self._stamp, self._participants = self._load()

    def lookup(self, participant: str) -> Receiver:
        """Whether the participant takes Peppol BIS Billing 3.0 invoices."""
        return self.lookup_document(participant, INVOICE_DOCUMENT_TYPE)

    def lookup_document(self, participant: str, document_type: str) -> Receiver:
        participant = ":".join(parse_participant(participant))
        participants = self._current()
        takes = participants.get(participant)
        answer = functools.partial(self._answer, participant, document_type)
        if takes is None:
            return answer(False, f"not in the offline list {self.path}")
        if document_type in takes:
            return answer(True, f"in the offline list {self.path}")
        what = describe_document_type(document_type)
        return answer(False, f"in the offline list {self.path}, but not for {what}")

    def _current(self) -> Participants:
        """The list, read again if the file changed; DeliveryFailed if it now is broken."""
        try:
            changed = _stamp(self.path) != self._stamp
        except OSError as error:
            raise DeliveryFailed("peppol", f"cannot read {self.path}: {error}") from None
        if changed:
            try:
                self._stamp, self._participants = self._load()
            except InvalidInput as error:
                raise DeliveryFailed("peppol", str(error)) from None
        return self._participants

    def _load(self) -> tuple[tuple[int, int], Participants]:
        try:
            stamp = _stamp(self.path)
            text = self.path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput.one(
                "participant list", f"cannot read {self.path}: {error}"
            ) from None
        return stamp, parse_participant_list(text, str(self.path))

    def _answer(
        self, participant: str, document_type: str, can_receive: bool, reason: str
    ) -> Receiver:
        return Receiver(
            participant=participant,
            can_receive=can_receive,
            source=Source.OFFLINE_LIST,
            checked_at=self.now(),
            reason=reason,
            document_type=document_type,
        )


def parse_participant_list(text: str, name: str) -> Participants:
    """The participants of a list file's text; InvalidInput naming each bad line of `name`."""
    directory = _is_directory_csv(text)
    problems: list[Problem] = []
    participants: Participants = {}
    for number, fields in _directory_rows(text) if directory else _plain_rows(text):
        where = f"{name}, line {number}"
        try:
            participant, document_types = _row(fields, where)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        if participant in participants and not directory:  # the Directory: a row per entity
            problems.append(Problem("participant", f"{participant} is listed twice", where))
        participants[participant] = participants.get(participant, frozenset()) | document_types
    if problems:
        raise InvalidInput(_capped(problems))
    return participants


def _row(fields: list[str], where: str) -> tuple[str, frozenset[str]]:
    try:
        participant = ":".join(parse_participant(fields[0]))
    except InvalidInput as error:
        raise InvalidInput(Problem(p.field, p.reason, where) for p in error.problems) from None
    types = [_document_type(field.strip(), where) for field in fields[1:] if field.strip()]
    return participant, frozenset(types) if types else BILLING_DOCUMENT_TYPES


def _document_type(text: str, where: str) -> str:
    if text.lower() in ALIASES:
        return ALIASES[text.lower()]
    if text.startswith(DOCUMENT_SCHEMES):
        return text
    if text.startswith("urn:") and " " not in text:
        return f"{DOCUMENT_SCHEMES[0]}{text}"
    raise InvalidInput.one("document_type", f"{text!r} is not a Peppol document type id", where)


def _plain_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        content = _without_comment(line).strip()
        if content:
            yield number, content.split(";")


def _without_comment(line: str) -> str:
    if line.lstrip().startswith("#"):
        return ""
    for blank in (" #", "\t#"):
        line = line.split(blank, 1)[0]
    return line


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if _without_comment(line).strip()), "")


def _is_directory_csv(text: str) -> bool:
    return _first_line(text).lstrip('"').startswith(DIRECTORY_HEADER)


def _directory_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    header = _first_line(text)
    delimiter = header.lstrip('"')[len(DIRECTORY_HEADER) :].lstrip('"')[:1] or ";"
    start = text.index(header)
    reader = csv.reader(io.StringIO(text[start:]), delimiter=delimiter)
    columns = next(reader)
    types_at = (
        columns.index(DIRECTORY_DOCUMENT_TYPES) if DIRECTORY_DOCUMENT_TYPES in columns else -1
    )
    offset = text[:start].count("\n")
    first = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            types = row[types_at].splitlines() if 0 <= types_at < len(row) else []
            yield offset + first, [row[0], *types]
        first = reader.line_num + 1


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = Problem("participant list", f"and {len(problems) - MAX_PROBLEMS} more problems")
    return [*problems[:MAX_PROBLEMS], more]


def _stamp(path: Path) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size
