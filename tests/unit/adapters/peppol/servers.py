"""Local stand-ins for the Peppol network: an SML (a DNS server) and an SMP (HTTP).

Real servers on 127.0.0.1 and free ports, for the lookup's unit tests and the delivery
chain's end-to-end tests: `local_peppol({"0192:923456783": True})` gives a zone, a
nameserver and an SMP URL to configure `SmlLookup` with.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from dnslib import NAPTR, QTYPE, RCODE, RR, DNSLabel  # type: ignore[import-untyped]
from dnslib.server import DNSLogger, DNSServer  # type: ignore[import-untyped]

from fordring.domain.peppol import (
    AS4_TRANSPORT_PROFILE,
    BILLING_PROCESS,
    CREDIT_NOTE_DOCUMENT_TYPE,
    INVOICE_DOCUMENT_TYPE,
    PARTICIPANT_SCHEME,
    PROCESS_SCHEME,
    sml_hostname,
)

LOCAL_ZONE = "sml.fordring.test"


class LocalPeppol(NamedTuple):
    zone: str
    nameserver: str  # "127.0.0.1:<port>"
    smp_url: str


@dataclass(frozen=True, slots=True)
class SeenRequest:
    method: str
    path: str  # percent-decoded
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/xml"


@dataclass(slots=True)
class LocalHttp:
    url: str  # "http://127.0.0.1:<port>"
    seen: list[SeenRequest] = field(default_factory=list)


# --- the SML --------------------------------------------------------------------------


class _SmlZone:
    """A dnslib resolver: NAPTR `Meta:SMP` for the names given, NXDOMAIN for the rest."""

    def __init__(self, smp_by_hostname: Mapping[str, str]) -> None:
        self.smp_by_hostname = {k.lower().strip("."): v for k, v in smp_by_hostname.items()}

    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        question = request.q
        smp = self.smp_by_hostname.get(str(question.qname).lower().strip("."))
        if smp is None:
            reply.header.rcode = RCODE.NXDOMAIN
        elif question.qtype == QTYPE.NAPTR:
            rdata = NAPTR(100, 10, b"U", b"Meta:SMP", f"!^.*$!{smp}!".encode(), DNSLabel("."))
            reply.add_answer(RR(question.qname, QTYPE.NAPTR, rdata=rdata, ttl=60))
        return reply


@contextmanager
def dns_server(smp_by_hostname: Mapping[str, str]) -> Iterator[str]:
    """A UDP DNS server on 127.0.0.1 for the names given; yields "127.0.0.1:<port>"."""
    quiet = DNSLogger(log="-request,-reply,-truncated,-error", logf=lambda _: None)
    server = DNSServer(_SmlZone(smp_by_hostname), address="127.0.0.1", port=0, logger=quiet)
    server.start_thread()
    try:
        yield f"127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.stop()
        server.server.server_close()


# --- HTTP (the SMP, an access point) --------------------------------------------------


@contextmanager
def http_server(respond: Callable[[SeenRequest], Reply]) -> Iterator[LocalHttp]:
    """An HTTP server on 127.0.0.1 that records each request and answers with `respond`."""
    local = LocalHttp(url="")

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            seen = SeenRequest(
                method=self.command,
                path=unquote(urlsplit(self.path).path),
                headers=dict(self.headers.items()),
                body=self.rfile.read(length),
            )
            local.seen.append(seen)
            reply = respond(seen)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = _serve  # noqa: N815 (http.server's hook names)
        do_POST = _serve  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    local.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield local
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def smp_routes(documents: Mapping[str, bytes]) -> Callable[[SeenRequest], Reply]:
    """Answer GETs of the (decoded) paths given with their document, anything else 404."""

    def respond(request: SeenRequest) -> Reply:
        body = documents.get(request.path)
        return Reply(200, body) if body is not None else Reply(404, b"not found", "text/plain")

    return respond


def metadata_path(prefix: str, participant: str, document_type: str) -> str:
    """The decoded path a client asks for: `<prefix>/iso6523-actorid-upis::<id>/services/…`."""
    return f"{prefix}/{PARTICIPANT_SCHEME}::{participant}/services/{document_type}"


def service_metadata(
    participant: str,
    document_type: str,
    *,
    transport_profile: str = AS4_TRANSPORT_PROFILE,
    process: str = BILLING_PROCESS,
    expires: str = "",
    signed: bool = True,
) -> bytes:
    """A Peppol SMP 1.x service metadata document with one endpoint."""
    scheme, _, value = document_type.partition("::")
    expiration = f"<ServiceExpirationDate>{expires}</ServiceExpirationDate>" if expires else ""
    metadata = f"""<ServiceMetadata>
    <ServiceInformation>
      <ids:ParticipantIdentifier scheme="{PARTICIPANT_SCHEME}"
        >{participant}</ids:ParticipantIdentifier>
      <ids:DocumentIdentifier scheme="{scheme}">{value}</ids:DocumentIdentifier>
      <ProcessList><Process>
        <ids:ProcessIdentifier scheme="{PROCESS_SCHEME}">{process}</ids:ProcessIdentifier>
        <ServiceEndpointList>
          <Endpoint transportProfile="{transport_profile}">
            <wsa:EndpointReference><wsa:Address>https://ap.example/as4</wsa:Address></wsa:EndpointReference>
            <RequireBusinessLevelSignature>false</RequireBusinessLevelSignature>
            <ServiceActivationDate>2020-01-01T00:00:00Z</ServiceActivationDate>
            {expiration}
            <Certificate>TUlJQ2VydGlmaWNhdGU=</Certificate>
            <ServiceDescription>Test access point</ServiceDescription>
            <TechnicalContactUrl>mailto:ap@example.invalid</TechnicalContactUrl>
          </Endpoint>
        </ServiceEndpointList>
      </Process></ProcessList>
    </ServiceInformation>
  </ServiceMetadata>"""
    return _smp_document(
        metadata
        if not signed
        else f"<SignedServiceMetadata>{metadata}<ds:Signature/></SignedServiceMetadata>"
    )


def redirect_metadata(href: str) -> bytes:
    """Service metadata that sends the client to another SMP."""
    return _smp_document(
        f'<SignedServiceMetadata><ServiceMetadata><Redirect href="{href}">'
        "<CertificateUID>CN=other smp</CertificateUID></Redirect></ServiceMetadata>"
        "</SignedServiceMetadata>"
    )


def _smp_document(inner: str) -> bytes:
    """Put the namespaces of Peppol SMP 1.x on the root element of `inner`."""
    namespaces = (
        ' xmlns="http://busdox.org/serviceMetadata/publishing/1.0/"'
        ' xmlns:ids="http://busdox.org/transport/identifiers/1.0/"'
        ' xmlns:wsa="http://www.w3.org/2005/08/addressing"'
        ' xmlns:ds="http://www.w3.org/2000/09/xmldsig#"'
    )
    tag_end = inner.index(">")
    root = f"{inner[:tag_end]}{namespaces}{inner[tag_end:]}"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{root}'.encode()


# --- both ----------------------------------------------------------------------------


@contextmanager
def local_peppol(participants: Mapping[str, bool], zone: str = LOCAL_ZONE) -> Iterator[LocalPeppol]:
    """An SML and an SMP for `participants` ("0192:<orgnr>" → whether its SMP serves BIS
    Billing 3.0 invoices and credit notes); a participant not given is not in the SML."""
    documents = {
        metadata_path("/smp", participant, document_type): service_metadata(
            participant, document_type
        )
        for participant, serves in participants.items()
        if serves
        for document_type in (INVOICE_DOCUMENT_TYPE, CREDIT_NOTE_DOCUMENT_TYPE)
    }
    with http_server(smp_routes(documents)) as smp:
        smp_url = f"{smp.url}/smp"
        names = {sml_hostname(participant, zone): smp_url for participant in participants}
        with dns_server(names) as nameserver:
            yield LocalPeppol(zone, nameserver, smp_url)
