"""Deterministic crash points for the crash tests (issue 14): with FORDRING_KILL_AT set to
`before:N` or `after:N` the process kills itself (SIGKILL, as `kill -9` does) just before or
just after its N-th commit, so a test can stop a command at every step it makes durable and
prove that the next command finishes its work. Unset, as everywhere but in those tests, a
commit only counts itself."""

from __future__ import annotations

import os
import signal
from typing import Final

KILL_AT_ENV: Final = "FORDRING_KILL_AT"

_commits = 0


def before_commit() -> None:
    global _commits
    _commits += 1
    _kill_if("before")


def after_commit() -> None:
    _kill_if("after")


def _kill_if(side: str) -> None:
    if os.environ.get(KILL_AT_ENV) == f"{side}:{_commits}":
        os.kill(os.getpid(), signal.SIGKILL)
