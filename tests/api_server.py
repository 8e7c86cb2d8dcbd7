"""A real `fordring serve` process for the API tests: on a free loopback port, over the
test's database, with keys of every role for each company; waits are bounded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from fordring.domain.api_access import Role
from fordring.services.api_keys import NewApiKey, create_api_key
from fordring.services.ports import UnitOfWorkFactory
from tests import builders
from tests.processes import fordring, wait_for

SECRET = "test-api-key-secret-0123456789"
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def make_keys(uow_factory: UnitOfWorkFactory, orgnr: str) -> dict[Role, str]:
    """A token of each role for the company `orgnr`."""
    scope = builders.scope(uow_factory, orgnr)
    return {
        role: create_api_key(
            NewApiKey(f"{role.value} key", role), scope, uow_factory, SECRET.encode()
        ).token
        for role in Role
    }


@dataclass
class Api:
    """A client of the server: `api.call("GET", "/customers", key=token)`."""

    base: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60))
    pid: int = 0  # the `fordring serve` process

    def call(
        self,
        method: str,
        path: str,
        key: str | None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if key is not None:
            sent["Authorization"] = f"Bearer {key}"
        return self.client.request(method, self.base + path, json=body, headers=sent, params=params)


@contextmanager
def api_server(database_url: str, outbox: str | None = None, workers: int = 1) -> Iterator[Api]:
    """`fordring serve` over the database until the block ends (SIGTERM, then kill);
    letters and statements of a run it does go to `outbox`; `workers` processes."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORDRING_")}
    env["FORDRING_API_KEY_SECRET"] = SECRET
    # a key revoked by the test itself (not over the API) must fail at once: no cache
    env["FORDRING_API_KEY_CACHE_SECONDS"] = "0"
    # the tests' PIN key: codes the test's own run or `give_access` issued sign in here
    env["FORDRING_DEBTOR_PIN_KEY"] = builders.PIN_KEY.decode()
    if outbox is not None:
        env["FORDRING_OUTBOX"] = outbox
    process = subprocess.Popen(
        [*fordring(), "--db", database_url, "serve", "--port", str(port)]
        + (["--workers", str(workers)] if workers != 1 else []),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    api = Api(f"http://127.0.0.1:{port}/api/v1", pid=process.pid)

    def up() -> bool:
        if process.poll() is not None:
            return True
        try:
            return api.client.get(api.base + "/openapi.json", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        answered = wait_for(up, START_TIMEOUT, every=0.1)
        if process.poll() is not None:
            _, err = process.communicate(timeout=5)
            raise AssertionError(f"fordring serve stopped: {err.decode()[-2000:]}")
        assert answered, f"fordring serve did not answer within {START_TIMEOUT} s"
        yield api
    finally:
        api.client.close()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if process.stderr is not None:
            process.stderr.close()
