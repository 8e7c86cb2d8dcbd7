"""Which bank file is this: tells Nets OCR giro from camt.054 by its content (never its
name), then reads it whole, or reads only its id so that a duplicate is refused at once.
"""

from __future__ import annotations

from pathlib import Path

from fordring.adapters.bank import camt054, ocr_giro
from fordring.domain.bank_files import BankFile, BankFormat
from fordring.domain.errors import InvalidInput

HEAD = 4096  # enough of the start to tell the formats apart
UTF8_BOM = b"\xef\xbb\xbf"
NEITHER = "neither a Nets OCR giro file nor a camt.054 notification"


def read_bank_file(path: Path) -> BankFile:
    """The whole file; InvalidInput names what is wrong (field) and where."""
    if bank_format(path) is BankFormat.OCR:
        return ocr_giro.read_ocr(path)
    return camt054.read_camt054(path)


def peek_file_id(path: Path) -> tuple[BankFormat, str]:
    """The format and file id from the start of the file only: OCR record 10 (data sender
    and transmission number) or camt.054 GrpHdr/MsgId."""
    kind = bank_format(path)
    with path.open("rb") as source:
        if kind is BankFormat.OCR:
            return kind, ocr_giro.transmission_id(source.readline(200).decode("iso-8859-1"))
        return kind, camt054.peek_message_id(source)


def bank_format(path: Path) -> BankFormat:
    """OCR starts with its transmission start record; camt.054 is XML whose root is a
    Document in a camt.054 namespace. Anything else is refused, naming "file"."""
    with path.open("rb") as source:
        head = source.read(HEAD)
        if not head:
            raise InvalidInput.one("file", "is empty")
        if head.startswith(ocr_giro.TRANSMISSION_START.encode()):
            return BankFormat.OCR
        if head.removeprefix(UTF8_BOM).lstrip().startswith(b"<"):
            source.seek(0)
            try:
                camt054.root_namespace(source)
            except InvalidInput as error:
                raise InvalidInput.one("file", f"{NEITHER}: {error}") from None
            return BankFormat.CAMT054
    reason = f"{NEITHER}: OCR starts with NY000010, camt.054 is XML with a camt.054 Document"
    raise InvalidInput.one("file", reason)
