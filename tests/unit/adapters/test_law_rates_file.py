"""The operator's TOML rates file: rows that add or override, and problems that name the
table, row and field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fordring.adapters.law_rates_file import load_rate_book
from fordring.domain.errors import InvalidInput
from fordring.domain.law.tables import SalaerBand

D = Decimal

NEXT_HALF_YEAR = """
[[forsinkelsesrente]]
half_year = "2026 H2"
value = 11.75
source = "Finansdepartementet, rate for 2026 H2"

[[standardkompensasjon]]
valid_from = 2026-07-01
value = 460
source = "Finansdepartementet"
confirmed = false
note = "same as 2026 H1 until announced"

[[inkassosats]]
valid_from = 2026-01-01
value = "750"
source = "FOR-2025-12-xx (confirmed by the operator)"

[[reminder_fee_fraction]]
valid_from = 2027-01-01
value = "1/25"
source = "test"
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "rates.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(InvalidInput) as caught:
        load_rate_book(path)
    assert all(p.where == path for p in caught.value.problems)
    return [f"{p.field}: {p.reason}" for p in caught.value.problems]


def test_no_file_gives_the_built_in_tables() -> None:
    book = load_rate_book(None)
    assert book.forsinkelsesrente.rows[-1].valid_from == date(2026, 1, 1)


def test_rows_add_the_next_half_year_and_override_a_built_in_row(tmp_path: Path) -> None:
    book = load_rate_book(write(tmp_path, NEXT_HALF_YEAR))
    rate = book.forsinkelsesrente.at(date(2026, 9, 1))
    assert rate.value == D("11.75")
    assert isinstance(rate.value, Decimal)
    assert rate.confirmed
    assert book.standardkompensasjon.at(date(2026, 9, 1)).note.startswith("same as")
    assert not book.standardkompensasjon.at(date(2026, 9, 1)).confirmed
    assert book.inkassosats.at(date(2026, 3, 1)).confirmed
    assert book.reminder_fee_fraction.at(date(2027, 1, 1)).value == D("0.04")
    assert book.interest_schedule.percents[-1] == D("11.75")


def test_a_salaer_scale_row_takes_bands(tmp_path: Path) -> None:
    book = load_rate_book(
        write(
            tmp_path,
            """
[[salaer_scale]]
valid_from = 2017-01-01
source = "inkassoforskriften § 2-2 as it read in 2017 (operator)"
bands = [
  { up_to = 1000, light = 0.5, heavy = 1.0 },
  { light = 7.2, heavy = 14.4 },
]
""",
        )
    )
    scale = book.salaer_scale.at(date(2018, 1, 1)).value
    assert scale[0] == SalaerBand(D(1000), D("0.5"), D("1.0"))
    assert book.salaer_scale.at(date(2021, 1, 1)).valid_from == date(2020, 10, 1)


SATS = "[[inkassosats]]\nvalid_from = 2026-01-01\n"
RATE = '[[forsinkelsesrente]]\nsource = "x"\n'
FRACTION = '[[reminder_fee_fraction]]\nvalid_from = 2027-01-01\nsource = "x"\n'
SCALE = '[[salaer_scale]]\nvalid_from = 2027-01-01\nsource = "x"\n'
BAND = "{up_to = 500, light = 1, heavy = 2}"
LAST_BAND = "{light = 1, heavy = 2}"
BAD_FILES = [
    ('[[renter]]\nvalid_from = 2026-01-01\nvalue = 1\nsource = "x"', "renter: no such rate table"),
    (SATS + "value = 800", "inkassosats[1].source: required"),
    (
        SATS.replace("2026-01-01", '"1. januar"') + 'value = 8\nsource = "x"',
        "valid_from: not a date",
    ),
    (SATS + 'value = "mye"\nsource = "x"', "inkassosats[1].value: not a number"),
    (SATS + 'value = -5\nsource = "x"', "inkassosats[1].value: must be a non-negative amount"),
    (SATS + 'source = "x"', "inkassosats[1].value: required"),
    (SATS + 'value = 750\nsource = "x"\nkilde = "y"', "inkassosats[1].kilde: unknown key"),
    (
        '[[inkassosats]]\nhalf_year = "2026 H1"\nvalue = 750\nsource = "x"',
        "inkassosats[1].half_year: inkassosats rows take valid_from",
    ),
    (RATE + 'half_year = "2026 H3"\nvalue = 12', "forsinkelsesrente[1].half_year: not a half-year"),
    (
        RATE + "valid_from = 2026-08-01\nvalue = 12",
        "forsinkelsesrente[1].valid_from: 2026-08-01 does not start a half-year",
    ),
    (
        RATE + 'half_year = "2026 H2"\nvalid_from = 2026-07-01\nvalue = 12',
        "forsinkelsesrente[1]: give exactly one of",
    ),
    (
        RATE + 'half_year = "2026 H2"\nvalue = 150',
        "forsinkelsesrente[1].value: must be a percentage",
    ),
    (
        RATE + 'half_year = "2026 H2"\nvalue = 12\nconfirmed = "ja"',
        "forsinkelsesrente[1].confirmed: must be true or false",
    ),
    (
        RATE + 'half_year = "2026 H2"\nvalue = 12\n' + RATE + 'half_year = "2026H2"\nvalue = 13',
        "forsinkelsesrente[2]: a second row for 2026 H2",
    ),
    (FRACTION + 'value = "1/3"', "reminder_fee_fraction[1].value: 1/3 is not an exact decimal"),
    (FRACTION + "value = 2", "reminder_fee_fraction[1].value: must be a fraction"),
    (SCALE + "value = 1", "salaer_scale[1].value: salaer_scale rows do not take value"),
    (SCALE + f"bands = [{BAND}]", "salaer_scale[1].bands: band 1: only the last band has no up_to"),
    (
        SCALE + f"bands = [{BAND}, {BAND.replace('500', '400')}, {LAST_BAND}]",
        "band 2: up_to must rise above 500",
    ),
    (SCALE + "bands = [{light = 2, heavy = 1}]", "band 1: need 0 < light <= heavy"),
    ("inkassosats = 750", "inkassosats: must be an array of rows"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_a_bad_rates_file_names_the_table_row_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    found = problems(tmp_path, text)
    assert any(expected in problem for problem in found), found


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "[[inkassosats]]\nvalid_from = 2026-01-01\nvalue = 800\n"
        '[[forsinkelsesrente]]\nhalf_year = "2026 H2"\nvalue = 150\nsource = "x"',
    )
    assert len(found) == 2


def test_a_file_that_is_not_toml_is_invalid(tmp_path: Path) -> None:
    assert problems(tmp_path, "[[inkassosats]\n")[0].startswith("rates: not valid TOML")


def test_a_missing_file_is_invalid(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="rates: no such rates file"):
        load_rate_book(str(tmp_path / "nowhere.toml"))


def test_a_row_template_is_refused_until_the_value_and_source_are_written_in() -> None:
    """Issue 12: the TOML the run prints for a missing rate names every key the row
    needs; as printed, the file is refused, naming the fields to fill in."""
    import tomllib

    from fordring.adapters.law_rates_file import apply_rates
    from fordring.domain.law.builtin_rates import rate_book
    from fordring.domain.law.rates_hint import rates_file_lines

    book = rate_book()
    text = rates_file_lines(book.forsinkelsesrente, date(2026, 7, 1))
    assert text.splitlines()[:3] == [
        "[[forsinkelsesrente]]",
        'half_year = "2026 H2"',
        'value = "REPLACE"  # percent a year, e.g. 12.00',
    ]
    scale = rates_file_lines(book.salaer_scale, date(2019, 5, 10))
    assert "valid_from = 2019-05-10" in scale and "bands = [" in scale
    for template in (text, scale):
        with pytest.raises(InvalidInput, match=r"value|bands"):
            apply_rates(book, tomllib.loads(template, parse_float=Decimal))
    filled = text.replace('"REPLACE"', "12.00")
    loaded = apply_rates(book, tomllib.loads(filled, parse_float=Decimal))
    assert loaded.forsinkelsesrente.at(date(2026, 8, 1)).value == Decimal("12.00")
