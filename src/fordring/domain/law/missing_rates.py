"""The rows the rate tables lack (issue 12): each missing rate once, with the cases that
wait for it, and what a case will need of the tables up to a day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import MissingRate, RateBook, Validity


@dataclass(frozen=True, slots=True)
class NeededRow:
    """A row to add to the rates file: its table, the day it must start from (a half-year's
    first day, or the earliest day asked for), why, and the case numbers waiting for it."""

    table: str
    valid_from: date
    half_year: HalfYear | None  # set for tables that hold a half-year only
    reason: str
    cases: tuple[int, ...]

    @property
    def period(self) -> str:
        return str(self.half_year) if self.half_year else f"from {self.valid_from}"


def needed_rows(missing: Iterable[tuple[int, MissingRate]], book: RateBook) -> list[NeededRow]:
    """Each missing rate once: a half-year table's rows per half-year, any other table's
    one row from the earliest day asked for (it covers the later days too)."""
    found: dict[tuple[str, date], set[int]] = {}
    earliest: dict[str, date] = {}
    for case, error in missing:
        if not error.table or error.day is None:
            continue
        table = book.table(error.table)
        if table.validity is Validity.HALF_YEAR:
            found.setdefault((error.table, HalfYear.of(error.day).start), set()).add(case)
        else:
            earliest[error.table] = min(earliest.get(error.table, error.day), error.day)
            found.setdefault((error.table, date.min), set()).add(case)
    order = {t.name: n for n, t in enumerate(book.tables())}
    rows = []
    for (name, start), cases in found.items():
        table = book.table(name)
        day = earliest[name] if start == date.min else start
        half = HalfYear.of(day) if table.validity is Validity.HALF_YEAR else None
        reason = str(table.missing(day).problems[0].reason)
        rows.append(NeededRow(name, day, half, reason, tuple(sorted(cases))))
    return sorted(rows, key=lambda r: (order[r.table], r.valid_from))


def _check(missing: list[MissingRate], book: RateBook, table: str, day: date) -> None:
    try:
        book.table(table).at(day)
    except MissingRate as error:
        missing.append(error)


def rates_needed(
    due_dates: Iterable[date],
    until: date,
    book: RateBook,
    *,
    salaer: bool,
    business: bool = False,
    creditor_deducts_vat: bool = True,
) -> list[MissingRate]:
    """What the tables lack for claims due on `due_dates` followed up to `until`: late
    interest for every half-year from the day after each due date, the fee fractions by
    due date, the inkassosats of `until`, and (when a collector may charge salær) the salær
    scale and factors of the first due date."""
    dues = sorted(set(due_dates))
    missing: list[MissingRate] = []
    if not dues:
        return missing
    half = HalfYear.of(dues[0] + timedelta(days=1))
    while dues[0] < until and half.start <= until:
        _check(missing, book, "forsinkelsesrente", half.start)
        half = half.next()
    for due in dues:
        _check(missing, book, "reminder_fee_fraction", due)
        _check(missing, book, "demand_fee_fraction", due)
    _check(missing, book, "inkassosats", until)
    if salaer:
        _check(missing, book, "salaer_scale", dues[0])
        if business:
            _check(missing, book, "salaer_business_factor", dues[0])
        if not creditor_deducts_vat:
            _check(missing, book, "salaer_no_vat_addition", dues[0])
    return missing
