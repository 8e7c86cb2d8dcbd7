"""The webhook sender refuses hosts that resolve to addresses that are not public, before
any connection, unless allowed; a port nobody listens on is an answer without a status."""

from __future__ import annotations

import pytest
from tests.smtp_server import free_port

from fordring.adapters.http.webhook_sender import HttpWebhookSender

HEADERS = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost:8080/x",
        "http://10.1.2.3/x",
        "http://192.168.0.1/x",
        "https://169.254.169.254/latest/meta-data",  # the cloud's metadata service
        "http://[::1]/x",
        "http://[fe80::1]/x",
        "http://0.0.0.0/x",
        "http://192.0.2.1/x",  # documentation range: not routed on the internet
    ],
)
def test_a_private_loopback_or_link_local_host_is_refused(url: str) -> None:
    answer = HttpWebhookSender(timeout=0.5).post(url, HEADERS, b"{}")
    assert answer.status is None and answer.error.startswith("refused: ")


def test_allowed_it_connects_and_says_why_nothing_answered() -> None:
    url = f"http://127.0.0.1:{free_port()}/x"
    answer = HttpWebhookSender(timeout=0.5, allow_private=True).post(url, HEADERS, b"{}")
    assert answer.status is None and "ConnectionRefusedError" in answer.error
