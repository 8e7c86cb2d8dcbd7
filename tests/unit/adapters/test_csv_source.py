"""A CSV file's hash is of its text as read: saved again with other line ends, blank lines or
a byte-order mark it is the same file, whatever the chunks it is read in."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fordring.adapters import csv_source
from fordring.adapters.csv_source import CsvFile

lines = st.lists(
    st.text("abc;,1 æ", min_size=1, max_size=8).map(str.strip).filter(bool), max_size=6
)
line_ends = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=200, deadline=None)
@given(
    rows=lines,
    ends=st.lists(line_ends, min_size=7, max_size=7),
    blanks=st.lists(st.integers(0, 2), min_size=7, max_size=7),
    bom=st.booleans(),
    last_end=st.booleans(),
    chunk=st.integers(1, 5),
)
def test_line_ends_blank_lines_and_a_bom_do_not_change_the_hash(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[str],
    ends: list[str],
    blanks: list[int],
    bom: bool,
    last_end: bool,
    chunk: int,
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    plain = folder / "plain.csv"
    plain.write_bytes("".join(f"{r}\n" for r in rows).encode())
    saved = "".join(f"{r}{ends[n]}" + ends[n] * blanks[n] for n, r in enumerate(rows))
    if not last_end:
        saved = saved.rstrip("\r\n")
    other = folder / "saved.csv"
    other.write_bytes((b"\xef\xbb\xbf" if bom else b"") + saved.encode())
    chunked = pytest.MonkeyPatch()
    chunked.setattr(csv_source, "_CHUNK", chunk)  # a CR and its LF in two reads
    try:
        assert CsvFile(other).sha256 == CsvFile(plain).sha256
    finally:
        chunked.undo()


def test_other_text_is_another_file(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"name\nKari\n")
    (tmp_path / "b.csv").write_bytes(b"name\nKari \n")  # a space is content
    assert CsvFile(tmp_path / "a.csv").sha256 != CsvFile(tmp_path / "b.csv").sha256
