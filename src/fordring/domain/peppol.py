"""Peppol participants and what a lookup says of them (SPEC D2, DOMAIN § 11).

A Norwegian business is Peppol participant `0192:<orgnr>`. Whether it can receive an EHF
invoice is asked of the Peppol SML (a DNS name made from the participant id) and the SMP
that name points to; `Receiver` is the answer, wherever it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

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
