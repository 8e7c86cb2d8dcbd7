"""The log of imported files, so the same file is never imported twice."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from fordring.adapters.db.tables import import_batch
from fordring.domain.errors import Conflict
from fordring.services.ports import ImportRecord


class SqlImportLog:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def find(self, kind: str, sha256: str) -> ImportRecord | None:
        company_id = self.company_id
        row = self.connection.execute(
            select(import_batch).where(
                (import_batch.c.company_id == company_id)
                & (import_batch.c.kind == kind)
                & (import_batch.c.sha256 == sha256)
            )
        ).first()
        if row is None:
            return None
        return ImportRecord(row.id, row.kind, row.sha256, row.filename, row.rows, row.imported_on)

    def add(self, kind: str, sha256: str, filename: str, rows: int, on: date) -> None:
        company_id = self.company_id
        try:
            self.connection.execute(
                insert(import_batch).values(
                    company_id=company_id,
                    kind=kind,
                    sha256=sha256,
                    filename=filename,
                    rows=rows,
                    imported_on=on,
                )
            )
        except IntegrityError:
            # The same file imported at the same moment: the other import waited on the
            # unique key and committed first.
            raise Conflict(
                f"file: {filename!r} was imported by someone else at the same moment; "
                "nothing was imported"
            ) from None
