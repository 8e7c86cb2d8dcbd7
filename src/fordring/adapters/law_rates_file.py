"""Reads an operator's TOML rates file: rows that add to or replace rows of the built-in law
tables (format in docs/law.md). Every problem names the table, row and field."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import (
    FIRST_BUSINESS_DAY,
    LAST_BUSINESS_DAY,
    REASON_LENGTH,
    number_text,
    parse_iso_date,
    text_problems,
)
from fordring.domain.law import builtin_rates
from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import (
    DatedTable,
    RateBook,
    Row,
    SalaerBand,
    Validity,
    ValueKind,
    value_problem,
)

ROW_KEYS = {"valid_from", "half_year", "value", "bands", "source", "confirmed", "note"}
BAND_KEYS = {"up_to", "light", "heavy"}


class _RowError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def load_rate_book(path: str | None) -> RateBook:
    """The built-in tables, with the rows of the TOML file at `path` (when given) applied."""
    book = builtin_rates.rate_book()
    if path is None:
        return book
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file, parse_float=Decimal)
    except FileNotFoundError:
        raise InvalidInput.one("rates", f"no such rates file: {path}") from None
    except OSError as error:
        raise InvalidInput.one("rates", f"cannot read {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput.one("rates", f"not valid TOML: {error}", where=path) from None
    except UnicodeDecodeError:
        raise InvalidInput.one("rates", "not valid TOML: not UTF-8 text", where=path) from None
    return apply_rates(book, data, where=path)


def apply_rates(book: RateBook, data: Mapping[str, Any], *, where: str = "") -> RateBook:
    """`book` with the rows of a parsed rates file; InvalidInput listing every problem."""
    problems: list[Problem] = []
    rows: dict[str, list[Row[Any]]] = {}
    for name, entries in data.items():
        try:
            table = book.table(name)
        except InvalidInput as error:
            problems.extend(Problem(p.field, p.reason, where) for p in error.problems)
            continue
        if not isinstance(entries, list):
            problems.append(Problem(name, "must be an array of rows: [[" + name + "]]", where))
            continue
        seen: set[date] = set()
        for number, entry in enumerate(entries, start=1):
            try:
                row = _row(table, entry, f"{name}[{number}]")
            except _RowError as problem:
                problems.append(Problem(problem.field, problem.reason, where))
                continue
            if row.valid_from in seen:
                reason = f"a second row for {table.label(row)}"
                problems.append(Problem(f"{name}[{number}]", reason, where))
            seen.add(row.valid_from)
            rows.setdefault(name, []).append(row)
    if problems:
        raise InvalidInput(problems)
    try:
        return book.overridden(rows)
    except InvalidInput as error:
        raise InvalidInput(Problem(p.field, p.reason, where) for p in error.problems) from None


def _row(table: DatedTable[Any], entry: object, at: str) -> Row[Any]:
    if not isinstance(entry, dict):
        raise _RowError(at, "must be a table of keys")
    unknown = sorted(set(entry) - ROW_KEYS)
    if unknown:
        raise _RowError(f"{at}.{unknown[0]}", f"unknown key (known: {', '.join(sorted(ROW_KEYS))})")
    valid_from = _start(table, entry, at)
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _RowError(f"{at}.source", "required: where the value comes from")
    _check_text(source, f"{at}.source")
    confirmed = entry.get("confirmed", True)
    if not isinstance(confirmed, bool):
        raise _RowError(f"{at}.confirmed", "must be true or false")
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise _RowError(f"{at}.note", "must be a string")
    _check_text(note, f"{at}.note")
    wrong = "value" if table.kind is ValueKind.SALAER_SCALE else "bands"
    if wrong in entry:
        raise _RowError(f"{at}.{wrong}", f"{table.name} rows do not take {wrong}")
    value: object
    if table.kind is ValueKind.SALAER_SCALE:
        key, value = "bands", _bands(entry.get("bands"), f"{at}.bands")
    else:
        key, value = "value", _number(entry.get("value"), f"{at}.value", table.kind)
    reason = value_problem(table.kind, value)
    if reason is not None:
        raise _RowError(f"{at}.{key}", reason)
    return Row(valid_from, value, source.strip(), confirmed, note)


def _start(table: DatedTable[Any], entry: Mapping[str, Any], at: str) -> date:
    has_from, has_half = "valid_from" in entry, "half_year" in entry
    half_year_table = table.validity is Validity.HALF_YEAR
    if has_half and not half_year_table:
        raise _RowError(f"{at}.half_year", f"{table.name} rows take valid_from, not half_year")
    if has_from == has_half:
        wanted = 'half_year (e.g. "2026 H2") or valid_from' if half_year_table else "valid_from"
        raise _RowError(at, f"give exactly one of {wanted}")
    if has_half:
        text = entry["half_year"]
        try:
            return _in_range(HalfYear.parse(str(text)).start, f"{at}.half_year")
        except ValueError:
            raise _RowError(
                f"{at}.half_year", f'not a half-year like "2026 H2": {text!r}'
            ) from None
    raw = entry["valid_from"]
    day: date | None = None
    if isinstance(raw, date) and not isinstance(raw, datetime):
        day = raw
    elif isinstance(raw, str):
        try:
            day = parse_iso_date(raw.strip(), "valid_from")
        except InvalidInput:  # 20260101 and 2026-W01-1 too, as everywhere else
            day = None
    if day is None:
        raise _RowError(f"{at}.valid_from", f"not a date (YYYY-MM-DD): {raw!r}")
    if half_year_table and (day.day != 1 or day.month not in (1, 7)):
        raise _RowError(f"{at}.valid_from", f"{day} does not start a half-year (1 Jan or 1 Jul)")
    return _in_range(day, f"{at}.valid_from")


def _in_range(day: date, at: str) -> date:
    """A row's first day within the business dates (a year 9999 row overflowed later)."""
    if not FIRST_BUSINESS_DAY <= day <= LAST_BUSINESS_DAY:
        reason = f"{day} is outside {FIRST_BUSINESS_DAY.year}-{LAST_BUSINESS_DAY.year}"
        raise _RowError(at, reason)
    return day


def _check_text(text: str, at: str) -> None:
    """A source or note: no control character, at most REASON_LENGTH characters."""
    problems = text_problems(text, at, REASON_LENGTH)
    if problems:
        raise _RowError(at, problems[0].reason)


def _number(raw: object, at: str, kind: ValueKind) -> Decimal:
    """A Decimal from a TOML number (read exactly, never as float) or a string; fractions
    such as "1/20" are accepted where they are exact decimals."""
    if isinstance(raw, bool) or raw is None:
        raise _RowError(at, "required: a number")
    if isinstance(raw, Decimal):  # a TOML float, read exactly; nan and inf are none
        if not raw.is_finite():
            raise _RowError(at, f"not a number: {raw}")
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, str):
        text = raw.strip().replace(",", ".")
        if "/" in text and kind is ValueKind.FRACTION:
            return _fraction(text, at)
        plain = number_text(text)  # the input rules: no 1e3, NaN or other digits
        if plain is not None:
            return Decimal(plain)
    raise _RowError(at, f"not a number: {raw!r}")


def _fraction(text: str, at: str) -> Decimal:
    try:
        if not text.isascii():  # Fraction reads other digits too
            raise ValueError(text)
        exact = Fraction(text.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        raise _RowError(at, f"not a fraction: {text!r}") from None
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    if Fraction(value) != exact:
        raise _RowError(at, f"{text} is not an exact decimal; write it as a decimal")
    return value


def _bands(raw: object, at: str) -> tuple[SalaerBand, ...]:
    if not isinstance(raw, list) or not raw:
        raise _RowError(at, "required: a list of {up_to, light, heavy} bands")
    bands: list[SalaerBand] = []
    for number, band in enumerate(raw, start=1):
        here = f"{at}[{number}]"
        if not isinstance(band, dict):
            raise _RowError(here, "must be a table {up_to = ..., light = ..., heavy = ...}")
        unknown = sorted(set(band) - BAND_KEYS)
        if unknown:
            raise _RowError(f"{here}.{unknown[0]}", "unknown key (known: up_to, light, heavy)")
        up_to = band.get("up_to")
        limit = None if up_to is None else _number(up_to, f"{here}.up_to", ValueKind.AMOUNT)
        light = _number(band.get("light"), f"{here}.light", ValueKind.FACTOR)
        heavy = _number(band.get("heavy"), f"{here}.heavy", ValueKind.FACTOR)
        bands.append(SalaerBand(limit, light, heavy))
    return tuple(bands)
