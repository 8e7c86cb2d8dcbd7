"""Dated tables and the RateBook: lookups by date, half-year rows, overrides, and errors
that name the missing period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fordring.domain.errors import InvalidInput
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.explanation import Explanation, Line, fraction_text, stepwise_lines
from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import MissingRate, Row, SalaerBand

BOOK = rate_book()
D = Decimal


@pytest.mark.parametrize(
    ("day", "sats"),
    [
        (date(2015, 1, 1), 650),
        (date(2015, 12, 31), 650),
        (date(2016, 1, 1), 670),
        (date(2020, 10, 1), 700),
        (date(2025, 12, 31), 700),
        (date(2026, 1, 1), 750),
    ],
)
def test_inkassosats_holds_from_its_date_until_the_next_row(day: date, sats: int) -> None:
    assert BOOK.inkassosats.at(day).value == sats


def test_inkassosats_2026_is_unconfirmed() -> None:
    assert not BOOK.inkassosats.at(date(2026, 6, 1)).confirmed
    assert BOOK.inkassosats.at(date(2025, 6, 1)).confirmed


def test_lookup_before_the_first_row_is_missing_not_guessed() -> None:
    with pytest.raises(MissingRate, match="inkassosats: no inkassosats for 2014-12-31"):
        BOOK.inkassosats.at(date(2014, 12, 31))


def test_half_year_rows_do_not_carry_into_the_next_half_year() -> None:
    assert BOOK.forsinkelsesrente.at(date(2026, 6, 30)).value == D("12.00")
    with pytest.raises(MissingRate, match="2026 H2"):
        BOOK.forsinkelsesrente.at(date(2026, 7, 1))


def test_every_half_year_from_2015_to_2026_h1_has_a_rate() -> None:
    half = HalfYear(2015, 1)
    while half <= HalfYear(2026, 1):
        assert BOOK.forsinkelsesrente.at(half.start).valid_from == half.start
        half = half.next()


def test_unconfirmed_rates_are_flagged_as_domain_md_says() -> None:
    unconfirmed = {
        str(HalfYear.of(r.valid_from)) for r in BOOK.forsinkelsesrente.rows if not r.confirmed
    }
    assert unconfirmed == {"2024 H2", "2025 H2"}
    assert not BOOK.salaer_payment_plan.rows[0].confirmed


def test_override_replaces_a_row_and_adds_a_new_one() -> None:
    book = BOOK.overridden(
        {
            "inkassosats": [Row(date(2026, 1, 1), D(750), "FOR-2025 (test)", confirmed=True)],
            "forsinkelsesrente": [Row(date(2026, 7, 1), D("11.75"), "test")],
        }
    )
    assert book.inkassosats.at(date(2026, 2, 1)).confirmed
    assert book.forsinkelsesrente.at(date(2026, 8, 1)).value == D("11.75")
    assert BOOK.forsinkelsesrente.rows[-1].valid_from == date(2026, 1, 1)  # original untouched


def test_override_with_a_bad_value_names_table_and_row() -> None:
    with pytest.raises(InvalidInput, match=r"forsinkelsesrente\[2026 H2\]: must be a percentage"):
        BOOK.overridden({"forsinkelsesrente": [Row(date(2026, 7, 1), D(150), "test")]})


def test_override_of_an_unknown_table_is_invalid() -> None:
    with pytest.raises(InvalidInput, match="no such rate table"):
        BOOK.overridden({"renter": []})


def test_half_year_table_refuses_a_row_not_starting_a_half_year() -> None:
    with pytest.raises(ValueError, match="does not start a half-year"):
        BOOK.overridden({"forsinkelsesrente": [Row(date(2026, 8, 1), D(12), "test")]})


@pytest.mark.parametrize("text", ["2026 H2", "2026H2", "2026-H2", " 2026 h2 "])
def test_half_year_labels_parse(text: str) -> None:
    assert HalfYear.parse(text) == HalfYear(2026, 2)
    assert str(HalfYear.parse(text)) == "2026 H2"


def test_half_year_knows_leap_years_and_its_days() -> None:
    assert HalfYear(2024, 1).days_in_year == 366
    assert HalfYear(2025, 2).days_in_year == 365
    assert HalfYear(2024, 2).next() == HalfYear(2025, 1)
    with pytest.raises(ValueError, match="half-year"):
        HalfYear.parse("2026 H3")


def test_explanation_refuses_lines_that_do_not_sum_to_the_total() -> None:
    with pytest.raises(ValueError, match="do not sum"):
        Explanation("rule", "source", (Line("a", D("1.00")),), D("2.00"))


def test_stepwise_lines_round_only_the_running_value() -> None:
    lines, total = stepwise_lines([("a", D("175")), ("b", D("262.5")), ("c", D("328.125"))])
    assert [line.amount for line in lines] == [D("175.00"), D("87.50"), D("65.63")]
    assert total == D("328.13")


def test_stepwise_lines_rounded_down_for_a_cap_still_sum_to_the_total() -> None:
    steps = [("a", D("175")), ("b", D("262.5")), ("c", D("328.125"))]
    lines, total = stepwise_lines(steps, down=True)
    assert [line.amount for line in lines] == [D("175.00"), D("87.50"), D("65.62")]
    assert total == D("328.12")


@pytest.mark.parametrize(
    ("value", "text"), [("0.05", "1/20"), ("0.15", "3/20"), ("0.1", "1/10"), ("1.5", "1.5")]
)
def test_fractions_read_as_the_regulation_writes_them(value: str, text: str) -> None:
    assert fraction_text(D(value)) == text


def test_explanation_text_shows_notes_lines_total_source_and_the_unconfirmed_flag() -> None:
    explanation = Explanation(
        "rule",
        "forskriften § 1",
        (Line("base", D("175.00")), Line("+ 25 %", D("43.75"))),
        D("218.75"),
        confirmed=False,
        notes=("why",),
    )
    lines = explanation.text("Cap: 218.75").splitlines()
    assert lines[0] == "Cap: 218.75"
    assert lines[1] == "  why"
    assert lines[2].split() == ["base", "175.00"]
    assert lines[4].split() == ["total", "218.75"]
    assert lines[5] == "  source: forskriften § 1"
    assert lines[6].startswith("  UNCONFIRMED")


def test_salaer_scale_display_keeps_the_band_limits_exact() -> None:
    scale = (SalaerBand(D("500.50"), D("0.25"), D("0.5")), SalaerBand(None, D(1), D(2)))
    assert BOOK.salaer_scale.display(scale) == "<= 500.5: 0.25/0.5; above: 1/2"
