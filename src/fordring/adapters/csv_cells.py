"""Cells of the CSV files fordring writes (settlement statements, the printer's manifests):
text a spreadsheet would take for a formula is written as plain text.

Names and addresses come from customers and bank files; a cell starting with `=`, `+`,
`-` or `@` (or a tab or carriage return) is a formula to Excel and LibreOffice, so it gets
a leading apostrophe, which they show as text (OWASP, "CSV injection"). Applying it twice
changes nothing.
"""

from __future__ import annotations

from typing import Final

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """`value` as a cell a spreadsheet shows as text, never runs."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
