"""A progress bar with counts for long commands (the demo, `run --to`, imports, delivery),
drawn on the error stream only when it is a terminal and the output is not `--json`: a
script, a pipe or a log sees nothing of it, and standard output stays the command's result.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from fordring.services.progress import Progress, no_progress

# Redraw at most this often: an import calls for every row, a few microseconds apart.
REDRAW_SECONDS = 0.1
WIDTH = 30


def shown(as_json: bool, stream: TextIO) -> bool:
    """Whether a progress bar is drawn: on a terminal, for a person."""
    return not as_json and stream.isatty()


def line(label: str, done: int, total: int | None) -> str:
    """`label [#########           ] 12/40`; without a total, the count alone."""
    if not total:
        return f"{label} {done}"
    filled = min(WIDTH, WIDTH * done // total)
    return f"{label} [{'#' * filled}{' ' * (WIDTH - filled)}] {done}/{total}"


@contextmanager
def progress_bar(label: str, as_json: bool, stream: TextIO | None = None) -> Iterator[Progress]:
    """A `Progress` drawing its line on `stream` (the error stream), or `no_progress` when
    nobody watches. The line is cleared when the command's work is done."""
    out = stream if stream is not None else sys.stderr
    if not shown(as_json, out):
        yield no_progress
        return
    drawn = _Drawn()

    def advance(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - drawn.at < REDRAW_SECONDS and done != total:
            return
        text = line(label, done, total)
        out.write("\r" + text.ljust(drawn.width))
        out.flush()
        drawn.at, drawn.width = now, len(text)
        if done == total:  # finished: gone before the result is printed
            clear()

    def clear() -> None:
        if drawn.width:
            out.write("\r" + " " * drawn.width + "\r")
            out.flush()
            drawn.width = 0

    try:
        yield advance
    finally:
        clear()


@dataclass(slots=True)
class _Drawn:
    at: float = 0.0  # when the line was last drawn (monotonic seconds)
    width: int = 0  # how wide it was: a shorter line clears the rest
