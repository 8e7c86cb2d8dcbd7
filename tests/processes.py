"""Processes seen through /proc (Linux; psutil is not a dependency): what a command
started, and whether those processes are still there after it was killed."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")


def fordring() -> list[str]:
    """The installed `fordring` command (or `python -m fordring`)."""
    found = shutil.which("fordring", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "fordring"]


def process_state(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None when there is none."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name in parentheses may hold spaces: the fields after the last ')'.
    state, ppid = text[text.rindex(")") + 2 :].split()[:2]
    return state, int(ppid)


def alive(pid: int) -> bool:
    """Running, sleeping or stopped; a zombie has exited (it only waits to be reaped)."""
    found = process_state(pid)
    return found is not None and found[0] not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    """Every living process below `pid`: its children, theirs, and so on."""
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        found = process_state(int(entry.name)) if entry.name.isdigit() else None
        if found is not None and found[0] not in ("Z", "X"):
            parents[int(entry.name)] = found[1]
    below: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - below
        below |= frontier
    return below


ESTABLISHED, LISTEN = "01", "0A"  # a TCP socket's state in /proc/net/tcp


def connections_on(port: int, pids: set[int]) -> dict[int, int]:
    """How many established TCP connections on local `port` each of `pids` holds (its
    open files' sockets, found in /proc/net/tcp and tcp6)."""
    established = _sockets_on(port, ESTABLISHED)
    return {pid: len(established & _open_files(pid)) for pid in pids}


def listening_on(port: int) -> int:
    """How many sockets listen on local `port` (SO_REUSEPORT: one per process)."""
    return len(_sockets_on(port, LISTEN))


def _sockets_on(port: int, state: str) -> set[str]:
    """The TCP sockets on local `port` in `state`, as a descriptor names them."""
    found: set[str] = set()
    for table in ("tcp", "tcp6"):
        for line in (PROC / "net" / table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                found.add(f"socket:[{fields[9]}]")
    return found


def _open_files(pid: int) -> set[str]:
    """What the process's descriptors name ("socket:[inode]", paths); none once it ended."""
    found: set[str] = set()
    try:
        descriptors = list((PROC / str(pid) / "fd").iterdir())
    except (FileNotFoundError, ProcessLookupError):
        return found
    for descriptor in descriptors:
        try:
            found.add(os.readlink(descriptor))
        except (FileNotFoundError, ProcessLookupError):
            continue  # closed meanwhile
    return found


def wait_for(condition: Callable[[], object], timeout: float, every: float = 0.05) -> bool:
    """Whether `condition()` became true within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def kill_hard(pid: int) -> None:
    """kill -9."""
    os.kill(pid, 9)
