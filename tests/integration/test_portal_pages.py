"""The portal's frame over HTTP (entrypoints/web) on the test's database, in-process: the
sign-in, the session cookie's flags, CSRF refusals that write nothing, sign-out, the
language, and the API beside it unchanged."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount
from tests import builders
from tests.crash import table_rows

from fordring import bootstrap
from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.domain.errors import Conflict
from fordring.domain.users import MAX_FAILURES
from fordring.entrypoints.api.app import create_app, openapi_document
from fordring.entrypoints.web import pages
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.users import NewUser, add_user

with warnings.catch_warnings():  # Starlette would have httpx2 (its client, not ours)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

PASSWORD = "riktig-passord-42"
EMAIL = "kari@test.no"
SECRET = "test-api-key-secret-0123456789"


def _client(
    database_url: str, base: str = "http://127.0.0.1", *, raises: bool = True, **settings: object
) -> TestClient:
    settings.setdefault("debtor_pin_key", builders.PIN_KEY.decode())  # the tests' codes
    application = bootstrap.Application(
        bootstrap.Settings(database_url=database_url, api_key_secret=SECRET, **settings)  # type: ignore[arg-type]
    )
    application.__dict__["password_hasher"] = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    return TestClient(create_app(application), base_url=base, raise_server_exceptions=raises)


@pytest.fixture
def client(uow_factory: UnitOfWorkFactory, database_url: str) -> Iterator[TestClient]:
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    add_user(
        NewUser(EMAIL, "Kari Nordmann", "read_only", PASSWORD),
        builders.scope(uow_factory),
        uow_factory,
        fast,
    )
    with _client(database_url) as client:
        yield client


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def sign_in(
    client: TestClient, password: str = PASSWORD, orgnr: str = builders.ORGNR, email: str = EMAIL
) -> httpx.Response:
    form = client.get("/portal/sign-in")
    data = {"orgnr": orgnr, "email": email, "password": password, "csrf_token": csrf_of(form)}
    answer: httpx.Response = client.post("/portal/sign-in", data=data, follow_redirects=False)
    return answer


def test_signed_out_every_page_leads_to_the_sign_in_and_the_root_to_the_portal(
    client: TestClient,
) -> None:
    root = client.get("/", follow_redirects=False)
    assert (root.status_code, root.headers["location"]) == (307, "/portal/")
    overview = client.get("/portal/", follow_redirects=False)
    assert (overview.status_code, overview.headers["location"]) == (303, "/portal/sign-in")
    page = client.get("/portal/sign-in")
    assert page.status_code == 200
    assert '<html lang="nb">' in page.text and "Logg inn" in page.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text


def test_signing_in_shows_the_company_and_the_user_with_a_safe_session_cookie(
    client: TestClient, database_url: str
) -> None:
    done = sign_in(client)
    assert (done.status_code, done.headers["location"]) == (303, "/portal/")
    cookie = done.headers["set-cookie"]
    assert cookie.startswith("fordring_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/portal" in cookie
    assert "Secure" not in cookie  # served over http, no setting: a browser would drop it
    token = cookie.split(";")[0].split("=", 1)[1]
    assert [r["token_hash"] for r in table_rows(database_url)["user_session"]] != [token]
    page = client.get("/portal/")
    assert "Test AS" in page.text and builders.ORGNR in page.text
    assert "Kari Nordmann (kari@test.no), Lesetilgang" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("base", "settings"),
    [("https://portal.example", {}), ("http://127.0.0.1", {"secure_cookies": True})],
)
def test_cookies_are_secure_over_https_or_when_the_setting_says_so(
    client: TestClient, database_url: str, base: str, settings: dict[str, Any]
) -> None:
    with _client(database_url, base, **settings) as other:
        assert "Secure" in other.get("/portal/sign-in").headers["set-cookie"]
        assert "Secure" in sign_in(other).headers["set-cookie"]


REFUSED = (
    "Feil organisasjonsnummer, e-post eller passord, eller for mange forsøk: prøv igjen senere."
)


def test_a_wrong_password_is_refused_and_the_fifth_locks_the_user_out(
    client: TestClient, database_url: str
) -> None:
    wrong = sign_in(client, "galt-passord-123")
    assert wrong.status_code == 401
    assert REFUSED in wrong.text
    assert (
        "set-cookie" not in wrong.headers or "fordring_session" not in wrong.headers["set-cookie"]
    )
    for _ in range(MAX_FAILURES - 1):
        assert sign_in(client, "galt-passord-123").status_code == 401
    assert table_rows(database_url)["app_user"][0]["locked_until"] is not None
    assert sign_in(client).status_code == 401  # the right one too, for now
    assert table_rows(database_url)["user_session"] == []


def test_a_locked_out_user_gets_the_answer_an_unknown_one_gets(client: TestClient) -> None:
    """Only an existing, enabled user can be locked out: a different answer while locked
    would tell who exists."""
    for _ in range(MAX_FAILURES):
        sign_in(client, "galt-passord-123")
    locked = sign_in(client)
    for _ in range(MAX_FAILURES + 1):
        unknown = sign_in(client, email="ingen@test.no")
    assert (locked.status_code, unknown.status_code) == (401, 401)
    problem = re.compile(r'<p class="problem".*?</p>', re.S)
    assert problem.findall(locked.text) == problem.findall(unknown.text)
    assert REFUSED in locked.text


def test_another_companys_orgnr_does_not_sign_the_user_in(client: TestClient) -> None:
    assert sign_in(client, orgnr=builders.OTHER_ORGNR).status_code == 401


def test_a_post_without_its_csrf_token_is_refused_and_does_nothing(
    client: TestClient, database_url: str
) -> None:
    client.get("/portal/sign-in")  # the browser has its CSRF cookie
    data = {"orgnr": builders.ORGNR, "email": EMAIL, "password": PASSWORD}
    for sent in ({}, {"csrf_token": "forged"}):
        refused = client.post("/portal/sign-in", data={**data, **sent})
        assert refused.status_code == 403 and "sikkerhetsnøkkelen" in refused.text
    wrong = {**data, "password": "galt-passord-123"}
    assert client.post("/portal/sign-in", data=wrong).status_code == 403
    stored = table_rows(database_url)
    assert stored["user_session"] == []
    assert [u["failed_attempts"] for u in stored["app_user"]] == [0]
    assert sign_in(client).status_code == 303
    out = client.post("/portal/sign-out", data={}, follow_redirects=False)
    assert out.status_code == 403
    assert client.get("/portal/", follow_redirects=False).status_code == 200  # still in


def test_the_token_of_another_browser_does_not_pass(client: TestClient, database_url: str) -> None:
    sign_in(client)
    token = csrf_of(client.get("/portal/"))
    with _client(database_url) as other:
        sign_in(other)
        refused = other.post("/portal/sign-out", data={"csrf_token": token})
        assert refused.status_code == 403


def test_htmx_requests_may_send_the_token_in_a_header(client: TestClient) -> None:
    sign_in(client)
    token = csrf_of(client.get("/portal/"))
    out = client.post("/portal/sign-out", headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert out.status_code == 303


def test_signing_out_ends_the_session_and_its_cookie(client: TestClient, database_url: str) -> None:
    sign_in(client)
    cookie = client.cookies.get("fordring_session")
    out = client.post(
        "/portal/sign-out",
        data={"csrf_token": csrf_of(client.get("/portal/"))},
        follow_redirects=False,
    )
    assert (out.status_code, out.headers["location"]) == (303, "/portal/sign-in")
    assert 'fordring_session=""' in out.headers["set-cookie"]
    assert [r["ended_at"] is not None for r in table_rows(database_url)["user_session"]] == [True]
    client.cookies.set("fordring_session", str(cookie), path="/portal")  # kept by a thief
    assert client.get("/portal/", follow_redirects=False).status_code == 303


def test_the_language_switches_to_english_and_back_to_the_same_page(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/portal/")
    data = {"language": "en", "back": "/portal/", "csrf_token": csrf_of(page)}
    switched = client.post("/portal/language", data=data, follow_redirects=False)
    assert (switched.status_code, switched.headers["location"]) == (303, "/portal/")
    english = client.get("/portal/")
    assert '<html lang="en">' in english.text
    assert "Overview" in english.text and "Signed in as Kari Nordmann" in english.text
    assert "Read-only" in english.text and "Sign out" in english.text
    assert "Oversikt" not in english.text


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "/api/v1/x", ""])
def test_the_language_form_goes_back_only_to_a_page_of_the_portal(
    client: TestClient, back: str
) -> None:
    page = client.get("/portal/sign-in")
    data = {"language": "en", "back": back, "csrf_token": csrf_of(page)}
    switched = client.post("/portal/language", data=data, follow_redirects=False)
    assert switched.headers["location"] == "/portal/"


def test_an_unknown_page_is_a_page_saying_so(client: TestClient) -> None:
    missing = client.get("/portal/no-such-page")
    assert missing.status_code == 404 and "Siden finnes ikke." in missing.text


def test_static_files_htmx_and_its_licence_are_served(client: TestClient) -> None:
    htmx = client.get("/portal/static/htmx.min.js")
    assert htmx.status_code == 200 and "htmx" in htmx.text
    assert client.get("/portal/static/htmx-LICENSE.txt").status_code == 200
    assert client.get("/portal/static/portal.css").status_code == 200


def test_the_api_is_as_it_was_beside_the_portal(client: TestClient) -> None:
    assert not [p for p in openapi_document()["paths"] if not p.startswith("/api/v1/")]
    served = client.get("/api/v1/openapi.json").json()
    assert served["paths"] == openapi_document()["paths"]
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/")


def _user_of_role(uow_factory: UnitOfWorkFactory, role: str) -> str:
    email = f"{role}@test.no"
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    new = NewUser(email, f"{role} user", role, PASSWORD)
    add_user(new, builders.scope(uow_factory), uow_factory, fast)
    return email


def _as(client: TestClient, email: str) -> None:
    form = client.get("/portal/sign-in")
    data = {"orgnr": builders.ORGNR, "email": email, "password": PASSWORD}
    done = client.post("/portal/sign-in", data={**data, "csrf_token": csrf_of(form)})
    assert done.status_code == 200 and "Oversikt" in done.text


NEW = {"email": "ola@test.no", "name": "Ola Nordmann", "role": "read_only", "password": PASSWORD}


def test_an_administrator_adds_a_user_who_can_sign_in_and_disables_it(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/users")
    assert page.status_code == 200 and "Legg til bruker" in page.text
    added = client.post(
        "/portal/settings/users", data={**NEW, "csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert (added.status_code, added.headers["location"]) == (303, "/portal/settings/users")
    listed = client.get("/portal/settings/users").text
    assert "Ola Nordmann" in listed and "ola@test.no" in listed
    with _client(database_url) as ola:
        form = ola.get("/portal/sign-in")
        data = {"orgnr": builders.ORGNR, "email": "ola@test.no", "password": PASSWORD}
        assert ola.post("/portal/sign-in", data={**data, "csrf_token": csrf_of(form)}).is_success
        disabled = client.post(
            "/portal/settings/users/disable",
            data={"email": "ola@test.no", "csrf_token": csrf_of(page)},
            follow_redirects=False,
        )
        assert disabled.status_code == 303
        assert ola.get("/portal/", follow_redirects=False).status_code == 303  # signed out
    assert "Deaktivert" not in listed
    assert "Deaktivert" in client.get("/portal/settings/users").text


@pytest.mark.parametrize("role", ["read_only", "finance_user"])
def test_a_user_who_may_not_manage_users_sees_no_action_and_is_refused_if_it_posts(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str, role: str
) -> None:
    _as(client, _user_of_role(uow_factory, role))
    page = client.get("/portal/settings/users")
    assert page.status_code == 200 and "Kari Nordmann" in page.text and "Lesetilgang" in page.text
    assert "kari@test.no" not in page.text  # names and roles only: no e-mail, no status
    assert '<form method="post" action="/portal/settings/users' not in page.text
    before = table_rows(database_url)["app_user"]
    token = csrf_of(page)
    refused = client.post("/portal/settings/users", data={**NEW, "csrf_token": token})
    assert refused.status_code == 403 and "Rollen din tillater ikke dette" in refused.text
    disable = {"email": EMAIL, "csrf_token": token}
    assert client.post("/portal/settings/users/disable", data=disable).status_code == 403
    assert client.post("/portal/settings/users/unlock", data=disable).status_code == 403
    assert client.post("/portal/settings/users/enable", data=disable).status_code == 403
    assert table_rows(database_url)["app_user"] == before


def test_bad_input_on_the_users_page_names_each_field_and_adds_nobody(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/users")
    bad = {"email": "ola", "name": "", "role": "api_user", "password": PASSWORD}
    refused = client.post("/portal/settings/users", data={**bad, "csrf_token": csrf_of(page)})
    assert refused.status_code == 422
    assert re.findall(r'data-field="(\w+)"', refused.text) == ["name", "email", "role"]
    assert 'value="ola"' in refused.text  # what was typed is kept
    short = {**NEW, "password": "kort"}
    refused = client.post("/portal/settings/users", data={**short, "csrf_token": csrf_of(page)})
    assert re.findall(r'data-field="(\w+)"', refused.text) == ["password"]
    assert "For kort" in refused.text
    twice = {**NEW, "email": EMAIL}
    exists = client.post("/portal/settings/users", data={**twice, "csrf_token": csrf_of(page)})
    assert exists.status_code == 409 and "allerede en bruker" in exists.text
    assert len(table_rows(database_url)["app_user"]) == 2


def test_an_administrator_cannot_disable_itself(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    admin = _user_of_role(uow_factory, "administrator")
    _as(client, admin)
    page = client.get("/portal/settings/users")
    self_ = {"email": admin, "csrf_token": csrf_of(page)}
    refused = client.post("/portal/settings/users/disable", data=self_)
    assert refused.status_code == 409 and "Du kan ikke deaktivere deg selv." in refused.text
    assert client.get("/portal/", follow_redirects=False).status_code == 200


def test_the_users_page_needs_a_signed_in_user(client: TestClient) -> None:
    answer = client.get("/portal/settings/users", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/portal/sign-in")


def _routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute among `routes`, within included routers too (FastAPI 0.163 keeps an
    included router whole, as its `original_router`)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included.routes)


def _portal_posts(client: TestClient) -> list[str]:
    """Every path of the portal application that takes a POST (or another unsafe method)."""
    app: FastAPI = client.app  # type: ignore[assignment]
    portal = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/portal")
    return sorted(
        "/portal" + route.path
        for route in _routes(portal.routes)
        if (route.methods or set()) - {"GET", "HEAD", "OPTIONS"}
    )


@pytest.mark.parametrize("signed", [False, True])
def test_every_post_of_the_portal_without_its_token_is_refused_and_writes_nothing(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str, signed: bool
) -> None:
    """The guard is the application's, not each handler's: a route added later is
    covered without remembering it, and this walk finds it."""
    paths = _portal_posts(client)
    assert {"/portal/sign-in", "/portal/sign-out", "/portal/settings/users"} <= set(paths)
    if signed:
        _as(client, _user_of_role(uow_factory, "administrator"))
    else:
        client.get("/portal/sign-in")  # the browser has its CSRF cookie
    before = table_rows(database_url)
    everything = {
        **NEW, "orgnr": builders.ORGNR, "email": EMAIL, "language": "en", "back": "/portal/",
    }  # fmt: skip
    for path in paths:
        for sent in ({}, {"csrf_token": "forged"}):
            refused = client.post(path, data={**everything, **sent}, follow_redirects=False)
            assert refused.status_code == 403, path
            assert "sikkerhetsnøkkelen" in refused.text
            assert "fordring_lang" not in refused.headers.get("set-cookie", "")
    assert table_rows(database_url) == before


HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")


@pytest.mark.parametrize(
    ("error", "status", "text"),
    [
        (Conflict("someone else changed the same records (secret detail)"), 503, "Prøv igjen"),
        (RuntimeError("secret detail"), 500, "Forespørselen"),
    ],
)
def test_a_failure_is_a_plain_page_with_the_security_headers_and_no_details(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    status: int,
    text: str,
) -> None:
    builders.company(uow_factory)

    def fails(*args: object) -> None:
        raise error

    monkeypatch.setattr(pages, "sign_in", fails)
    with _client(database_url, raises=False) as client:  # the server logs it; the page is ours
        answer = sign_in(client)
    assert answer.status_code == status
    assert text in answer.text and "secret" not in answer.text and "Traceback" not in answer.text
    assert all(header in answer.headers for header in HEADERS)
    assert answer.headers["Cache-Control"] == "no-store"


def test_signing_in_again_ends_the_browsers_earlier_session(
    client: TestClient, database_url: str
) -> None:
    sign_in(client)
    earlier = client.cookies["fordring_session"]
    page = client.get("/portal/")
    data = {"orgnr": builders.ORGNR, "email": EMAIL, "password": PASSWORD}
    again = client.post(
        "/portal/sign-in", data={**data, "csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert again.status_code == 303 and client.cookies["fordring_session"] != earlier
    sessions = sorted(table_rows(database_url)["user_session"], key=lambda s: s["id"])
    assert len(sessions) == 2
    assert [s["ended_at"] is None for s in sessions] == [False, True]
    with _client(database_url) as other:  # the earlier cookie opens nothing now
        other.cookies.set("fordring_session", earlier, path="/portal")
        assert other.get("/portal/", follow_redirects=False).status_code == 303


def test_an_administrator_sees_a_locked_out_user_and_unlocks_it(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    admin = _user_of_role(uow_factory, "administrator")
    with _client(database_url) as kari:
        for _ in range(MAX_FAILURES):
            sign_in(kari, "galt-passord-123")
        _as(client, admin)
        page = client.get("/portal/settings/users")
        assert "Låst ute til" in page.text and "Lås opp" in page.text
        unlock = {"email": EMAIL, "csrf_token": csrf_of(page)}
        done = client.post("/portal/settings/users/unlock", data=unlock, follow_redirects=False)
        assert done.status_code == 303
        assert "Låst ute til" not in client.get("/portal/settings/users").text
        assert sign_in(kari).status_code == 303
