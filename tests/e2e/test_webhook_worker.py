"""Webhooks sent by real `fordring worker` processes on PostgreSQL (issue 17): the periodic
`send_webhooks` job delivers every message; a worker killed with `kill -9` in the middle
of sending loses none of them (its claims run out and another worker sends them), and
sends again at most the few that were in flight (at least once: the receiver drops them
by `webhook-id`)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from tests.builders import cli_company, cli_consumer
from tests.conftest import BACKEND, Run
from tests.crash import _base_env
from tests.processes import fordring, kill_hard, wait_for
from tests.webhook_receiver import Receiver, receiver

from fordring.adapters.db.engine import normalise_url
from fordring.services.webhooks import SENDERS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(BACKEND != "postgresql", reason="workers are PostgreSQL's"),
]

INVOICES = 30
TIMEOUT = 5  # seconds: a claim is left to its sender 2 * 5 + 5 = 15 s


def _states(url: str) -> dict[str, int]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT state, count(*) FROM webhook_delivery GROUP BY state")
            )
            return {state: int(n) for state, n in rows}
    finally:
        engine.dispose()


def _message_ids(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return set(connection.execute(text("SELECT id FROM webhook_message")).scalars())
    finally:
        engine.dispose()


@pytest.fixture
def queued(run: Run, database_url: str) -> Iterator[tuple[str, Receiver]]:
    """A company whose endpoint wants invoices issued, and INVOICES of them."""
    cli_company(run)
    cli_consumer(run)
    with receiver() as got:
        made = run("webhooks", "add", got.url, "--event", "invoice.issued")
        assert made.exit_code == 0, made.output
        got.secret = json.loads(made.output)["secret"]
        for _ in range(INVOICES):
            done = run("invoice", "create", "--customer", "10000", "--line", "T;1;100;25")
            assert done.exit_code == 0, done.output
        yield database_url, got


def _worker(url: str, folder: Path, name: str) -> subprocess.Popen[str]:
    log = (folder / f"{name}.log").open("w")
    env = {
        **_base_env(),
        "FORDRING_WEBHOOK_ALLOW_PRIVATE": "1",
        "FORDRING_WEBHOOK_TIMEOUT": str(TIMEOUT),
    }
    command = [*fordring(), "--db", url, "worker", "--name", name, "--stalled-after", "3"]
    return subprocess.Popen(
        command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def test_a_worker_sends_every_webhook_once(queued: tuple[str, Receiver], tmp_path: Path) -> None:
    url, got = queued
    worker = _worker(url, tmp_path, "one")
    try:
        assert wait_for(lambda: _states(url) == {"delivered": INVOICES}, 60, every=0.5)
    finally:
        _stop(worker)
    assert got.bad_signatures == 0
    assert sorted(r.msg_id for r in got.got) == sorted(_message_ids(url))  # each once


def test_a_worker_killed_while_sending_loses_none(
    queued: tuple[str, Receiver], tmp_path: Path
) -> None:
    url, got = queued
    got.delay = 0.5  # each answer takes half a second: the kill finds requests in flight
    doomed = _worker(url, tmp_path, "doomed")
    try:
        assert wait_for(lambda: len(got.got) >= 3, 60, every=0.02)
        kill_hard(doomed.pid)
        doomed.wait(10)
    finally:
        _stop(doomed)
    killed = time.monotonic()
    assert _states(url).get("waiting", 0) > 0  # it died before sending them all
    rescuer = _worker(url, tmp_path, "rescuer")
    try:
        assert wait_for(lambda: _states(url) == {"delivered": INVOICES}, 90, every=0.5), (
            tmp_path / "rescuer.log"
        ).read_text()
    finally:
        _stop(rescuer)
    recovered = time.monotonic() - killed
    ids = [r.msg_id for r in got.got]
    assert set(ids) == _message_ids(url)  # nothing lost
    twice = len(ids) - len(set(ids))
    assert twice <= SENDERS  # again: at most those in flight when it died
    assert got.bad_signatures == 0
    print(f"all {INVOICES} delivered {recovered:.1f} s after kill -9; {twice} sent twice")
