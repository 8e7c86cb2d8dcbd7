"""The debtor's PIN key file (decision 0015): the key PINs are kept under (HMAC-SHA256),
outside the database, when `FORDRING_DEBTOR_PIN_KEY` is not set. `debtor-pin.key` in
the outbox folder: 32 random bytes as hex, mode 0600, made on first use. Made at once by
two processes, both end with the one key: it is created with O_EXCL, and the process
that finds it made reads the other's (written in full before it is linked in place)."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

KEY_FILE = "debtor-pin.key"
_KEY_BYTES = 32
_READ_TRIES = 50  # a file made by another process is complete at once (see `_made`)


def pin_key_from_file(folder: str) -> bytes:
    """The key in `folder`'s `debtor-pin.key`, made there first if there is none."""
    path = Path(folder) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        made = _made(path)
        if made is not None:
            return made
    return _read(path)


def _made(path: Path) -> bytes | None:
    """A new key written to a private temporary file, then linked as `path` (O_EXCL's
    atomic equivalent that never shows a half-written file); None if another process
    linked its key first."""
    key = secrets.token_bytes(_KEY_BYTES)
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(key.hex() + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return None
    finally:
        temporary.unlink(missing_ok=True)
    return key


def _read(path: Path) -> bytes:
    for _ in range(_READ_TRIES):
        text = path.read_text().strip()
        if len(text) == 2 * _KEY_BYTES:
            return bytes.fromhex(text)
        time.sleep(0.01)
    raise ValueError(f"{path} is not a PIN key (64 hex digits); restore it or remove it")
