"""Participant ids, the SML DNS name and the SMP metadata URL (DOMAIN.md § 11)."""

from __future__ import annotations

import pytest

from fordring.domain.errors import InvalidInput
from fordring.domain.peppol import (
    CREDIT_NOTE_DOCUMENT_TYPE,
    INVOICE_DOCUMENT_TYPE,
    PRODUCTION_ZONE,
    ParticipantId,
    describe_document_type,
    parse_participant,
    parse_participant_id,
    participant_for,
    service_metadata_url,
    sml_hostname,
)


def test_sml_hostname_matches_the_peppol_test_vector() -> None:
    assert sml_hostname("9915:test", PRODUCTION_ZONE) == (
        "eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a"
        ".iso6523-actorid-upis.participant.sml.prod.tech.peppol.org"
    )


def test_sml_hostname_hashes_the_lower_cased_id() -> None:
    assert sml_hostname("9915:TEST", "zone.example.") == sml_hostname("9915:test", "zone.example")


def test_service_metadata_url_percent_encodes_both_identifiers() -> None:
    url = service_metadata_url("https://smp.example/", "0192:923456783", INVOICE_DOCUMENT_TYPE)
    assert url == (
        "https://smp.example/iso6523-actorid-upis%3A%3A0192%3A923456783/services/"
        "busdox-docid-qns%3A%3Aurn%3Aoasis%3Anames%3Aspecification%3Aubl%3Aschema%3Axsd"
        "%3AInvoice-2%3A%3AInvoice%23%23urn%3Acen.eu%3Aen16931%3A2017%23compliant"
        "%23urn%3Afdc%3Apeppol.eu%3A2017%3Apoacc%3Abilling%3A3.0%3A%3A2.1"
    )
    assert "#" not in url


def test_service_metadata_url_keeps_a_base_path() -> None:
    url = service_metadata_url("http://127.0.0.1:8080/smp", "9915:test", CREDIT_NOTE_DOCUMENT_TYPE)
    assert url.startswith("http://127.0.0.1:8080/smp/iso6523-actorid-upis%3A%3A9915%3Atest/")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0192:923456783", ("0192", "923456783")),
        (" 0192:923456783 ", ("0192", "923456783")),
        ("iso6523-actorid-upis::0192:923456783", ("0192", "923456783")),
        ("9908:923456783", ("9908", "923456783")),
        ("9915:test", ("9915", "test")),
        ("0088:7315458756324", ("0088", "7315458756324")),
    ],
)
def test_participants_parse_into_scheme_and_value(text: str, expected: tuple[str, str]) -> None:
    assert parse_participant(text) == expected


@pytest.mark.parametrize(
    "bad",
    ["923456783", "0192:", ":923456783", "192:923456783", "abcd:1", "0192:923456784", "9915:a b"],
)
def test_a_bad_participant_names_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_participant(bad)
    assert [p.field for p in caught.value.problems] == ["participant"]


def test_a_norwegian_participant_needs_a_valid_orgnr() -> None:
    with pytest.raises(InvalidInput, match="organisation number"):
        parse_participant("0192:123456789")


def test_a_participant_id_is_read_from_a_bare_orgnr_or_scheme_and_value() -> None:
    assert parse_participant_id("988077917") == ParticipantId("0192", "988077917")
    assert str(parse_participant_id(" 0192:988077917 ", "peppol")) == "0192:988077917"
    assert str(parse_participant_id("iso6523-actorid-upis::9915:test")) == "9915:test"


@pytest.mark.parametrize(
    "bad",
    [
        "0192:988077918",  # the orgnr's check digit
        "x:1",
        "9915:" + "a" * 51,  # Peppol: at most 50 characters
        "9915:te\x00st",
        "9915:tést",
        "\u0661\u0662\u0663\u0664:test",  # Arabic-Indic digits are no scheme
    ],
)
def test_a_bad_participant_id_names_the_field_it_came_in(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_participant_id(bad, "peppol")
    assert [p.field for p in caught.value.problems] == ["peppol"]


def test_a_customer_is_its_peppol_id_else_its_orgnr_else_nobody() -> None:
    assert participant_for("923456783", "9908:988077917") == "9908:988077917"
    assert participant_for("923456783", None) == "0192:923456783"
    assert participant_for("923456783", "") == "0192:923456783"
    assert participant_for(None, None) is None


def test_document_types_have_readable_names() -> None:
    assert describe_document_type(INVOICE_DOCUMENT_TYPE) == "Peppol BIS Billing 3.0 invoices"
    assert describe_document_type("busdox-docid-qns::x") == "busdox-docid-qns::x"
