"""A real HTTP receiver for webhook tests, on 127.0.0.1 in a thread: it verifies each
request's Standard Webhooks signature by its own reading of the spec (not fordring's code),
keeps what it got, and answers as scripted: a status, or a wait longer than the sender's
timeout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STALL = "stall"  # an answer that comes after the sender gave up


def verified(
    secret: str, headers: dict[str, str], body: bytes, tolerance: float | None = 300
) -> bool:
    """Standard Webhooks: HMAC-SHA256 of `id.timestamp.body`, base64, after `v1,`; the key
    is the base64 after `whsec_`; the timestamp within 5 minutes."""
    key = base64.b64decode(secret.split("_", 1)[1])
    msg_id, stamp = headers["webhook-id"], headers["webhook-timestamp"]
    if tolerance is not None and abs(time.time() - int(stamp)) > tolerance:
        return False
    expected = base64.b64encode(
        hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    ).decode()
    given = [
        s.split(",", 1)[1] for s in headers["webhook-signature"].split() if s.startswith("v1,")
    ]
    return any(hmac.compare_digest(expected, g) for g in given)


@dataclass
class Received:
    msg_id: str
    body: dict[str, Any]
    answered: int | str


@dataclass
class Receiver:
    port: int = 0
    secret: str = ""
    script: list[int | str] = field(default_factory=list)  # answers in turn, then `usual`
    usual: int = 200
    stall_for: float = 2.0
    delay: float = 0.0  # every answer waits this long first
    tolerance: float | None = 300  # seconds the timestamp may be off (None: a test's clock)
    got: list[Received] = field(default_factory=list)
    bad_signatures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def delivered(self) -> list[Received]:
        """What it answered 2xx to."""
        with self.lock:
            return [r for r in self.got if isinstance(r.answered, int) and r.answered < 300]

    def types(self) -> list[str]:
        return sorted(r.body["type"] for r in self.delivered())


@contextmanager
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state.lock:
                if not verified(state.secret, headers, body, state.tolerance):
                    state.bad_signatures += 1
                answer = state.script.pop(0) if state.script else state.usual
                state.got.append(Received(headers["webhook-id"], json.loads(body), answer))
            time.sleep(state.delay)
            if answer == STALL:
                time.sleep(state.stall_for)
                answer = 200  # too late: the sender has given up
            self.send_response(int(answer))
            if 300 <= int(answer) < 400:  # a redirect to itself: followed, it would be seen
                self.send_header("location", state.url + "/moved")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
