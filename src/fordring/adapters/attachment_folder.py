"""The debtor's attached files (issue 19): kept in `<root>/<company id>/` under random
names (the client's name is never part of a path), through `safe_files` (never through a
link). The root is the setting FORDRING_ATTACHMENTS, by default `attachments` in the
outbox folder: shared by every web process and worker, and served by none."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from fordring.adapters.safe_files import existing_folder, folder

_KEY = re.compile(r"[0-9a-f]{32}")


class FolderAttachments:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, company_id: int, content: bytes) -> str:
        with folder(self.root, str(int(company_id))) as place:
            while True:
                key = secrets.token_hex(16)
                if place.create(key, content):  # durable, never over another file
                    return key

    def read(self, company_id: int, key: str) -> bytes | None:
        if not _KEY.fullmatch(key):
            return None
        with existing_folder(self.root, str(int(company_id))) as place:
            return None if place is None else place.read(key)

    def remove(self, company_id: int, key: str) -> None:
        if not _KEY.fullmatch(key):
            return
        with existing_folder(self.root, str(int(company_id))) as place:
            if place is not None:
                place.remove(key)
