"""The bank-file reader the import service is given: format detection and the parsers of
`adapters/bank/` behind one small interface."""

from __future__ import annotations

from pathlib import Path

from fordring.adapters.bank.reader import peek_file_id, read_bank_file
from fordring.domain.bank_files import BankFile, BankFormat


class BankFileReader:
    def peek(self, path: Path) -> tuple[BankFormat, str]:
        return peek_file_id(path)

    def read(self, path: Path) -> BankFile:
        return read_bank_file(path)
