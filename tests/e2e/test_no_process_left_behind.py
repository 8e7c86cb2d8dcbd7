"""A killed `fordring` leaves no process behind (issue 14, item 4): the PDF render workers
(a process pool, and the resource tracker that comes with it) exit with their parent,
whether it is killed from outside while they compile or kills itself at a commit (the crash
tests' kill points) with the pool idle but alive."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from tests.builders import cli_company
from tests.conftest import Run
from tests.crash import MARK, started_by
from tests.processes import alive, descendants, fordring, kill_hard, wait_for

pytestmark = pytest.mark.e2e

# Invoices go to the render workers when there are at least four batches of them
# (renderer.BatchRenderer, 50 invoices a batch with two workers).
INVOICES = 200
BOUND = 10.0  # seconds the workers may take to notice; they notice within one


def _invoices_to_send(run: Run, tmp_path: Path) -> list[str]:
    """INVOICES invoices to Kari Nordmann, imported (so not sent yet): their numbers."""
    cli_company(run)
    customers = tmp_path / "customers.csv"
    customers.write_text("number;name;address;postcode;city\n10000;Kari Nordmann;Vei 3;0565;Oslo\n")
    assert run("customer", "import", str(customers)).exit_code == 0
    invoices = tmp_path / "invoices.csv"
    rows = [f"10000;Time {n};1;{100 + n};25" for n in range(INVOICES)]
    invoices.write_text("customer;description;quantity;unit_price;vat\n" + "\n".join(rows))
    assert run("invoice", "import", str(invoices)).exit_code == 0
    numbers = [str(i["number"]) for i in json.loads(run("invoice", "list").output)]
    assert len(numbers) == INVOICES
    return numbers


def test_render_workers_exit_when_the_command_is_killed_mid_render(
    run: Run, database_url: str, tmp_path: Path
) -> None:
    numbers = _invoices_to_send(run, tmp_path)
    command = subprocess.Popen(
        [*fordring(), "--db", database_url, "--date", "2026-03-02", "invoice", "send", *numbers],
        cwd=tmp_path,
        env={**os.environ, "FORDRING_OUTBOX": str(tmp_path / "outbox")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        # Mid-render: the pool's workers are up (two of them, plus the resource tracker).
        assert wait_for(lambda: len(descendants(command.pid)) >= 3, timeout=120), (
            "the command never started its render workers"
        )
        workers = descendants(command.pid)
        kill_hard(command.pid)
        command.wait(timeout=10)
        assert command.returncode == -9

        def left() -> set[int]:
            return {pid for pid in workers if alive(pid)}

        assert wait_for(lambda: not left(), timeout=BOUND), f"still running: {sorted(left())}"
    finally:  # whatever happened, this test leaves nothing behind either
        for pid in [command.pid, *workers]:
            if alive(pid):
                kill_hard(pid)
        command.wait(timeout=10)


def test_render_workers_exit_when_the_command_kills_itself_at_a_commit(
    run: Run, database_url: str, tmp_path: Path
) -> None:
    """`invoice send` commits the queue (1), renders the batch on the pool, sends it and
    commits its outcome (2): killed just before that, its workers are alive and idle."""
    numbers = _invoices_to_send(run, tmp_path)
    mark = uuid.uuid4().hex
    command = subprocess.Popen(
        [*fordring(), "--db", database_url, "--date", "2026-03-02", "invoice", "send", *numbers],
        cwd=tmp_path,
        env={
            **os.environ,
            "FORDRING_OUTBOX": str(tmp_path / "outbox"),
            "FORDRING_KILL_AT": "before:2",
            MARK: mark,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while command.poll() is None and time.monotonic() < deadline:
            seen |= set(started_by(mark)) - {command.pid}
            time.sleep(0.05)
        assert command.wait(timeout=10) == -9
        assert len(seen) >= 2, f"the command never started its render workers: {seen}"
        assert wait_for(lambda: not started_by(mark), timeout=BOUND), (
            f"still running: {started_by(mark)}"
        )
    finally:
        for pid in [command.pid, *started_by(mark)]:
            if alive(pid):
                kill_hard(pid)
        command.wait(timeout=10)
