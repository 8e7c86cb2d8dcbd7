"""The SML/SMP lookup against a real DNS server and a real SMP on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from tests.unit.adapters.peppol.servers import (
    LOCAL_ZONE,
    Reply,
    dns_server,
    http_server,
    local_peppol,
    metadata_path,
    redirect_metadata,
    service_metadata,
    smp_routes,
)

from fordring.adapters.peppol.sml import SmlLookup
from fordring.domain.errors import InvalidInput
from fordring.domain.peppol import (
    CREDIT_NOTE_DOCUMENT_TYPE,
    INVOICE_DOCUMENT_TYPE,
    Source,
    sml_hostname,
)
from fordring.services.ports import DeliveryFailed

TAKES_EHF = "0192:923456783"
NO_EHF = "0192:988077917"
UNKNOWN = "0192:123456785"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _lookup(zone: str, nameserver: str) -> SmlLookup:
    return SmlLookup(zone=zone, nameserver=nameserver, timeout=1.0, now=lambda: NOW)


@pytest.fixture(scope="module")
def network() -> Iterator[SmlLookup]:
    with local_peppol({TAKES_EHF: True, NO_EHF: False}) as (zone, nameserver, _smp):
        yield _lookup(zone, nameserver)


@contextmanager
def smp_serving(documents: Mapping[str, bytes]) -> Iterator[SmlLookup]:
    """TAKES_EHF in the SML, pointing to an SMP that serves exactly `documents`."""
    with http_server(smp_routes(documents)) as smp:
        names = {sml_hostname(TAKES_EHF, LOCAL_ZONE): f"{smp.url}/smp"}
        with dns_server(names) as nameserver:
            yield _lookup(LOCAL_ZONE, nameserver)


def _invoice_path(prefix: str = "/smp") -> str:
    return metadata_path(prefix, TAKES_EHF, INVOICE_DOCUMENT_TYPE)


def _closed_port(kind: socket.SocketKind) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_registered_participant_whose_smp_lists_invoices_can_receive(
    network: SmlLookup,
) -> None:
    receiver = network.lookup(" 0192:923456783 ")
    assert receiver.can_receive
    assert receiver.participant == TAKES_EHF
    assert receiver.source is Source.SML
    assert receiver.checked_at == NOW
    assert receiver.smp_url.startswith("http://127.0.0.1:")
    assert receiver.reason == "takes Peppol BIS Billing 3.0 invoices (AS4)"


def test_credit_notes_are_looked_up_as_their_own_document_type(network: SmlLookup) -> None:
    assert network.lookup_document(TAKES_EHF, CREDIT_NOTE_DOCUMENT_TYPE).can_receive


def test_a_registered_participant_whose_smp_answers_404_cannot_receive(
    network: SmlLookup,
) -> None:
    receiver = network.lookup(NO_EHF)
    assert not receiver.can_receive
    assert receiver.reason == "does not take Peppol BIS Billing 3.0 invoices"
    assert receiver.smp_url


def test_a_participant_not_in_the_sml_cannot_receive(network: SmlLookup) -> None:
    receiver = network.lookup(UNKNOWN)
    assert not receiver.can_receive
    assert receiver.reason == "not registered in the SML"
    assert receiver.smp_url == ""


def test_an_invalid_participant_is_invalid_input(network: SmlLookup) -> None:
    with pytest.raises(InvalidInput, match="participant"):
        network.lookup("0192:923456784")


def test_a_dns_server_that_does_not_answer_is_a_delivery_failure() -> None:
    lookup = _lookup(LOCAL_ZONE, f"127.0.0.1:{_closed_port(socket.SOCK_DGRAM)}")
    with pytest.raises(DeliveryFailed, match="SML lookup"):
        lookup.lookup(TAKES_EHF)


def test_an_smp_that_does_not_answer_is_a_delivery_failure() -> None:
    smp = f"http://127.0.0.1:{_closed_port(socket.SOCK_STREAM)}/smp"
    with dns_server({sml_hostname(TAKES_EHF, LOCAL_ZONE): smp}) as nameserver:
        lookup = _lookup(LOCAL_ZONE, nameserver)
        with pytest.raises(DeliveryFailed, match="did not answer"):
            lookup.lookup(TAKES_EHF)


def test_unsigned_service_metadata_is_read_too() -> None:
    document = service_metadata(TAKES_EHF, INVOICE_DOCUMENT_TYPE, signed=False)
    with smp_serving({_invoice_path(): document}) as lookup:
        assert lookup.lookup(TAKES_EHF).can_receive


def test_a_redirect_is_followed_once() -> None:
    documents: dict[str, bytes] = {}
    with http_server(smp_routes(documents)) as smp:
        documents[_invoice_path()] = redirect_metadata(f"{smp.url}/other")
        documents["/other"] = service_metadata(TAKES_EHF, INVOICE_DOCUMENT_TYPE)
        names = {sml_hostname(TAKES_EHF, LOCAL_ZONE): f"{smp.url}/smp"}
        with dns_server(names) as nameserver:
            assert _lookup(LOCAL_ZONE, nameserver).lookup(TAKES_EHF).can_receive
        assert [r.path for r in smp.seen] == [_invoice_path(), "/other"]


def test_a_second_redirect_is_a_delivery_failure() -> None:
    documents: dict[str, bytes] = {}
    with http_server(smp_routes(documents)) as smp:
        documents[_invoice_path()] = redirect_metadata(f"{smp.url}/again")
        documents["/again"] = redirect_metadata(f"{smp.url}/again")
        names = {sml_hostname(TAKES_EHF, LOCAL_ZONE): f"{smp.url}/smp"}
        with dns_server(names) as nameserver, pytest.raises(DeliveryFailed, match="twice"):
            _lookup(LOCAL_ZONE, nameserver).lookup(TAKES_EHF)


@pytest.mark.parametrize(
    "document",
    [
        service_metadata(TAKES_EHF, INVOICE_DOCUMENT_TYPE, transport_profile="busdox-as2"),
        service_metadata(TAKES_EHF, INVOICE_DOCUMENT_TYPE, process="urn:other:process"),
        service_metadata(TAKES_EHF, INVOICE_DOCUMENT_TYPE, expires="2025-01-01T00:00:00Z"),
    ],
    ids=["other transport", "other process", "expired"],
)
def test_no_active_as4_endpoint_for_billing_means_no(document: bytes) -> None:
    with smp_serving({_invoice_path(): document}) as lookup:
        receiver = lookup.lookup(TAKES_EHF)
    assert not receiver.can_receive
    assert "no active Peppol AS4 endpoint" in receiver.reason


@pytest.mark.parametrize(
    "garbage", [b"<html>oops</html>", b"not xml at all", b"<ServiceMetadata/>"]
)
def test_an_smp_answering_garbage_is_a_delivery_failure(garbage: bytes) -> None:
    with smp_serving({_invoice_path(): garbage}) as lookup, pytest.raises(DeliveryFailed):
        lookup.lookup(TAKES_EHF)


def test_an_smp_error_status_is_a_delivery_failure() -> None:
    with http_server(lambda _: Reply(500, b"boom")) as smp:
        names = {sml_hostname(TAKES_EHF, LOCAL_ZONE): smp.url}
        with dns_server(names) as nameserver, pytest.raises(DeliveryFailed, match="500"):
            _lookup(LOCAL_ZONE, nameserver).lookup(TAKES_EHF)


def test_an_sml_record_naming_no_http_url_is_a_delivery_failure() -> None:
    names = {sml_hostname(TAKES_EHF, LOCAL_ZONE): "file:///etc/passwd"}
    with dns_server(names) as nameserver, pytest.raises(DeliveryFailed, match="not an http"):
        _lookup(LOCAL_ZONE, nameserver).lookup(TAKES_EHF)


@pytest.mark.parametrize("bad", ["localhost:53", "127.0.0.1:0", "127.0.0.1:x", "[::1"])
def test_a_nameserver_must_be_an_ip_address_and_port(bad: str) -> None:
    with pytest.raises(InvalidInput, match="nameserver"):
        SmlLookup(nameserver=bad)


def test_a_nameserver_may_be_ipv6_with_a_port() -> None:
    assert SmlLookup(nameserver="[::1]:5353").nameserver == ("::1", 5353)
    assert SmlLookup(nameserver="10.0.0.1").nameserver == ("10.0.0.1", 53)
