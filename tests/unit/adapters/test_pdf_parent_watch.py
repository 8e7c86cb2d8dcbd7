"""A render worker ends when the process that started it is killed, by the kernel's
signal or, where there is none, by its watching thread; and only then."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from tests.processes import alive, kill_hard, wait_for

from fordring.adapters.pdf.parent_watch import POLL_SECONDS

# The worker: watches the pid it is given (its parent), says so, then waits.
WORKER = """
import sys, time
from fordring.adapters.pdf import parent_watch
if sys.argv[2] == "no-kernel":
    parent_watch._ask_the_kernel = lambda: None
parent_watch.exit_with_parent(int(sys.argv[1]))
print("watching", flush=True)
time.sleep(120)
"""
# The parent: starts the worker (from a thread that then ends, like a pool started by a
# short-lived thread), prints its pid, then waits to be killed.
PARENT = """
import os, subprocess, sys, threading, time
started = []
def start():
    worker = subprocess.Popen(
        [sys.executable, "-c", sys.argv[1], str(os.getpid()), sys.argv[2]],
        stdout=subprocess.PIPE, text=True,
    )
    assert worker.stdout.readline() == "watching\\n"
    started.append(worker)
thread = threading.Thread(target=start)
thread.start()
thread.join()
print(started[0].pid, flush=True)
time.sleep(120)
"""


@pytest.fixture(params=["kernel", "no-kernel"])
def family(request: pytest.FixtureRequest) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """(the parent, its worker's pid)."""
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, WORKER, request.param], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    yield parent, worker
    for pid in (parent.pid, worker):
        if alive(pid):
            kill_hard(pid)
    parent.wait(timeout=10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_worker_exits_soon_after_its_parent_is_killed(
    family: tuple[subprocess.Popen[str], int],
) -> None:
    parent, worker = family
    kill_hard(parent.pid)
    parent.wait(timeout=10)
    started = time.monotonic()
    assert wait_for(lambda: not alive(worker), timeout=10 * POLL_SECONDS)
    assert time.monotonic() - started < 4 * POLL_SECONDS


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_worker_lives_on_while_its_parent_lives(
    family: tuple[subprocess.Popen[str], int],
) -> None:
    """Though the thread that started it has ended (the kernel signals that too), and though
    someone sends it the parent's-death signal."""
    parent, worker = family
    os.kill(worker, signal.SIGUSR1)
    time.sleep(3 * POLL_SECONDS)
    assert alive(worker) and parent.poll() is None
