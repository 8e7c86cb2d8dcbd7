"""A number in a page's path is a positive whole number of at most 18 digits, or the thing
is not found (never a 422 or the database's integer overflow)."""

from __future__ import annotations

import pytest

from fordring.domain.errors import NotFound
from fordring.entrypoints.web.paths import path_number


def test_a_path_number_is_positive_whole_and_short_or_not_found() -> None:
    assert path_number("42", "case") == 42
    for wrong in ("0", "-1", "x", "1.5", " 1", "٣", "1" * 19, ""):
        with pytest.raises(NotFound):
            path_number(wrong, "case")
