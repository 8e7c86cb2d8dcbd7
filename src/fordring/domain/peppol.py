"""Peppol participants and what a lookup says of them (SPEC D2, DOMAIN § 11).

A Norwegian business is Peppol participant `0192:<orgnr>`. Whether it can receive an EHF
invoice is asked of the Peppol SML (a DNS name made from the participant id) and the SMP
that name points to; `Receiver` is the answer, wherever it came from. The pure parts of
that lookup live here: parsing a participant id, the SML DNS name, the SMP metadata URL.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote

from fordring.domain.errors import InvalidInput
from fordring.domain.identifiers import LEGACY_ORGNR_SCHEME, parse_orgnr

NORWEGIAN_ORGNR_SCHEME = "0192"
PARTICIPANT_SCHEME = "iso6523-actorid-upis"
INVOICE_DOCUMENT_TYPE = (
    "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice"
    "##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
)
CREDIT_NOTE_DOCUMENT_TYPE = (
    "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote"
    "##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
)
BILLING_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
PROCESS_SCHEME = "cenbii-procid-ubl"
AS4_TRANSPORT_PROFILE = "peppol-transport-as4-v2_0"
PRODUCTION_ZONE = "participant.sml.prod.tech.peppol.org"
TEST_ZONE = "participant.sml.test.tech.peppol.org"


class Source(StrEnum):
    """Where an answer came from."""

    SML = "sml"  # asked the SML and the SMP just now
    OFFLINE_LIST = "offline list"  # the installation's participant list file
    CACHE = "cache"  # an earlier answer, still fresh


@dataclass(frozen=True, slots=True)
class Receiver:
    """Whether `participant` takes Peppol BIS Billing 3.0 invoices, and why we think so."""

    participant: str  # "0192:923456783"
    can_receive: bool
    source: Source
    checked_at: datetime
    smp_url: str = ""  # the SMP the SML pointed to ("" when none)
    reason: str = ""  # why not, or what was found
    document_type: str = INVOICE_DOCUMENT_TYPE  # what was asked: invoices or credit notes


_FIELD = "participant"
_SCHEME = re.compile(r"[0-9]{4}")
# Peppol's policy for identifiers: a value of at most 50 characters; printable ASCII
# without spaces here, so a value is never a control character or a look-alike letter.
_VALUE = re.compile(r"[\x21-\x7e]{1,50}")
_DOCUMENT_TYPE_NAMES = {
    INVOICE_DOCUMENT_TYPE: "Peppol BIS Billing 3.0 invoices",
    CREDIT_NOTE_DOCUMENT_TYPE: "Peppol BIS Billing 3.0 credit notes",
}


@dataclass(frozen=True, slots=True)
class ParticipantId:
    """A Peppol participant: an ISO 6523 scheme (ICD, four digits) and the identifier under
    it, checked when read (`parse_participant_id`); written `0192:923456783`."""

    scheme: str
    value: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


def parse_participant_id(text: str, field: str = _FIELD) -> ParticipantId:
    """`0192:923456783` (or with the `iso6523-actorid-upis::` prefix), or a bare orgnr
    (Norwegian businesses are `0192:<orgnr>`); InvalidInput naming `field` otherwise.

    A Norwegian orgnr (0192, and the legacy 9908) must pass MOD11 (stdnum.no.orgnr).
    """
    compact = text.strip()
    prefix = f"{PARTICIPANT_SCHEME}::"
    if compact.lower().startswith(prefix):
        compact = compact[len(prefix) :]
    if ":" not in compact:
        return ParticipantId(NORWEGIAN_ORGNR_SCHEME, parse_orgnr(compact, field))
    scheme, _, value = compact.partition(":")
    if not _SCHEME.fullmatch(scheme) or not _VALUE.fullmatch(value):
        reason = f"{text!r} is not a Peppol participant like 0192:923456783"
        raise InvalidInput.one(field, reason, code="not_a_peppol_id")
    if scheme in (NORWEGIAN_ORGNR_SCHEME, LEGACY_ORGNR_SCHEME):
        value = parse_orgnr(value, field)
    return ParticipantId(scheme, value)


def parse_participant(text: str) -> tuple[str, str]:
    """`0192:923456783` → ("0192", "923456783"): a participant written with its scheme (as
    stored, or in a participant list), read by `parse_participant_id`."""
    if ":" not in text:
        reason = f"{text!r} is not a Peppol participant like 0192:923456783"
        raise InvalidInput.one(_FIELD, reason, code="not_a_peppol_id")
    participant = parse_participant_id(text)
    return participant.scheme, participant.value


def participant_for(orgnr: str | None, peppol_id: str | None) -> str | None:
    """A customer's participant id: its own Peppol id if set, else `0192:<orgnr>`, else None."""
    if peppol_id:
        return ":".join(parse_participant(peppol_id))
    if orgnr:
        return ":".join(parse_participant(f"{NORWEGIAN_ORGNR_SCHEME}:{orgnr}"))
    return None


def sml_hostname(participant: str, zone: str) -> str:
    """The SML DNS name of a participant (Peppol SML 1.3, NAPTR-based lookup).

    base32(sha256(lower("scheme:value"))) without `=` padding, lower-cased, then
    `.iso6523-actorid-upis.` and the zone. `9915:test` →
    `eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a.iso6523-actorid-upis.<zone>`.
    """
    scheme, value = parse_participant(participant)
    digest = hashlib.sha256(f"{scheme}:{value}".lower().encode("utf-8")).digest()
    label = base64.b32encode(digest).decode("ascii").rstrip("=").lower()
    return f"{label}.{PARTICIPANT_SCHEME}.{zone.strip('.')}"


def service_metadata_url(smp_base: str, participant: str, document_type: str) -> str:
    """Where the SMP publishes a participant's metadata for one document type.

    `{smp}/iso6523-actorid-upis%3A%3A0192%3A923456783/services/busdox-docid-qns%3A%3A…`:
    each path segment is the whole "scheme::value" percent-encoded (":" → %3A, "#" → %23),
    as the Peppol SMP specification and its reference clients do. `document_type` is the
    full id with its scheme, as `INVOICE_DOCUMENT_TYPE`.
    """
    scheme, value = parse_participant(participant)
    participant_segment = quote(f"{PARTICIPANT_SCHEME}::{scheme}:{value}", safe="")
    return f"{smp_base.rstrip('/')}/{participant_segment}/services/{quote(document_type, safe='')}"


def describe_document_type(document_type: str) -> str:
    """A reader's name for a document type: "Peppol BIS Billing 3.0 invoices", say."""
    return _DOCUMENT_TYPE_NAMES.get(document_type, document_type)
