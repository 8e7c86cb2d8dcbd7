"""The debtor's objection over the API, in this process (both databases): the case shows
its objections; the attached file is handed out as a download to a key of the case's
company only (401 without a key, 404 for another company's case or objection); upholding
needs the right to manage collection (403 for an accounting system's key, nothing
written) and closes the case."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests import builders
from tests.api_server import SECRET, make_keys
from tests.attachments import JPEG
from tests.conftest import Run
from tests.crash import table_rows

from fordring import bootstrap
from fordring.adapters.attachment_folder import FolderAttachments
from fordring.domain.api_access import Role
from fordring.domain.collection.objection import attachment, objection
from fordring.entrypoints.api.app import create_app
from fordring.services.objections import object_to_case, objections_and_state
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope, debtor

pytestmark = pytest.mark.integration
DAY = date(2026, 3, 20)


@pytest.fixture
def api(
    database_url: str, run: Run, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> dict[str, Any]:
    """Case 1 of A and of B, each objected by its debtor with a photo; keys of both."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    store = FolderAttachments(tmp_path / "attachments")
    ids = {}
    for orgnr in (builders.ORGNR, builders.OTHER_ORGNR):
        builders.cli_case_1(run, orgnr)
        scope = Scope(builders.scope(uow_factory, orgnr).company_id, debtor(1), DAY)
        photo = attachment("skadet vare.jpg", JPEG, 10**6)
        object_to_case(1, objection("defective", "Skjermen var knust."), photo, scope,
                       uow_factory, store)  # fmt: skip
        ids[orgnr] = objections_and_state(1, scope, uow_factory)[0][0].id
    settings = bootstrap.Settings(
        database_url=database_url, api_key_secret=SECRET, attachments=str(store.root)
    )
    return {
        "client": TestClient(create_app(bootstrap.Application(settings))),
        "a": make_keys(uow_factory, builders.ORGNR),
        "ids": ids,
        "url": database_url,
    }


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_the_case_shows_its_objection_and_the_file_downloads(api: dict[str, Any]) -> None:
    client, key = api["client"], api["a"][Role.READ_ONLY]
    case = client.get("/api/v1/cases/1", headers=_auth(key))
    assert case.status_code == 200 and case.json()["case"]["state"] == "objected"
    (shown,) = case.json()["objections"]
    assert shown["reason"] == "defective" and shown["text"] == "Skjermen var knust."
    assert shown["attachment"]["name"] == "skadet vare.jpg"
    assert shown["attachment"]["media_type"] == "image/jpeg"
    path = f"/api/v1/cases/1/objections/{shown['id']}/attachment"
    got = client.get(path, headers=_auth(key))
    assert got.status_code == 200 and got.content == JPEG
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"


def test_without_a_key_401_and_another_companys_file_404(api: dict[str, Any]) -> None:
    client, key = api["client"], api["a"][Role.ADMINISTRATOR]
    own = f"/api/v1/cases/1/objections/{api['ids'][builders.ORGNR]}/attachment"
    assert client.get(own).status_code == 401
    b = f"/api/v1/cases/1/objections/{api['ids'][builders.OTHER_ORGNR]}/attachment"
    assert client.get(b, headers=_auth(key)).status_code == 404
    assert (
        client.get("/api/v1/cases/2/objections/1/attachment", headers=_auth(key)).status_code == 404
    )


def test_upholding_needs_the_right_and_closes_the_case(api: dict[str, Any]) -> None:
    client, keys = api["client"], api["a"]
    path = "/api/v1/cases/1/objection/uphold"
    before = table_rows(api["url"])
    refused = client.post(path, json={"reason": "x"}, headers=_auth(keys[Role.API_USER]))
    assert refused.status_code == 403
    assert table_rows(api["url"])["case_event"] == before["case_event"]
    done = client.post(path, json={"reason": "riktig"}, headers=_auth(keys[Role.FINANCE_USER]))
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "closed"
    again = client.post(path, json={}, headers=_auth(keys[Role.FINANCE_USER]))
    assert again.status_code == 422 and "objected" in again.text
    unknown = client.post("/api/v1/cases/99/objection/uphold", json={},
                          headers=_auth(keys[Role.FINANCE_USER]))  # fmt: skip
    assert unknown.status_code == 404
