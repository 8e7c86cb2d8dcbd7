"""Receiver lookup in the Peppol network: the SML's NAPTR record, then the SMP's metadata.

The SML (a DNS zone) names the SMP of a registered participant in a NAPTR record with
service `Meta:SMP` and regexp `!^.*$!<smp url>!`; the SMP (Peppol SMP 1.x, namespace
`http://busdox.org/serviceMetadata/publishing/1.0/`) publishes, per document type, the
processes and endpoints. A participant can receive when an endpoint with transport profile
`peppol-transport-as4-v2_0` serves the billing process and is active now. The XML signature
of the metadata is not checked: the access point does the binding lookup when it sends.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import dns.exception
import dns.name
import dns.rdtypes.IN.NAPTR
import dns.resolver

from fordring.adapters.clock import now_in_oslo
from fordring.domain.errors import InvalidInput
from fordring.domain.peppol import (
    AS4_TRANSPORT_PROFILE,
    BILLING_PROCESS,
    INVOICE_DOCUMENT_TYPE,
    PRODUCTION_ZONE,
    Receiver,
    Source,
    describe_document_type,
    parse_participant,
    service_metadata_url,
    sml_hostname,
)
from fordring.services.ports import DeliveryFailed

CHANNEL = "peppol"
SMP_NS = "http://busdox.org/serviceMetadata/publishing/1.0/"
ADDRESSING_NS = "http://www.w3.org/2005/08/addressing"
MAX_METADATA_BYTES = 1_000_000  # a service metadata document is a few kilobytes
_SMP_SERVICE = "meta:smp"
_ADDRESS = f"{{{ADDRESSING_NS}}}EndpointReference/{{{ADDRESSING_NS}}}Address"


class _NotRegistered(Exception):
    """The SML has no SMP for the participant: a definite no, not a failure."""


@dataclass(frozen=True, slots=True)
class _Endpoint:
    process: str
    transport_profile: str
    address: str
    activation: datetime | None
    expiration: datetime | None

    def is_active(self, at: datetime) -> bool:
        return (self.activation is None or self.activation <= at) and (
            self.expiration is None or at < self.expiration
        )


class SmlLookup:
    """`ReceiverLookup` against the live network (or a private SML/SMP for tests).

    zone: the SML DNS zone (PRODUCTION_ZONE or TEST_ZONE); nameserver: "ip[:port]" to ask
    instead of the system's resolver; timeout: seconds for the DNS answer and each HTTP
    request; now: the clock, for `checked_at` and endpoint validity dates.
    """

    def __init__(
        self,
        zone: str = PRODUCTION_ZONE,
        nameserver: str | None = None,
        timeout: float = 10.0,
        now: Callable[[], datetime] = now_in_oslo,
    ) -> None:
        self.zone = zone.strip(".")
        self.nameserver = _parse_nameserver(nameserver) if nameserver else None
        self.timeout = timeout
        self.now = now
        self._resolver: dns.resolver.Resolver | None = None

    def lookup(self, participant: str) -> Receiver:
        """Whether the participant takes Peppol BIS Billing 3.0 invoices."""
        return self.lookup_document(participant, INVOICE_DOCUMENT_TYPE)

    def lookup_document(self, participant: str, document_type: str) -> Receiver:
        """Whether the participant takes `document_type` (e.g. CREDIT_NOTE_DOCUMENT_TYPE)."""
        participant = ":".join(parse_participant(participant))
        checked_at = self.now()
        answer = functools.partial(
            Receiver,
            participant,
            source=Source.SML,
            checked_at=checked_at,
            document_type=document_type,
        )
        try:
            smp = self._smp_url(participant)
        except _NotRegistered as no:
            return answer(can_receive=False, reason=str(no))
        what = describe_document_type(document_type)
        endpoints = self._endpoints(service_metadata_url(smp, participant, document_type))
        if endpoints is None:
            return answer(can_receive=False, smp_url=smp, reason=f"does not take {what}")
        if any(_serves_billing(e, _aware(checked_at)) for e in endpoints):
            return answer(can_receive=True, smp_url=smp, reason=f"takes {what} (AS4)")
        reason = f"has no active Peppol AS4 endpoint for {what}"
        return answer(can_receive=False, smp_url=smp, reason=reason)

    def _smp_url(self, participant: str) -> str:
        """The SMP base URL the SML names for the participant; _NotRegistered if none."""
        name = dns.name.from_text(sml_hostname(participant, self.zone))
        try:
            answer = self._dns().resolve(name, "NAPTR", search=False)
        except dns.resolver.NXDOMAIN:
            raise _NotRegistered("not registered in the SML") from None
        except dns.resolver.NoAnswer:
            raise _NotRegistered("registered in the SML without an SMP (no NAPTR)") from None
        except (dns.exception.DNSException, OSError) as error:
            raise DeliveryFailed(CHANNEL, f"the SML lookup of {name} failed: {error}") from None
        return _smp_from_naptr(answer, str(name))

    def _dns(self) -> dns.resolver.Resolver:
        if self._resolver is None:
            self._resolver = _make_resolver(self.nameserver, self.timeout)
        return self._resolver

    def _endpoints(self, url: str) -> list[_Endpoint] | None:
        """The endpoints the SMP lists at `url` (one Redirect followed); None on 404."""
        body = _fetch(url, self.timeout)
        if body is None:
            return None
        root = _parse_metadata(body, url)
        redirect = _redirect_of(root)
        if redirect is None:
            return list(_endpoints_of(root))
        body = _fetch(_checked_url(redirect, "the SMP redirect"), self.timeout)
        if body is None:
            return None
        root = _parse_metadata(body, redirect)
        if _redirect_of(root) is not None:
            raise DeliveryFailed(CHANNEL, f"the SMP redirects twice ({url})")
        return list(_endpoints_of(root))


def _parse_nameserver(text: str) -> tuple[str, int]:
    """The (ip, port) of "ip", "ip:port" or "[ipv6]:port"; InvalidInput naming "nameserver"."""
    try:
        parts = urlsplit(f"//{text.strip()}")
        host, port = parts.hostname or "", parts.port
        ipaddress.ip_address(host)
    except ValueError:
        host, port = "", 0
    if not host or port == 0:
        raise InvalidInput.one("nameserver", f"{text!r} is not ip[:port] or [ipv6]:port")
    return host, port or 53


def _make_resolver(nameserver: tuple[str, int] | None, timeout: float) -> dns.resolver.Resolver:
    try:
        resolver = dns.resolver.Resolver(configure=nameserver is None)
    except dns.exception.DNSException as error:  # no /etc/resolv.conf, say
        raise DeliveryFailed(CHANNEL, f"no DNS resolver: {error}") from None
    if nameserver is not None:
        resolver.nameservers = [nameserver[0]]
        resolver.port = nameserver[1]
    resolver.timeout = timeout
    resolver.lifetime = timeout
    return resolver


def _smp_from_naptr(answer: dns.resolver.Answer, name: str) -> str:
    """The URL of the first (by order, preference) `Meta:SMP` record `!^.*$!<url>!`."""
    records = sorted(
        (r for r in answer if isinstance(r, dns.rdtypes.IN.NAPTR.NAPTR)),
        key=lambda r: (r.order, r.preference),
    )
    for record in records:
        if record.service.decode("ascii", "replace").lower() != _SMP_SERVICE:
            continue
        url = _naptr_url(record.regexp.decode("utf-8", "replace"))
        if url:
            return _checked_url(url, f"the NAPTR record of {name}")
    raise DeliveryFailed(CHANNEL, f"the SML's NAPTR records of {name} name no SMP")


def _naptr_url(regexp: str) -> str:
    """`!^.*$!https://smp.example!` → the URL; "" for any other rewrite rule."""
    parts = regexp[1:].split(regexp[0]) if regexp else []
    return parts[1] if len(parts) >= 2 and parts[0] == "^.*$" else ""


def _checked_url(url: str, where: str) -> str:
    """Only http(s) URLs: urllib would also open file:// and ftp:// ones."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DeliveryFailed(CHANNEL, f"{where} gives {url!r}, not an http(s) URL")
    return url


def _fetch(url: str, timeout: float) -> bytes | None:
    """The body of a GET, or None when the server answers 404."""
    request = urllib.request.Request(url, headers={"Accept": "application/xml, text/xml"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_METADATA_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            return None
        raise DeliveryFailed(CHANNEL, f"the SMP answered {error.code} for {url}") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise DeliveryFailed(CHANNEL, f"the SMP did not answer ({url}): {error}") from None
    if len(body) > MAX_METADATA_BYTES:
        raise DeliveryFailed(CHANNEL, f"the SMP's answer is over {MAX_METADATA_BYTES} bytes")
    return body


def _parse_metadata(body: bytes, url: str) -> ElementTree.Element:
    """The ServiceMetadata element of a (Signed)ServiceMetadata document."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise DeliveryFailed(CHANNEL, f"the SMP's answer is not XML ({url}): {error}") from None
    if root.tag == f"{{{SMP_NS}}}SignedServiceMetadata":
        found = root.find(f"{{{SMP_NS}}}ServiceMetadata")
        if found is not None:
            return found
    elif root.tag == f"{{{SMP_NS}}}ServiceMetadata":
        return root
    raise DeliveryFailed(CHANNEL, f"the SMP's answer is not Peppol service metadata ({url})")


def _redirect_of(metadata: ElementTree.Element) -> str | None:
    redirect = metadata.find(f"{{{SMP_NS}}}Redirect")
    return None if redirect is None else redirect.get("href", "")


def _endpoints_of(metadata: ElementTree.Element) -> Iterator[_Endpoint]:
    path = f"{{{SMP_NS}}}ServiceInformation/{{{SMP_NS}}}ProcessList/{{{SMP_NS}}}Process"
    for process in metadata.iterfind(path):
        # ProcessIdentifier is in the busdox identifiers namespace; some SMPs put it in SMP's
        process_id = (process.findtext("{*}ProcessIdentifier") or "").strip()
        for endpoint in process.iterfind(f"{{{SMP_NS}}}ServiceEndpointList/{{{SMP_NS}}}Endpoint"):
            yield _Endpoint(
                process=process_id,
                transport_profile=endpoint.get("transportProfile", ""),
                address=(endpoint.findtext(_ADDRESS) or "").strip(),
                activation=_timestamp(endpoint.findtext(f"{{{SMP_NS}}}ServiceActivationDate")),
                expiration=_timestamp(endpoint.findtext(f"{{{SMP_NS}}}ServiceExpirationDate")),
            )


def _timestamp(text: str | None) -> datetime | None:
    """An xs:dateTime, UTC when it names no zone; None when absent or unreadable."""
    if not text or not text.strip():
        return None
    try:
        return _aware(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _serves_billing(endpoint: _Endpoint, at: datetime) -> bool:
    return (
        endpoint.process == BILLING_PROCESS
        and endpoint.transport_profile == AS4_TRANSPORT_PROFILE
        and bool(endpoint.address)
        and endpoint.is_active(at)
    )
