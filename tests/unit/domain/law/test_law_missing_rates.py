"""Issue 12: what the rate tables lack, each missing row once with the cases needing it."""

from __future__ import annotations

from datetime import date

from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.missing_rates import needed_rows, rates_needed
from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import MissingRate

BOOK = rate_book()


def _missing(table: str, day: date) -> MissingRate:
    try:
        BOOK.table(table).at(day)
    except MissingRate as error:
        return error
    raise AssertionError(f"{table} covers {day}")


def test_a_missing_rate_names_its_table_and_day() -> None:
    error = _missing("forsinkelsesrente", date(2026, 8, 3))
    assert (error.table, error.day) == ("forsinkelsesrente", date(2026, 8, 3))


def test_each_missing_half_year_once_with_every_case_waiting_for_it() -> None:
    rows = needed_rows(
        [
            (3, _missing("forsinkelsesrente", date(2026, 8, 3))),
            (1, _missing("forsinkelsesrente", date(2026, 7, 16))),
            (2, _missing("forsinkelsesrente", date(2027, 1, 4))),
        ],
        BOOK,
    )
    assert [(r.table, r.period, r.cases) for r in rows] == [
        ("forsinkelsesrente", "2026 H2", (1, 3)),
        ("forsinkelsesrente", "2027 H1", (2,)),
    ]
    assert rows[0].half_year == HalfYear(2026, 2) and rows[0].valid_from == date(2026, 7, 1)


def test_a_table_that_holds_until_changed_needs_one_row_from_the_earliest_day() -> None:
    rows = needed_rows(
        [
            (1, _missing("salaer_scale", date(2009, 5, 10))),
            (2, _missing("salaer_scale", date(2008, 3, 1))),
        ],
        BOOK,
    )
    assert [(r.table, r.valid_from, r.cases) for r in rows] == [
        ("salaer_scale", date(2008, 3, 1), (1, 2))
    ]
    assert rows[0].period == "from 2008-03-01"


def test_what_claims_will_need_up_to_a_day() -> None:
    found = rates_needed([date(2026, 6, 1)], date(2026, 6, 30), BOOK, salaer=True)
    assert found == []
    found = rates_needed([date(2026, 6, 1)], date(2027, 2, 1), BOOK, salaer=False)
    assert [(m.table, m.day) for m in found] == [
        ("forsinkelsesrente", date(2026, 7, 1)),
        ("forsinkelsesrente", date(2027, 1, 1)),
    ]
    old = rates_needed([date(2009, 5, 10)], date(2009, 6, 1), BOOK, salaer=True)
    assert ("salaer_scale", date(2009, 5, 10)) in [(m.table, m.day) for m in old]
    not_due_yet = rates_needed([date(2026, 12, 10)], date(2026, 12, 3), BOOK, salaer=False)
    assert not_due_yet == []
