"""The access points: a pickup folder, and an HTTP API against a real local server."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tests.unit.adapters.peppol.servers import Reply, SeenRequest, http_server

from fordring.adapters.peppol.access_point import FolderAccessPoint, HttpAccessPoint
from fordring.domain.errors import InvalidInput
from fordring.domain.peppol import INVOICE_DOCUMENT_TYPE
from fordring.services.ports import DeliveryFailed, OutgoingEhf

UBL = b'<?xml version="1.0" encoding="UTF-8"?><Invoice>1001</Invoice>'


def _document(name: str = "923456783-invoice-1001", ubl: bytes = UBL) -> OutgoingEhf:
    return OutgoingEhf(
        name=name,
        sender="0192:923456783",
        receiver="0192:988077917",
        document_type=INVOICE_DOCUMENT_TYPE,
        ubl=ubl,
    )


# --- the folder -----------------------------------------------------------------------


def test_the_folder_gets_the_ubl_and_its_routing(tmp_path: Path) -> None:
    location = FolderAccessPoint(tmp_path / "outbox").submit(_document())
    assert location == str(tmp_path / "outbox" / "923456783-invoice-1001.xml")
    assert Path(location).read_bytes() == UBL
    routing = json.loads((tmp_path / "outbox" / "923456783-invoice-1001.json").read_text())
    assert routing["sender"] == "0192:923456783"
    assert routing["receiver"] == "0192:988077917"
    assert routing["document_type"] == INVOICE_DOCUMENT_TYPE
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == [
        "923456783-invoice-1001.json",
        "923456783-invoice-1001.xml",
    ]  # no temporary files left behind


def test_submitting_the_same_document_again_changes_nothing(tmp_path: Path) -> None:
    access_point = FolderAccessPoint(tmp_path)
    first = access_point.submit(_document())
    written = Path(first).stat().st_mtime_ns
    time.sleep(0.01)
    assert access_point.submit(_document()) == first
    assert Path(first).stat().st_mtime_ns == written


def test_other_content_under_a_name_handed_over_is_refused(tmp_path: Path) -> None:
    access_point = FolderAccessPoint(tmp_path)
    location = access_point.submit(_document())
    with pytest.raises(DeliveryFailed, match="other content"):
        access_point.submit(_document(ubl=UBL.replace(b"1001", b"1002")))
    assert Path(location).read_bytes() == UBL


def test_a_failed_write_leaves_no_document(tmp_path: Path) -> None:
    (tmp_path / "923456783-invoice-1001.json").mkdir()  # the sidecar cannot be written
    with pytest.raises(DeliveryFailed, match="cannot write"):
        FolderAccessPoint(tmp_path).submit(_document())
    assert not (tmp_path / "923456783-invoice-1001.xml").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["923456783-invoice-1001.json"]


@pytest.mark.parametrize("bad", ["../escape", ".hidden", "a/b", ""])
def test_a_name_that_is_no_plain_file_name_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(DeliveryFailed, match="file name"):
        FolderAccessPoint(tmp_path).submit(_document(name=bad))


# --- HTTP -----------------------------------------------------------------------------


def test_the_http_access_point_posts_the_ubl_with_its_routing() -> None:
    with http_server(lambda _: Reply(201, b'{"id": "ap-42"}', "application/json")) as ap:
        reference = HttpAccessPoint(ap.url + "/api/", token="s3cret", timeout=2).submit(_document())
    assert reference == "ap-42"
    [request] = ap.seen
    assert (request.method, request.path, request.body) == ("POST", "/api/outbox", UBL)
    assert request.headers["Content-Type"] == "application/xml"
    assert request.headers["X-Peppol-Sender"] == "0192:923456783"
    assert request.headers["X-Peppol-Receiver"] == "0192:988077917"
    assert request.headers["X-Peppol-Document-Type"] == INVOICE_DOCUMENT_TYPE
    assert request.headers["Idempotency-Key"] == "923456783-invoice-1001"
    assert request.headers["Authorization"] == "Bearer s3cret"


def test_without_a_token_no_authorization_is_sent() -> None:
    with http_server(lambda _: Reply(200, b'{"id": 7}', "application/json")) as ap:
        assert HttpAccessPoint(ap.url, timeout=2).submit(_document()) == "7"
    assert "Authorization" not in ap.seen[0].headers


def test_a_server_error_is_a_delivery_failure_with_status_and_body() -> None:
    with (
        http_server(lambda _: Reply(500, b"database  is\n down", "text/plain")) as ap,
        pytest.raises(DeliveryFailed, match="answered 500: database is down") as caught,
    ):
        HttpAccessPoint(ap.url, token="s3cret", timeout=2).submit(_document())
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    "reply",
    [Reply(200, b"<ok/>"), Reply(201, b'{"status": "queued"}'), Reply(202, b'{"id": ""}')],
)
def test_an_answer_without_an_id_is_a_delivery_failure(reply: Reply) -> None:
    with http_server(lambda _: reply) as ap, pytest.raises(DeliveryFailed, match="without an id"):
        HttpAccessPoint(ap.url, timeout=2).submit(_document())


def test_a_redirect_is_not_followed() -> None:
    with http_server(lambda _: Reply(307, b"")) as ap, pytest.raises(DeliveryFailed, match="307"):
        HttpAccessPoint(ap.url, timeout=2).submit(_document())
    assert len(ap.seen) == 1


def test_a_slow_access_point_is_a_delivery_failure() -> None:
    def slow(_: SeenRequest) -> Reply:
        time.sleep(1.0)
        return Reply(201, b'{"id": "late"}')

    with http_server(slow) as ap, pytest.raises(DeliveryFailed, match="did not answer"):
        HttpAccessPoint(ap.url, timeout=0.2).submit(_document())


def test_an_access_point_that_is_down_is_a_delivery_failure() -> None:
    with http_server(lambda _: Reply(201)) as ap:
        url = ap.url
    with pytest.raises(DeliveryFailed, match="did not answer"):
        HttpAccessPoint(url, timeout=1).submit(_document())


def test_the_access_point_url_must_be_http() -> None:
    with pytest.raises(InvalidInput, match="access_point"):
        HttpAccessPoint("file:///tmp/outbox")
