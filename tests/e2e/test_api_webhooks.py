"""Webhooks over the REST API (issue 17 item 6), over a real `fordring serve` process:
an administrator adds, lists, gets, disables, enables and deletes endpoints, the secret
shown once; a test event is queued and reaches a local receiver that verifies its
signature; deliveries come in keyset pages; other roles get 403 and the other company's
endpoints are 404 (every attempt counted); no 4xx writes anything."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from tests import builders
from tests.crash import table_rows
from tests.e2e.test_api import World
from tests.e2e.test_api import world as world  # the fixture
from tests.webhook_receiver import Receiver, receiver

from fordring import bootstrap
from fordring.domain.api_access import Role
from fordring.services.webhooks import queue_test, send_due

pytestmark = pytest.mark.e2e
EVENTS = ["case.registered", "payment.matched"]


@pytest.fixture
def got() -> Iterator[Receiver]:
    with receiver() as r:
        yield r


def _add(w: World, key: str, url: str, **more: Any) -> Any:
    made = w.api.call("POST", "/webhooks", key, {"url": url, "events": EVENTS}, **more)
    assert made.status_code == 201, made.text
    return made


def _send(w: World) -> None:
    """What a worker's `send_webhooks` does, from the test (private addresses allowed)."""
    settings = bootstrap.Settings(database_url=w.database_url, webhook_allow_private=True)
    send_due(replace(bootstrap.Application(settings).webhook_tools, uow_factory=w.uow_factory))


def test_an_administrator_manages_endpoints_and_sees_the_secret_once(
    world: World, got: Receiver
) -> None:
    w, admin = world, world.a[Role.ADMINISTRATOR]
    once = {"Idempotency-Key": "hook-1"}
    made = _add(w, admin, got.url, headers=once)
    shown = made.json()
    assert shown["secret"].startswith("whsec_") and shown["events"] == EVENTS
    assert shown["enabled"] is True
    again = w.api.call("POST", "/webhooks", admin, {"url": got.url, "events": EVENTS}, once)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == {**shown, "secret": None}  # never stored
    got.secret = shown["secret"]
    endpoint = shown["id"]
    listed = w.api.call("GET", "/webhooks", admin).json()["items"]
    assert [e["id"] for e in listed] == [endpoint] and "secret" not in listed[0]
    assert w.api.call("GET", f"/webhooks/{endpoint}", admin).json()["url"] == got.url

    disabled = w.api.call("POST", f"/webhooks/{endpoint}/disable", admin, {"reason": "moving"})
    assert disabled.status_code == 200, disabled.text
    assert (disabled.json()["enabled"], disabled.json()["disabled_reason"]) == (False, "moving")
    enabled = w.api.call("POST", f"/webhooks/{endpoint}/enable", admin)
    assert enabled.json()["enabled"] is True

    for _ in range(3):
        queued = w.api.call("POST", f"/webhooks/{endpoint}/test", admin)
        assert queued.status_code == 202 and queued.json() == {"queued": 1}, queued.text
    _send(w)
    assert got.types() == ["webhook.test"] * 3 and got.bad_signatures == 0
    first = w.api.call("GET", f"/webhooks/{endpoint}/deliveries?limit=2", admin).json()
    assert [d["state"] for d in first["items"]] == ["delivered", "delivered"]
    assert first["next_after"] == first["items"][-1]["id"]
    rest = w.api.call(
        "GET", f"/webhooks/{endpoint}/deliveries", admin, params={"after": first["next_after"]}
    ).json()
    assert len(rest["items"]) == 1 and rest["next_after"] is None
    ids = [d["id"] for d in first["items"] + rest["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert {d["message_id"] for d in first["items"] + rest["items"]} == {r.msg_id for r in got.got}

    gone = w.api.call("DELETE", f"/webhooks/{endpoint}", admin)
    assert gone.status_code == 204, gone.text
    assert w.api.call("GET", "/webhooks", admin).json()["items"] == []
    assert w.api.call("GET", f"/webhooks/{endpoint}", admin).status_code == 404
    assert w.api.call("DELETE", f"/webhooks/{endpoint}", admin).status_code == 404


def test_bad_endpoints_are_refused_naming_each_field_and_writing_nothing(world: World) -> None:
    w, admin = world, world.a[Role.ADMINISTRATOR]
    before = table_rows(w.database_url)
    refused = w.api.call("POST", "/webhooks", admin, {"url": "ftp://x", "events": ["nope"]})
    assert refused.status_code == 422, refused.text
    fields = {(e["field"], e["code"]) for e in refused.json()["errors"]}
    assert fields == {("url", "url"), ("events", "unknown")}
    empty = w.api.call("POST", "/webhooks", admin, {"url": "https://example.com", "events": []})
    assert {e["field"] for e in empty.json()["errors"]} == {"events"}
    for path in ("/webhooks/1", "/webhooks/1/deliveries"):
        assert w.api.call("GET", path, admin).status_code == 404
    for path in ("/webhooks/1/test", "/webhooks/1/disable", "/webhooks/1/enable"):
        assert w.api.call("POST", path, admin).status_code == 404
    assert w.api.call("GET", "/webhooks/0", admin).status_code == 422
    assert table_rows(w.database_url) == before


def test_only_administrators_and_only_their_companys_endpoints(world: World) -> None:
    w = world
    a_admin, b_admin = w.a[Role.ADMINISTRATOR], w.b[Role.ADMINISTRATOR]
    a_hook = _add(w, a_admin, "https://a.example.com/hooks").json()["id"]
    b_hook = _add(w, b_admin, "https://b.example.com/hooks").json()["id"]
    queue_test(builders.scope(w.uow_factory, builders.OTHER_ORGNR), b_hook, w.uow_factory)
    for role in (Role.FINANCE_USER, Role.API_USER, Role.READ_ONLY):
        for method, path in (
            ("POST", "/webhooks"),
            ("GET", "/webhooks"),
            ("GET", f"/webhooks/{a_hook}"),
            ("POST", f"/webhooks/{a_hook}/disable"),
            ("POST", f"/webhooks/{a_hook}/enable"),
            ("POST", f"/webhooks/{a_hook}/test"),
            ("GET", f"/webhooks/{a_hook}/deliveries"),
            ("DELETE", f"/webhooks/{a_hook}"),
        ):
            body = (
                {"url": "https://x.example.com", "events": EVENTS} if path == "/webhooks" else None
            )
            assert w.api.call(method, path, w.a[role], body).status_code == 403, (role, path)
            assert w.api.call(method, path, None, body).status_code == 401, path
    attempts = 0
    before = table_rows(w.database_url)
    for mine, other, key in ((a_admin, b_hook, "a"), (b_admin, a_hook, "b")):
        listed = w.api.call("GET", "/webhooks", mine).json()["items"]
        assert [e["id"] for e in listed] == [a_hook if key == "a" else b_hook]
        attempts += 1
        for method, path in (
            ("GET", f"/webhooks/{other}"),
            ("GET", f"/webhooks/{other}/deliveries"),
            ("POST", f"/webhooks/{other}/disable"),
            ("POST", f"/webhooks/{other}/enable"),
            ("POST", f"/webhooks/{other}/test"),
            ("DELETE", f"/webhooks/{other}"),
        ):
            answer = w.api.call(method, path, mine)
            assert answer.status_code == 404, (key, method, path, answer.text)
            attempts += 1
    assert table_rows(w.database_url) == before
    assert attempts == 2 * 7
