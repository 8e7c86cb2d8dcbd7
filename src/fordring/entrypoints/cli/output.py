"""How the CLI prints: human tables, or JSON with amounts as two-decimal strings."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import click

from fordring.domain.money import format_amount
from fordring.entrypoints.plain import jsonable as jsonable


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], right: set[str]) -> str:
    """A plain aligned table; `right` columns (amounts) are right-aligned."""
    cells = [[text(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def fmt(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if c in right else v.ljust(w)
            for v, w, c in zip(values, widths, columns, strict=True)
        ]
        return "  ".join(parts).rstrip()

    lines = [fmt(columns), fmt(["-" * w for w in widths])]
    lines.extend(fmt(r) for r in cells)
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Printer:
    """Prints one result: JSON when asked for, else the human form given."""

    as_json: bool

    def emit(self, data: Any, human: str) -> None:
        if self.as_json:
            click.echo(json.dumps(jsonable(data), ensure_ascii=False, indent=2))
        else:
            click.echo(human)
