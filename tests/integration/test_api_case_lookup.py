"""The API's case lookup in this process (both databases): a case number the API accepts
but no case has is "not found", however large (the column is BIGINT: a bind typed
INTEGER made PostgreSQL refuse 3000000000, a 500)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests import builders
from tests.api_server import SECRET, make_keys
from tests.conftest import Run

from fordring import bootstrap
from fordring.domain.api_access import Role
from fordring.entrypoints.api.app import create_app
from fordring.services.ports import UnitOfWorkFactory


@pytest.mark.parametrize("number", [3_000_000_000, 2**63 - 1])
def test_a_case_number_beyond_32_bits_is_not_found(
    database_url: str, run: Run, uow_factory: UnitOfWorkFactory, number: int
) -> None:
    builders.cli_case_of_one_invoice(run)
    key = make_keys(uow_factory, builders.ORGNR)[Role.API_USER]
    settings = bootstrap.Settings(database_url=database_url, api_key_secret=SECRET)
    client = TestClient(create_app(bootstrap.Application(settings)))
    auth = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/cases/1", headers=auth).status_code == 200
    missing = client.get(f"/api/v1/cases/{number}", headers=auth)  # the key cached now
    assert missing.status_code == 404, missing.text
