"""Render workers end with the process that started them (issue 14).

A pool's worker waits on a queue whose writing end it holds itself, so when its parent is
killed (`kill -9`, the OOM killer) nothing ever wakes it: it would wait for ever, with its
fonts and compilers in memory. `exit_with_parent`, run first in each worker, ends it when
the parent is gone: on Linux the kernel signals it at once (PR_SET_PDEATHSIG); everywhere a
watching thread sees the parent's pid change within `POLL_SECONDS`. A worker busy in a
compile (Typst holds the GIL) notices when that compile ends.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Final

POLL_SECONDS: Final = 0.5
PR_SET_PDEATHSIG: Final = 1  # <linux/prctl.h>
# Not SIGTERM: the pool itself terminates its workers with that, and the handler below
# ignores a signal while the parent lives.
PARENT_DIED: Final = signal.SIGUSR1
ORPHANED: Final = 70  # the exit status nobody will read: the parent is gone


def exit_with_parent(parent: int) -> None:
    """End this process as soon as process `parent` (the one that started it) is gone."""
    signal.signal(PARENT_DIED, _on_parent_died(parent))
    _ask_the_kernel()
    if os.getppid() != parent:  # it died before the kernel was asked
        os._exit(ORPHANED)
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _on_parent_died(parent: int) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        # The kernel also signals when the *thread* that started the worker ends while the
        # process lives on (a pool started from a short-lived thread): then keep working.
        if os.getppid() != parent:
            os._exit(ORPHANED)

    return handler


def _ask_the_kernel() -> None:
    """Linux: PARENT_DIED is sent to this process when its parent ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(PARENT_DIED), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watching thread still notices
        return


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(ORPHANED)
