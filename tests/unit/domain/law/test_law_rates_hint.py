"""The rates file lines offered for a missing rate: the table, its period, a value the file
refuses until the operator writes it (never a guessed number)."""

from __future__ import annotations

import tomllib
from datetime import date

from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.rates_hint import rates_file_lines

BOOK = rate_book()


def test_a_half_year_table_is_offered_by_half_year() -> None:
    text = rates_file_lines(BOOK.standardkompensasjon, date(2026, 7, 2))
    row = tomllib.loads(text)["standardkompensasjon"][0]
    assert row["half_year"] == "2026 H2"
    assert row["value"] == "REPLACE"  # refused by the rates file until filled in
    assert "source" in row


def test_a_salaer_scale_is_offered_from_the_due_date_with_bands() -> None:
    text = rates_file_lines(BOOK.salaer_scale, date(2009, 5, 1))
    row = tomllib.loads(text)["salaer_scale"][0]
    assert row["valid_from"] == date(2009, 5, 1)
    assert [set(band) for band in row["bands"]] == [{"up_to", "light", "heavy"}, {"light", "heavy"}]
