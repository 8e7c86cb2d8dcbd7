"""What an operator adds to the rates file when a table has no row for a date: the TOML
lines for that table and period, with the value left for the operator to fill in from
its source (a missing legal number is never guessed; docs/law.md "The rates file")."""

from __future__ import annotations

from datetime import date
from typing import Any

from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import DatedTable, MissingRate, RateBook, Validity, ValueKind

PLACEHOLDER = '"REPLACE"'  # refused by the rates file until the operator writes the value

_VALUE_HINT = {
    ValueKind.AMOUNT: "NOK, e.g. 460",
    ValueKind.FRACTION: 'a fraction of the inkassosats, e.g. "1/20"',
    ValueKind.PERCENT: "percent a year, e.g. 12.00",
    ValueKind.FACTOR: "a factor, e.g. 1.5 (or 0.25 for + 25 %)",
}


def rates_file_lines(table: DatedTable[Any], day: date) -> str:
    """The TOML lines that add `table`'s row for `day` (its half-year, or from `day`)."""
    if table.validity is Validity.HALF_YEAR:
        period, start = f'half_year = "{HalfYear.of(day)}"', str(HalfYear.of(day))
    else:
        period, start = f"valid_from = {day.isoformat()}", f"from {day.isoformat()}"
    lines = [f"[[{table.name}]]", period]
    if table.kind is ValueKind.SALAER_SCALE:
        lines += [
            "# the bands in force for claims due on that day: multiples of the inkassosats",
            f"bands = [{{ up_to = {PLACEHOLDER}, light = {PLACEHOLDER}, heavy = {PLACEHOLDER} }},"
            f" {{ light = {PLACEHOLDER}, heavy = {PLACEHOLDER} }}]",
        ]
    else:
        lines.append(f"value = {PLACEHOLDER}  # {_VALUE_HINT[table.kind]}")
    lines.append(f'source = "REPLACE: where the {table.title} {start} is laid down"')
    return "\n".join(lines)


def missing_lines(error: MissingRate, book: RateBook, days: dict[str, date]) -> str:
    """The rates file lines for the table `error` names; `days` gives the date each table
    was looked up for (table name → day)."""
    name = error.problems[0].field
    return rates_file_lines(book.table(name), days[name])
