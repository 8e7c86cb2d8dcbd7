"""The debtor's "I have paid" and messages pages over HTTP in-process: a report with its
receipt (and the portal's case page showing it), refused input named by field with
nothing written, a form sent twice adding one report, the messages thread of the visit's
case only, and a signed-out visitor sent to the sign-in."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from tests import builders
from tests.crash import table_rows
from tests.debtor_pages import debtor_client, post, signed_in_client, two_companies_with_case_1

from fordring.domain.collection.history import EventKind
from fordring.services.case_changes import message_case
from fordring.services.debtor_messages import answer_debtor
from fordring.services.ports import UnitOfWorkFactory

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


@pytest.fixture
def world(uow_factory: UnitOfWorkFactory, database_url: str, run: Any) -> str:
    """Company A and company B, each with its case 1 (Kari Nordmann's invoice 1)."""
    two_companies_with_case_1(uow_factory, run)
    return database_url


@pytest.fixture
def client(world: str, uow_factory: UnitOfWorkFactory) -> Iterator[TestClient]:
    with signed_in_client(world, uow_factory) as made:
        yield made


def history(uow_factory: UnitOfWorkFactory, orgnr: str = builders.ORGNR) -> list[EventKind]:
    with uow_factory(builders.scope(uow_factory, orgnr)) as uow:
        return [e.kind for e in uow.collection.history(1)]


def test_a_report_shows_its_receipt_and_is_added_once_however_often_it_is_sent(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    form = client.get("/d/paid")
    assert form.status_code == 200 and 'name="amount"' in form.text
    for _ in range(2):
        sent = post(client, "/paid", {"paid_on": "2026-03-01", "amount": "2500,00"})
        assert (sent.status_code, sent.headers["location"]) == (303, "/d/paid?receipt=1")
    receipt = client.get("/d/paid?receipt=1")
    assert 'id="receipt"' in receipt.text and "2\xa0500,00" in receipt.text
    assert history(uow_factory).count(EventKind.PAYMENT_REPORTED) == 1
    assert EventKind.PAYMENT_REPORTED not in history(uow_factory, builders.OTHER_ORGNR)


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"paid_on": "2099-01-01", "amount": "10"}, ["paid_on"]),
        ({"paid_on": "1.3.2026", "amount": "ti"}, ["paid_on", "amount"]),
        ({"paid_on": "2026-03-01", "amount": "0"}, ["amount"]),
        ({"paid_on": "2026-01-01", "amount": "10"}, ["paid_on"]),  # before the invoice
    ],
)
def test_a_refused_report_names_each_field_and_writes_nothing(
    client: TestClient, world: str, data: dict[str, str], fields: list[str]
) -> None:
    before = table_rows(world)
    refused = post(client, "/paid", data)
    assert refused.status_code == 422
    for field in fields:
        assert f'data-field="{field}"' in refused.text
    assert table_rows(world) == before


def test_the_messages_page_shows_the_answers_never_the_internal_notes(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    sent = post(client, "/messages", {"message": "Hei,\r\njeg har betalt."})
    assert (sent.status_code, sent.headers["location"]) == (303, "/d/messages#sent")
    assert post(client, "/messages", {"message": "Hei,\njeg har betalt."}).status_code == 303
    creditor = builders.scope(uow_factory)
    message_case(1, "internt: ring henne", creditor, uow_factory)
    answer_debtor(1, "Takk, vi ser på det.", creditor, uow_factory)
    page = client.get("/d/messages")
    assert "Hei,\njeg har betalt." in page.text and "Takk, vi ser på det." in page.text
    assert "internt" not in page.text
    assert history(uow_factory).count(EventKind.MESSAGE_FROM_DEBTOR) == 1
    with uow_factory(creditor) as uow:
        assert uow.debtor_contact.waiting_message_count() == 0  # answered


def test_an_empty_or_html_message_is_refused_or_shown_as_text(
    client: TestClient, world: str
) -> None:
    before = table_rows(world)
    refused = post(client, "/messages", {"message": "   "})
    assert refused.status_code == 422 and 'data-field="message"' in refused.text
    assert table_rows(world) == before
    post(client, "/messages", {"message": "<script>alert(1)</script>"})
    page = client.get("/d/messages")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_signed_out_the_pages_lead_to_the_sign_in_and_nothing_is_written(
    world: str,
) -> None:
    with debtor_client(world) as anonymous:
        before = table_rows(world)
        for path in ("/d/paid", "/d/messages"):
            assert anonymous.get(path, follow_redirects=False).status_code == 303
        token_page = anonymous.get("/d/sign-in")
        token = token_page.text.split('name="csrf_token" value="')[1].split('"')[0]
        sent = anonymous.post(
            "/d/paid",
            data={"paid_on": "2026-03-01", "amount": "1", "csrf_token": token},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text  # to the sign-in, nothing stored
        assert sent.headers["location"].endswith("/d/sign-in")
        assert table_rows(world) == before
