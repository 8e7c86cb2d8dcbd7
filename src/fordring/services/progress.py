"""How a long use case tells its caller how far it has come: a callable given the count
done and the count in all, called after each step (a day, a row, a document). The command
line shows it as a progress bar on a terminal; everything else passes `no_progress`."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int | None) -> None: ...


def no_progress(done: int, total: int | None) -> None:
    """Progress nobody watches."""
