"""The debtor's payment plan page (`/d/plan`, issue 19) over HTTP in-process: a plan inside
the limits is agreed at once and listed; one outside them waits for the creditor; bad input
writes nothing; the plan is always the visit's case's."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from tests.crash import table_rows
from tests.debtor_pages import post, signed_in_client, two_companies_with_case_1

from fordring import bootstrap
from fordring.services.ports import UnitOfWorkFactory

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


@pytest.fixture
def world(uow_factory: UnitOfWorkFactory, database_url: str, run: Any) -> str:
    """Company A and company B, each with its case 1 (Kari Nordmann's invoice 1, 2500.00)."""
    two_companies_with_case_1(uow_factory, run)
    return database_url


@pytest.fixture
def debtor(world: str, uow_factory: UnitOfWorkFactory) -> Iterator[TestClient]:
    with signed_in_client(world, uow_factory) as made:
        yield made


def _first() -> str:
    return (bootstrap.today() + timedelta(days=7)).isoformat()


def _plans(database_url: str) -> list[Any]:
    return table_rows(database_url)["payment_plan"]


def _send(client: TestClient, form: dict[str, str]) -> Any:
    """The form, its preview (nothing written yet), then the preview confirmed."""
    preview = post(client, "/plan", form)
    assert preview.status_code == 200 and "Se over avtalen" in preview.text
    found = re.search(r'name="confirm" value="([^"]*)"', preview.text)
    assert found is not None
    return post(client, "/plan", {**form, "confirm": found.group(1)})


def test_the_preview_shows_the_instalments_and_writes_nothing(
    debtor: TestClient, world: str
) -> None:
    preview = post(debtor, "/plan", {"kind": "instalments", "first_date": _first(), "count": "3"})
    assert preview.status_code == 200 and "Bekreft og send" in preview.text
    # before confirming, the debtor is told the plan acknowledges the debt, and where to object
    assert "foreldelsesfristen for kravet å løpe på nytt" in preview.text
    assert 'href="/d/objection"' in preview.text
    assert preview.text.count("834,00") == 2 and "832,00" in preview.text
    assert _plans(world) == []


def test_a_plan_inside_the_limits_is_agreed_at_once_with_its_instalments(
    debtor: TestClient, world: str
) -> None:
    form = debtor.get("/d/plan")
    assert form.status_code == 200 and 'name="first_date"' in form.text
    sent = _send(debtor, {"kind": "instalments", "first_date": _first(), "count": "3"})
    assert (sent.status_code, sent.headers["location"]) == (303, "/d/plan")
    page = debtor.get("/d/plan")
    assert "Nedbetalingsavtalen er avtalt" in page.text
    assert page.text.count("834,00") == 2 and "832,00" in page.text
    form = {"kind": "instalments", "first_date": _first(), "count": "3", "confirm": "0"}
    again = post(debtor, "/plan", form)  # the confirmed form sent again
    assert again.status_code == 303 and len(_plans(world)) == 1  # the same again: nothing
    (plan,) = _plans(world)
    assert (plan["company_id"], plan["state"]) == (1, "running")  # company A's case 1


def test_a_plan_outside_the_limits_waits_for_the_creditor(debtor: TestClient, world: str) -> None:
    sent = _send(debtor, {"kind": "instalments", "first_date": _first(), "count": "12"})
    assert sent.status_code == 303
    assert "venter på svar fra kreditor" in debtor.get("/d/plan").text
    assert [p["state"] for p in _plans(world)] == ["proposed"]


def test_bad_input_shows_the_form_again_and_writes_nothing(debtor: TestClient, world: str) -> None:
    past = (bootstrap.today() - timedelta(days=1)).isoformat()
    refused = post(debtor, "/plan", {"kind": "instalments", "first_date": past, "count": "3"})
    assert refused.status_code == 422 and "Datoen har passert" in refused.text
    nonsense = post(debtor, "/plan", {"kind": "instalments", "first_date": "x", "count": "y"})
    assert nonsense.status_code == 422
    assert _plans(world) == []


def test_the_claim_page_leads_to_the_plan_page(debtor: TestClient) -> None:
    assert 'href="/d/plan"' in debtor.get("/d/").text


def test_a_missed_instalments_reminder_and_its_deadline_show_on_the_plan_page(
    debtor: TestClient, world: str
) -> None:
    _send(debtor, {"kind": "instalments", "first_date": _first(), "count": "3"})
    assert "ikke betalt" not in debtor.get("/d/plan").text
    engine = create_engine(world)
    with engine.begin() as connection:  # as the run's plan check leaves a reminded plan
        connection.execute(
            text("UPDATE payment_plan SET reminded_for = 1, reminder_deadline = '2030-01-15'")
        )
    engine.dispose()
    page = debtor.get("/d/plan").text
    assert "Avdrag 1 er ikke betalt" in page and "15.01.2030" in page


def test_the_claim_page_asks_the_first_instalment_by_its_day_not_the_whole_claim(
    debtor: TestClient, world: str
) -> None:
    """The confirmation (the latest letter) asks 834,00 by the first instalment's day: the
    page's payment box says the same, not the 2 500,00 of the whole claim by that day."""
    _send(debtor, {"kind": "instalments", "first_date": _first(), "count": "3"})
    page = debtor.get("/d/").text
    pay = page[page.index('id="pay"') :]
    assert re.search(r'data-pay="amount">834,00<', pay)
    first = min(i["due_on"] for i in table_rows(world)["payment_plan_instalment"])
    assert f'data-pay="deadline">{first:%d.%m.%Y}<' in pay  # moved off a weekend, if one
    assert 'data-amount="on-deadline"' not in page  # the whole claim is not due then
