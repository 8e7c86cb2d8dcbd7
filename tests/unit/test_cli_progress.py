"""Long commands show a progress bar with counts on a terminal, and nothing when the error
stream is not a terminal or the output is `--json` (issue 15 point 5); the demo ends by
saying how to run `fordring` from where it was run."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from fordring.entrypoints.cli import demo, progress
from fordring.entrypoints.cli.progress import line, progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_bar_with_counts_and_then_a_clean_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0)
    screen = Terminal()
    with progress_bar("Day", False, screen) as advance:
        for done in range(1, 5):
            advance(done, 4)
            if done == 2:
                assert screen.getvalue().endswith("Day [###############               ] 2/4")
    drawn = screen.getvalue()
    assert "1/4" in drawn and "4/4" in drawn
    assert drawn.endswith("\r" + " " * len(line("Day", 4, 4)) + "\r")  # cleared when done


def test_redraws_are_few_however_many_rows() -> None:
    screen = Terminal()
    with progress_bar("Rows read", False, screen) as advance:
        for done in range(1, 100_001):
            advance(done, 100_000)
    assert screen.getvalue().count("\r") < 100  # the first, the last and a few between


def test_without_a_total_the_count_alone() -> None:
    assert line("Delivered", 7, None) == "Delivered 7"


@pytest.mark.parametrize(("as_json", "stream"), [(True, Terminal()), (False, io.StringIO())])
def test_nothing_is_drawn_for_json_or_a_pipe(as_json: bool, stream: io.StringIO) -> None:
    with progress_bar("Day", as_json, stream) as advance:
        advance(1, 2)
        advance(2, 2)
    assert stream.getvalue() == ""


def test_the_demo_says_the_path_to_fordring_when_the_path_does_not_find_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "fordring").exists() or not (bin_dir / "activate").exists():
        pytest.skip("needs the fordring script of a virtual environment")
    monkeypatch.setenv("PATH", str(tmp_path))  # as after `make demo`: .venv/bin not on it
    monkeypatch.chdir(bin_dir.parent.parent)  # the folder that holds .venv
    command, activate = demo.how_to_run()
    assert command == str((bin_dir / "fordring").relative_to(Path.cwd()))
    assert activate == f". {(bin_dir / 'activate').relative_to(Path.cwd())}"
    monkeypatch.setenv("PATH", str(bin_dir))  # activated: the bare name works
    assert demo.how_to_run() == ("fordring", None)
