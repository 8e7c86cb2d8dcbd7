"""The API's case lookup in this process (both databases): a case number the API accepts
but no case has is "not found", however large (the column is BIGINT: a bind typed
INTEGER made PostgreSQL refuse 3000000000, a 500)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests import builders
from tests.api_server import SECRET, make_keys
from tests.conftest import Run

from fordring import bootstrap
from fordring.domain.api_access import Role
from fordring.entrypoints.api import lean_route
from fordring.entrypoints.api.app import create_app
from fordring.entrypoints.api.lean_route import NumberRoute, plain_number
from fordring.services.ports import UnitOfWorkFactory

T = TypeVar("T")


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


def _answers(
    app: FastAPI, keys: list[str | None], paths: list[str]
) -> list[tuple[int, bytes, str]]:
    client = TestClient(app)
    found = []
    for key in keys:
        auth = {} if key is None else {"Authorization": f"Bearer {key}"}
        for path in paths:
            answer = client.get(f"/api/v1/cases/{path}", headers=auth)
            found.append((answer.status_code, answer.content, answer.headers["content-type"]))
    return found


def test_the_lookup_answers_every_path_as_fastapis_own_route_does(
    database_url: str, run: Run, uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookup's lean route (lean_route.py) parses a plainly written number itself and
    leaves every other path to FastAPI: the same status, bytes and type either way, with
    a valid key, none and a wrong one; and the plainly written ones did take the lean
    path (its hand-off counted)."""
    builders.cli_case_of_one_invoice(run)
    run("invoice", "create", "--customer", "10000", "--line", "Ting;1;99.5;0", date="2026-02-16")
    run("collection", "send", "2", date="2026-03-06")
    key = make_keys(uow_factory, builders.ORGNR)[Role.API_USER]
    keys = [key, None, key[:-4] + "xxxx"]
    settings = bootstrap.Settings(database_url=database_url, api_key_secret=SECRET)
    plain = ["1", "2", "3", str(2**63 - 1)]
    paths = [*plain, "01", "0", "-1", "+1", "1.0", "1e3", "1_0", "%201", "x"]
    paths += [str(2**63), "9" * 30, "١"]  # the last an Arabic-Indic one
    handed: list[object] = []
    real = lean_route.run_here_or_in_thread

    async def counted(call: Callable[[], T]) -> T:
        handed.append(call)
        return await real(call)

    monkeypatch.setattr(lean_route, "run_here_or_in_thread", counted)
    lean = _answers(create_app(bootstrap.Application(settings)), keys, paths)
    assert len(handed) == len(plain) * len(keys)
    monkeypatch.setattr(NumberRoute, "get_route_handler", APIRoute.get_route_handler)
    standard = _answers(create_app(bootstrap.Application(settings)), keys, paths)
    assert len(handed) == len(plain) * len(keys)  # FastAPI's own route: none handed over
    assert lean == standard
    n = len(paths)
    assert [status for status, _, _ in lean[:3]] == [200, 200, 404]
    assert {status for status, _, _ in lean[4:n]} == {200, 404, 422}  # FastAPI reads "01"
    assert {status for status, _, _ in lean[n:]} <= {401, 422}  # no key, a wrong key
    assert [status for status, _, _ in lean[n : n + len(plain)]] == [401] * len(plain)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        *[("1", 1), ("42", 42), (str(2**63 - 1), 2**63 - 1), (str(2**63), None)],
        *[("01", None), ("0", None), ("", None), ("+1", None), ("-1", None), (" 1", None)],
        *[("1\n", None), ("١", None), ("1_0", None)],
    ],
)
def test_only_a_plainly_written_number_skips_fastapis_parsing(
    text: str, number: int | None
) -> None:
    assert plain_number(text) == number
