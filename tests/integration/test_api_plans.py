"""Payment plans over the API in this process (both databases, issue 19): proposed for the
debtor (accepted at once or waiting), decided, shown on the case; problem+json for bad
input and for a key without the right; a POST repeated with its Idempotency-Key replayed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests import builders
from tests.api_server import SECRET, make_keys
from tests.conftest import Run

from fordring import bootstrap
from fordring.domain.api_access import Role
from fordring.entrypoints.api.app import create_app
from fordring.services.ports import UnitOfWorkFactory

CASE = "/api/v1/cases/1"


@pytest.fixture
def api(database_url: str, run: Run, uow_factory: UnitOfWorkFactory) -> tuple[TestClient, Any]:
    builders.cli_case_of_one_invoice(run)
    keys = make_keys(uow_factory, builders.ORGNR)
    settings = bootstrap.Settings(database_url=database_url, api_key_secret=SECRET)
    return TestClient(create_app(bootstrap.Application(settings))), keys


def _auth(keys: Any, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def test_a_plan_proposed_waits_is_accepted_and_shows_on_the_case(
    api: tuple[TestClient, Any],
) -> None:
    client, keys = api
    admin = _auth(keys, Role.ADMINISTRATOR)
    body = {"kind": "instalments", "first_date": "2099-01-05", "count": "3"}
    headers = admin | {"Idempotency-Key": "plan-1"}
    made = client.post(CASE + "/plans/proposals", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["outcome"] == "waiting"  # the first date is more than a month away
    assert "FIRST_DATE_LATE" in made.json()["plan"]["waits_because"]
    again = client.post(CASE + "/plans/proposals", json=body, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == made.json()
    decided = client.post(CASE + "/plans/decision", json={"decision": "accept"}, headers=admin)
    assert decided.status_code == 200, decided.text
    assert decided.json()["plan"]["state"] == "running"
    again = client.post(CASE + "/plans/decision", json={"decision": "accept"}, headers=admin)
    assert again.status_code == 200 and again.json()["repeated"] is True
    case = client.get(CASE, headers=admin).json()
    assert case["case"]["state"] == "plan" and case["plans"][0]["state"] == "running"
    # the confirmation is a letter, once, however often the request came (issue 19)
    kinds = [x["kind"] for x in case["letters"]]
    assert kinds.count("plan_confirmation") == 1
    listed = client.get(CASE + "/plans", headers=admin).json()["items"]
    assert [p["state"] for p in listed] == ["running"]


def test_bad_input_and_a_key_without_the_right_get_problem_json(
    api: tuple[TestClient, Any],
) -> None:
    client, keys = api
    bad = {"kind": "instalments", "first_date": "soon", "count": "many"}
    refused = client.post(
        CASE + "/plans/proposals", json=bad, headers=_auth(keys, Role.ADMINISTRATOR)
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    fields = {p["field"] for p in refused.json()["errors"]}
    assert fields == {"first_date", "count"}
    good = {"kind": "deferral", "first_date": "2099-01-05"}
    forbidden = client.post(
        CASE + "/plans/proposals", json=good, headers=_auth(keys, Role.API_USER)
    )
    assert forbidden.status_code == 403
    assert client.get(CASE + "/plans", headers=_auth(keys, Role.API_USER)).json() == {"items": []}
