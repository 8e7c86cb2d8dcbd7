"""Dated tables of legal numbers (`valid_from`, value, source, confirmed) and the RateBook
that holds them all. Lookups never guess: a date no row covers raises MissingRate."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.law.explanation import fraction_text
from fordring.domain.law.periods import HalfYear, is_half_year_start
from fordring.domain.law.rate_schedule import InterestSchedule

T = TypeVar("T")


class ValueKind(StrEnum):
    """What a table's values are, so they can be checked, parsed and shown."""

    AMOUNT = "amount"  # NOK
    FRACTION = "fraction"  # of the inkassosats, e.g. 1/20
    PERCENT = "percent"  # percent a year
    FACTOR = "factor"  # a multiplier (1.5) or an addition (0.25 = +25 %)
    SALAER_SCALE = "salaer_scale"  # bands of multiples of the inkassosats


class Validity(StrEnum):
    UNTIL_CHANGED = "until the next row"
    HALF_YEAR = "its half-year only"


@dataclass(frozen=True, slots=True)
class SalaerBand:
    """Claims up to and including `up_to` NOK (None: no upper limit) and their salær caps
    as multiples of the inkassosats."""

    up_to: Decimal | None
    light: Decimal
    heavy: Decimal


SalaerScale = tuple[SalaerBand, ...]


@dataclass(frozen=True, slots=True)
class Row(Generic[T]):
    valid_from: date
    value: T
    source: str
    confirmed: bool = True
    note: str = ""


class MissingRate(InvalidInput):
    """No row covers the date asked for: the operator must add one to the rates file."""

    def __init__(
        self, problems: Iterable[Problem], *, table: str = "", day: date | None = None
    ) -> None:
        super().__init__(problems)
        self.table, self.day = table, day  # which table lacks a row for which day


@dataclass(frozen=True, slots=True)
class DatedTable(Generic[T]):
    """Rows sorted by `valid_from`; a row holds until the next one, or (HALF_YEAR) only for
    the half-year it starts."""

    name: str  # the key in the rates file
    title: str  # what one value is, in words
    keyed_by: str  # which date picks the row
    kind: ValueKind
    validity: Validity
    rows: tuple[Row[T], ...]
    _starts: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rows = tuple(sorted(self.rows, key=lambda r: r.valid_from))
        starts = tuple(r.valid_from for r in rows)
        if len(set(starts)) != len(starts):
            raise InvalidInput.one(self.name, "two rows from the same date")
        if self.validity is Validity.HALF_YEAR:
            bad = [s for s in starts if not is_half_year_start(s)]
            if bad:
                raise InvalidInput.one(self.name, f"{bad[0]} does not start a half-year")
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "_starts", starts)

    def at(self, day: date) -> Row[T]:
        """The row in force on `day`; MissingRate naming the period otherwise."""
        index = bisect.bisect_right(self._starts, day) - 1
        if index >= 0:
            row = self.rows[index]
            if self.validity is Validity.UNTIL_CHANGED:
                return row
            if HalfYear.of(row.valid_from) == HalfYear.of(day):
                return row
        raise self.missing(day)

    def missing(self, day: date) -> MissingRate:
        period = str(HalfYear.of(day)) if self.validity is Validity.HALF_YEAR else str(day)
        reason = f"no {self.title} for {period}; add it to the rates file"
        return MissingRate([Problem(self.name, reason)], table=self.name, day=day)

    def label(self, row: Row[Any]) -> str:
        """How a row's period is written: `2026 H1`, or `from 2020-10-01`."""
        if self.validity is Validity.HALF_YEAR:
            return str(HalfYear.of(row.valid_from))
        return f"from {row.valid_from.isoformat()}"

    def display(self, value: T) -> str:
        """A value as people read it: `35.00`, `1/20`, `12.25 %`, or a salær scale."""
        if isinstance(value, tuple):
            limits = ["above" if b.up_to is None else f"<= {b.up_to.normalize():f}" for b in value]
            pairs = zip(limits, value, strict=True)
            return "; ".join(f"{x}: {b.light}/{b.heavy}" for x, b in pairs)
        if not isinstance(value, Decimal):
            return str(value)
        if self.kind is ValueKind.AMOUNT:
            return f"{value:.2f}"
        if self.kind is ValueKind.FRACTION:
            return fraction_text(value)
        return f"{value} %" if self.kind is ValueKind.PERCENT else f"{value}"

    def merged(self, rows: Sequence[Row[T]]) -> DatedTable[T]:
        """This table with `rows` added; a row with the same `valid_from` replaces the old."""
        by_start = {r.valid_from: r for r in self.rows}
        by_start.update({r.valid_from: r for r in rows})
        return dataclasses.replace(self, rows=tuple(by_start.values()))


def value_problem(kind: ValueKind, value: object) -> str | None:
    """Why `value` cannot be a value of this kind, or None when it can."""
    if kind is ValueKind.SALAER_SCALE:
        return _scale_problem(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        return "must be a number"
    if kind is ValueKind.AMOUNT and not (value >= 0 and value == value.quantize(Decimal("0.01"))):
        return f"must be a non-negative amount in whole øre, not {value}"
    if kind is ValueKind.FRACTION and not 0 < value <= 1:
        return f"must be a fraction above 0 and at most 1, not {value}"
    if kind is ValueKind.PERCENT and not 0 <= value < 100:
        return f"must be a percentage from 0 to below 100, not {value}"
    if kind is ValueKind.FACTOR and not 0 <= value <= 100:
        return f"must be a factor from 0 to 100, not {value}"
    return None


def _scale_problem(value: object) -> str | None:
    if not isinstance(value, tuple) or not value:
        return "must list at least one band"
    previous = Decimal(0)
    for number, band in enumerate(value, start=1):
        if not isinstance(band, SalaerBand):
            return f"band {number} is not a band"
        last = number == len(value)
        if (band.up_to is None) != last:
            return f"band {number}: only the last band has no up_to"
        if band.up_to is not None and band.up_to <= previous:
            return f"band {number}: up_to must rise above {previous}"
        if not Decimal(0) < band.light <= band.heavy:
            return f"band {number}: need 0 < light <= heavy"
        previous = band.up_to if band.up_to is not None else previous
    return None


@dataclass(frozen=True, slots=True)
class RateBook:
    """Every dated table the calculators need. Build one with `builtin_rates.rate_book()`,
    then `overridden(...)` with an operator's rows."""

    inkassosats: DatedTable[Decimal]
    reminder_fee_fraction: DatedTable[Decimal]
    demand_fee_fraction: DatedTable[Decimal]
    salaer_scale: DatedTable[SalaerScale]
    salaer_business_factor: DatedTable[Decimal]
    salaer_no_vat_addition: DatedTable[Decimal]
    salaer_payment_plan: DatedTable[Decimal]
    forsinkelsesrente: DatedTable[Decimal]
    standardkompensasjon: DatedTable[Decimal]
    interest_schedule: InterestSchedule = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for table in self.tables():
            problems = [
                Problem(f"{table.name}[{table.label(row)}]", reason)
                for row in table.rows
                if (reason := value_problem(table.kind, row.value)) is not None
            ]
            if problems:
                raise InvalidInput(problems)
        rates = [(HalfYear.of(r.valid_from), r.value) for r in self.forsinkelsesrente.rows]
        object.__setattr__(self, "interest_schedule", InterestSchedule.build(rates))

    def tables(self) -> tuple[DatedTable[Any], ...]:
        return tuple(
            getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "interest_schedule"
        )

    def table(self, name: str) -> DatedTable[Any]:
        """The table a rates file calls `name`; InvalidInput for an unknown name."""
        for table in self.tables():
            if table.name == name:
                return table
        known = ", ".join(t.name for t in self.tables())
        raise InvalidInput.one(name, f"no such rate table (known: {known})")

    def overridden(self, rows: Mapping[str, Sequence[Row[Any]]]) -> RateBook:
        """A copy with each named table's rows added or replaced (checked like built-ins)."""
        changes = {name: self.table(name).merged(new) for name, new in rows.items()}
        return RateBook(**{t.name: changes.get(t.name, t) for t in self.tables()})
