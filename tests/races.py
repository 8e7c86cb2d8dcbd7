"""Running callables at the same moment on threads, with bounded waits, for race tests."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

BACKEND = os.environ.get("FORDRING_TEST_DATABASE", "sqlite")

WAIT = 60.0  # seconds a racer may take before the test fails instead of hanging

# Threads race truly only on PostgreSQL; SQLite's single writer runs them one after the
# other, which the same assertions must also hold for.
postgresql_only = pytest.mark.skipif(
    BACKEND != "postgresql", reason="a race between transactions needs PostgreSQL"
)


@dataclass
class Outcome:
    results: list[Any]
    errors: list[BaseException]

    def of(self, kind: type[BaseException]) -> list[BaseException]:
        return [e for e in self.errors if isinstance(e, kind)]


def race(*racers: Callable[[], Any]) -> Outcome:
    """Start every racer at once; each result or error, once all are done."""
    start = threading.Barrier(len(racers))
    outcome = Outcome([], [])
    lock = threading.Lock()

    def run(racer: Callable[[], Any]) -> None:
        start.wait(WAIT)
        try:
            result = racer()
        except BaseException as error:  # a racer's failure is the test's to judge
            with lock:
                outcome.errors.append(error)
        else:
            with lock:
                outcome.results.append(result)

    threads = [threading.Thread(target=run, args=(r,), daemon=True) for r in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
        assert not thread.is_alive(), "a racer hung: a lock was never released"
    return outcome
