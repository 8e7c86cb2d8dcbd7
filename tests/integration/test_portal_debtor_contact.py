"""The creditor's side of the debtor's page (issue 19) in the portal, over HTTP
in-process: the case page shows the payments the debtor reported and the messages with
the debtor; a finance user answers (once, however often the form is sent), a read-only
user sees everything and is refused the answer (403, nothing written); Oversikt counts
lapsed reports and cases whose debtor waits for an answer."""

from __future__ import annotations

import warnings
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from tests import builders
from tests.integration.test_portal_cases import (  # noqa: F401 (fixtures)
    finance,
    post,
    reader,
    watched,
    world,
)

from fordring.domain.collection.history import EventKind
from fordring.services.debtor_messages import thread, write_to_handler
from fordring.services.payment_reports import report_payment
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope, debtor

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

ON = date(2026, 5, 4)


@pytest.fixture
def contact(world: str, uow_factory: UnitOfWorkFactory) -> str:  # noqa: F811
    """Case 2's debtor reported 500.00 paid on 05-02 and wrote to the case handler."""
    company = builders.scope(uow_factory).company_id
    scope = Scope(company, debtor(2), ON)
    report_payment(2, date(2026, 5, 2), Decimal(500), "nettbank", scope, uow_factory)
    write_to_handler(2, "Jeg har betalt.\nSe kvittering.", scope, uow_factory)
    return world


def test_the_case_page_shows_the_report_and_the_debtors_message(
    contact: str,
    reader: TestClient,  # noqa: F811
) -> None:
    page = reader.get("/portal/cases/2")
    assert page.status_code == 200
    assert 'id="reports"' in page.text and "500,00" in page.text and "nettbank" in page.text
    assert "Jeg har betalt.\nSe kvittering." in page.text
    assert 'id="waiting"' in page.text
    assert 'action="/portal/cases/2/answer"' not in page.text  # read-only: no form


def test_a_read_only_user_may_not_answer_and_nothing_is_written(
    contact: str,
    reader: TestClient,  # noqa: F811
) -> None:
    before = watched(contact)
    refused = post(reader, "/cases/2/answer", {"message": "Takk"})
    assert refused.status_code == 403
    assert watched(contact) == before


def test_an_answer_sent_twice_is_added_once_and_the_debtor_no_longer_waits(
    contact: str,
    finance: TestClient,  # noqa: F811
    uow_factory: UnitOfWorkFactory,
) -> None:
    overview = finance.get("/portal/")
    assert 'id="waiting-messages"' in overview.text
    assert "ubesvart melding fra skyldner</a>: <strong>1</strong>" in overview.text
    for _ in range(2):
        done = post(finance, "/cases/2/answer", {"message": "Takk, vi ser etter den."})
        assert done.status_code == 303, done.text
    scope = Scope(builders.scope(uow_factory).company_id, debtor(2), ON)
    kinds = [e.kind for e in thread(2, scope, uow_factory)]
    assert kinds == [EventKind.MESSAGE_FROM_DEBTOR, EventKind.MESSAGE_TO_DEBTOR]
    page = finance.get("/portal/cases/2")
    assert 'id="waiting"' not in page.text and "Takk, vi ser etter den." in page.text
    assert "ubesvart melding fra skyldner</a>: <strong>0</strong>" in finance.get("/portal/").text


def test_an_empty_answer_is_refused_naming_the_field_and_writes_nothing(
    contact: str,
    finance: TestClient,  # noqa: F811
) -> None:
    before = watched(contact)
    refused = post(finance, "/cases/2/answer", {"message": "  "})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert watched(contact) == before


def test_another_companys_case_is_not_found(
    contact: str,
    finance: TestClient,  # noqa: F811
) -> None:
    assert post(finance, "/cases/4/answer", {"message": "x"}).status_code == 404


def test_oversikts_counts_lead_to_the_cases_they_count(
    contact: str,
    reader: TestClient,  # noqa: F811
) -> None:
    overview = reader.get("/portal/").text
    assert 'href="/portal/cases?needs=answer"' in overview
    assert 'href="/portal/cases?needs=lapsed_report"' in overview
    waiting = reader.get("/portal/cases?needs=answer")
    assert waiting.status_code == 200
    assert 'href="/portal/cases/2"' in waiting.text
    assert 'href="/portal/cases/1"' not in waiting.text
    assert 'name="needs" value="answer"' in waiting.text  # kept by the filter form
    lapsed = reader.get("/portal/cases?needs=lapsed_report")
    assert 'href="/portal/cases/2"' not in lapsed.text  # its hold has not run out
    assert reader.get("/portal/cases?needs=nonsense").status_code == 422


def test_a_report_of_a_closed_case_says_the_case_closed(
    contact: str,
    reader: TestClient,  # noqa: F811
    run: Any,
) -> None:
    closed = run("--company", builders.ORGNR, "collection", "close", "2", date="2026-05-05")
    assert closed.exit_code == 0, closed.output
    page = reader.get("/portal/cases/2")
    assert "Saken ble avsluttet før en betaling ble sett" in page.text
