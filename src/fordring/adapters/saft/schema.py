"""The official SAF-T Financial schemas (Skatteetaten, XSD 1.10 and 1.30, in schemas/),
each compiled once per process on first use, and which one a file is checked against."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from fordring.domain.errors import InvalidInput

FOLDER = Path(__file__).parent / "schemas"
FILES = {
    "1.10": "Norwegian_SAF-T_Financial_Schema_v_1.10.xsd",
    "1.30": "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd",
}
# AuditFileVersion as files write it → the schema it is checked against. 1.0 files (the
# Skatteetaten example) have the layout of 1.10; 1.20 was replaced by 1.30 in 2025.
VERSIONS = {
    "1.0": "1.10",
    "1.00": "1.10",
    "1.1": "1.10",
    "1.10": "1.10",
    "1.3": "1.30",
    "1.30": "1.30",
}
_VERSION = re.compile(rb"AuditFileVersion>\s*([^<\s]+)\s*<")
_PEEK = 64 * 1024


@cache
def schema(version: str) -> Any:
    """The compiled XMLSchema of a schema version ("1.10" or "1.30")."""
    return etree.XMLSchema(etree.parse(str(FOLDER / FILES[version])))


def version_of(path: Path) -> str:
    """The schema version a file says it is, read from its first 64 KiB (the Header); a
    file with a DOCTYPE (entities, external files) is refused there."""
    with path.open("rb") as handle:
        start = handle.read(_PEEK)
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        # SAF-T has none; a file that declares entities is refused before it is parsed.
        raise InvalidInput.one("saft", "the file declares a DOCTYPE or entities; SAF-T has none")
    found = _VERSION.search(start)
    if found is None:
        raise InvalidInput.one(
            "AuditFileVersion", "no Header/AuditFileVersion at the start: not a SAF-T file"
        )
    written = found.group(1).decode("ascii", "replace")
    version = VERSIONS.get(written)
    if version is None:
        known = ", ".join(sorted(VERSIONS))
        raise InvalidInput.one(
            "AuditFileVersion", f"version {written!r} is not one fordring reads ({known})"
        )
    return version
