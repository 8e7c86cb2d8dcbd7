"""`fordring apikey` and `fordring serve`: keys shown once and kept as prefix + HMAC; a
collector's key acts for the creditor each request names, one it serves."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.api_server import SECRET, api_server
from tests.builders import ORGNR, OTHER_ORGNR, cli_company, cli_other_company
from tests.conftest import Run
from tests.crash import table_rows
from tests.scenarios.bankfiles import CLIENT_ACCOUNT

pytestmark = pytest.mark.e2e
COLLECTOR = "974760673"


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORDRING_API_KEY_SECRET", SECRET)


def ok(run: Run, *args: str) -> Any:
    done = run(*args)
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def test_a_key_is_shown_once_kept_as_an_hmac_listed_and_revoked(
    run: Run, database_url: str
) -> None:
    cli_company(run)
    made = ok(run, "apikey", "create", "--name", "Tripletex", "--role", "API user")
    assert made["role"] == "api_user" and made["token"].startswith(f"fk_{made['prefix']}_")
    secret = made["token"].split("_", 2)[2]
    stored = table_rows(database_url)["api_key"]
    assert [r["prefix"] for r in stored] == [made["prefix"]]
    assert secret not in json.dumps(stored, default=str)
    listed = ok(run, "apikey", "list")
    assert [(k["prefix"], k["revoked_on"]) for k in listed] == [(made["prefix"], None)]
    assert "token" not in listed[0]
    ok(run, "apikey", "revoke", made["prefix"])
    assert ok(run, "apikey", "list")[0]["revoked_on"] == "2026-03-02"
    again = run("apikey", "revoke", made["prefix"])
    assert again.exit_code == 2 and "not_found" in again.output


def test_keys_refuse_a_bad_role_or_name_and_a_missing_secret(
    run: Run, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_company(run)
    before = table_rows(database_url)
    for args, field in (
        (("--name", "X", "--role", "boss"), "role"),
        (("--name", " ", "--role", "read_only"), "name"),
        (("--name", "a\tb", "--role", "read_only"), "name"),
    ):
        done = run("apikey", "create", *args)
        assert done.exit_code == 2 and f'"field": "{field}"' in done.output, done.output
    monkeypatch.setenv("FORDRING_API_KEY_SECRET", "short")
    done = run("apikey", "create", "--name", "X", "--role", "read_only")
    assert done.exit_code == 2 and "FORDRING_API_KEY_SECRET" in done.output
    assert table_rows(database_url) == before


def test_a_collectors_key_acts_for_a_creditor_it_serves_named_per_request(
    run: Run, database_url: str
) -> None:
    cli_company(run)
    cli_other_company(run)
    ok(
        run,
        "collector",
        "add",
        "--orgnr",
        COLLECTOR,
        "--name",
        "Inkasso AS",
        "--account",
        CLIENT_ACCOUNT,
    )
    ok(run, "collector", "serve", ORGNR)
    made = ok(
        run,
        "apikey",
        "create",
        "--collector",
        COLLECTOR,
        "--name",
        "Inkasso",
        "--role",
        "read_only",
    )
    assert [k["prefix"] for k in ok(run, "apikey", "list", "--collector", COLLECTOR)] == [
        made["prefix"]
    ]
    token = made["token"]
    with api_server(database_url) as api:
        served = api.call("GET", "/company", token, headers={"Fordring-Creditor": ORGNR})
        assert served.status_code == 200 and served.json()["orgnr"] == ORGNR
        for creditor in (OTHER_ORGNR, "", "123"):
            other = api.call("GET", "/company", token, headers={"Fordring-Creditor": creditor})
            assert other.status_code == 401, creditor
        assert api.call("GET", "/company", token).status_code == 401
        ok(run, "apikey", "revoke", "--collector", COLLECTOR, made["prefix"])
        gone = api.call("GET", "/company", token, headers={"Fordring-Creditor": ORGNR})
        assert gone.status_code == 401


def test_serve_with_two_worker_processes_answers_with_the_same_database_and_secret(
    run: Run, database_url: str
) -> None:
    """`serve --workers 2`: uvicorn's processes build their application from the settings
    `serve` hands them (the database, the keys' secret), so each answers as one would."""
    cli_company(run)
    token = ok(run, "apikey", "create", "--name", "Visma", "--role", "read_only")["token"]
    with api_server(database_url, workers=2) as api:
        answers = [api.call("GET", "/company", token) for _ in range(20)]
        assert {a.status_code for a in answers} == {200}
        assert {a.json()["orgnr"] for a in answers} == {ORGNR}
        assert api.call("GET", "/company", token[:-1] + "x").status_code == 401
