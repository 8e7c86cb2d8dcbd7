"""The debtor's pages over HTTP in-process on the test's database: sign-in with a case's
code and PIN (and every refusal alike), the session, sign-out, the language, and the
claim page of the visit's case only."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from tests import builders
from tests.debtor_pages import access_for, debtor_client, post, post_sign_in, sign_in_debtor

from fordring.services.ports import UnitOfWorkFactory

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


@pytest.fixture
def world(uow_factory: UnitOfWorkFactory, database_url: str, run: Any) -> str:
    """Company A and company B, each with its case 1 (Kari Nordmann's invoice 1)."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    builders.cli_case_1(run)
    builders.cli_case_1(run, builders.OTHER_ORGNR)
    return database_url


@pytest.fixture
def client(world: str) -> Iterator[TestClient]:
    with debtor_client(world) as made:
        yield made


def test_signed_out_the_case_page_leads_to_the_sign_in_with_the_letters_code(
    client: TestClient,
) -> None:
    page = client.get("/d/", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/d/sign-in")
    linked = client.get("/d/?c=abcd-efgh-jkmn", follow_redirects=False)
    assert linked.headers["location"] == "/d/sign-in?c=abcd-efgh-jkmn"
    form = client.get(linked.headers["location"])
    assert form.status_code == 200 and 'value="ABCD-EFGH-JKMN"' in form.text


def test_the_debtor_signs_in_with_the_code_and_pin_and_sees_the_case(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    sign_in_debtor(client, uow_factory, 1)
    page = client.get("/d/")
    assert page.status_code == 200, page.text
    assert "Sak 1" in page.text
    out = post(client, "/sign-out", {})
    assert (out.status_code, out.headers["location"]) == (303, "/d/sign-in")
    assert client.get("/d/", follow_redirects=False).status_code == 303


def test_a_wrong_pin_and_an_unknown_code_get_the_same_answer(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    access = access_for(uow_factory, 1)
    wrong = "000000" if access.pin != "000000" else "111111"
    refused = post_sign_in(client, access.code, wrong)
    unknown = post_sign_in(client, "ZZZZ-ZZZZ-ZZZZ", access.pin)
    assert refused.status_code == unknown.status_code == 401
    assert "Feil kode eller PIN" in refused.text
