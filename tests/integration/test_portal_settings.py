"""Innstillinger over HTTP in-process on the test's database (entrypoints/web/
settings_page.py, api_keys_page.py, webhooks_page.py, users_page.py): every form with
valid input, each invalid field named and nothing written, and a role that may not use
it refused (403, nothing written, no button shown); another company's key or endpoint is
404."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from tests import builders
from tests.crash import table_rows
from tests.integration.test_portal_pages import (
    EMAIL,
    PASSWORD,
    _as,
    _client,
    _user_of_role,
    csrf_of,
)

from fordring.adapters.db.engine import normalise_url
from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.domain.api_access import Role
from fordring.domain.collection.agreement import SettingsChange
from fordring.domain.errors import Forbidden, InvalidInput, Problem
from fordring.entrypoints.web.settings_page import COMPANY_FIELDS, problems_of
from fordring.services.api_keys import NewApiKey, create_api_key
from fordring.services.collection_agreement import set_agreement, show_agreement
from fordring.services.collection_sending import send_to_collection
from fordring.services.companies import show_company
from fordring.services.company_change import company_changes
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Actor, ActorKind
from fordring.services.users import NewUser, add_user
from fordring.services.webhooks import add_endpoint, delete_endpoint, show_endpoint

with warnings.catch_warnings():  # Starlette would have httpx2 (its client, not ours)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _tabs(page: str) -> list[str]:
    """The settings' own navigation's links."""
    nav = page.split('<nav class="settings-tabs"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="/portal(/settings/[\w-]+)"', nav)


@pytest.fixture
def client(uow_factory: UnitOfWorkFactory, database_url: str) -> Iterator[TestClient]:
    """As test_portal_pages' (two companies, Kari read-only), with the fast hasher."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    kari = NewUser(EMAIL, "Kari Nordmann", "read_only", PASSWORD)
    add_user(kari, builders.scope(uow_factory), uow_factory, fast)
    with _client(database_url) as client:
        yield client


def _fields(page: httpx.Response) -> list[str]:
    return re.findall(r'<p class="problem" data-field="(\w+)"', page.text)


def _post(client: TestClient, path: str, page: httpx.Response, **data: Any) -> httpx.Response:
    answer: httpx.Response = client.post(
        path, data={**data, "csrf_token": csrf_of(page)}, follow_redirects=False
    )
    return answer


def _form(page: httpx.Response, prefix: str) -> dict[str, str]:
    """The form's fields (ids `prefix`-name) as the page shows them: what a browser sends."""
    inputs = rf'<input id="{prefix}-\w+" name="(\w+)" value="([^"]*)"'
    form = dict(re.findall(inputs, page.text))
    selects = rf'<select id="{prefix}-\w+" name="(\w+)"[^>]*>(.*?)</select>'
    for name, options in re.findall(selects, page.text, re.S):
        chosen = re.search(r'<option value="([^"]+)" selected>', options)
        assert chosen is not None, name
        form[name] = chosen.group(1)
    return form


def _agreement_form(page: httpx.Response) -> dict[str, str]:
    return _form(page, "s")


# --- the settings' navigation --------------------------------------------------------------


def test_settings_lead_to_the_agreement_and_its_tabs_follow_the_role(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    answer = client.get("/portal/settings", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/portal/settings/agreement")
    page = client.get("/portal/settings/agreement").text
    assert _tabs(page) == [
        "/settings/agreement",
        "/settings/company",
        "/settings/users",
        "/settings/password",
        "/settings/api-keys",
        "/settings/webhooks",
    ]
    with _client(client.app.state.application.settings.database_url) as other:  # type: ignore[attr-defined]
        _as(other, EMAIL)  # read-only
        page = other.get("/portal/settings/agreement").text
        assert _tabs(page) == [
            "/settings/agreement",
            "/settings/company",
            "/settings/users",
            "/settings/password",
        ]


# --- the collection agreement ---------------------------------------------------------------


def test_an_administrator_changes_the_agreement(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/agreement")
    assert page.status_code == 200 and "Lagre avtalen" in page.text
    form = _agreement_form(page)
    assert form["reminder_days"] == "7" and form["consolidated"] == "yes"
    assert form["minimum_amount"] == "0.00"
    changed = {**form, "reminder_days": "10", "minimum_amount": "250,50", "consolidated": "no"}
    saved = _post(client, "/portal/settings/agreement", page, **changed)
    assert (saved.status_code, saved.headers["location"]) == (
        303,
        "/portal/settings/agreement?saved=1",
    )
    agreement = show_agreement(builders.scope(uow_factory), uow_factory)
    assert (agreement.reminder_days, str(agreement.minimum_amount)) == (10, "250.50")
    assert agreement.consolidated is False
    shown = client.get(saved.headers["location"])
    assert "Lagret." in shown.text and _agreement_form(shown)["reminder_days"] == "10"
    again = _post(client, "/portal/settings/agreement", page, **_agreement_form(shown))
    assert again.status_code == 303  # the same form again: nothing changes
    assert show_agreement(builders.scope(uow_factory), uow_factory) == agreement


def test_an_administrator_turns_the_invoice_s_debtor_access_on_and_a_bad_value_is_named(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/agreement")
    form = _agreement_form(page)
    assert form["invoice_debtor_access"] == "no"  # off until the creditor says so
    assert "Skyldnerens side" in page.text
    before = table_rows(database_url)
    bad = {**form, "invoice_debtor_access": "kanskje"}
    refused = _post(client, "/portal/settings/agreement", page, **bad)
    assert refused.status_code == 422
    assert _said(refused) == {"invoice_debtor_access": "Velg ja eller nei."}
    assert table_rows(database_url) == before
    saved = _post(
        client, "/portal/settings/agreement", page, **{**form, "invoice_debtor_access": "yes"}
    )
    assert saved.status_code == 303
    agreement = show_agreement(builders.scope(uow_factory), uow_factory)
    assert agreement.invoice_debtor_access is True


def _cases_asleep(uow_factory: UnitOfWorkFactory, database_url: str) -> None:
    """Two open cases, each asleep until 2030 (a woken one wakes on the next run)."""
    for name in ("Debitor En", "Debitor To"):
        customer = builders.consumer(uow_factory, name=name)
        builders.invoice(uow_factory, customer, on=builders.DAY - timedelta(days=60))
    send_to_collection(None, builders.scope(uow_factory), uow_factory)
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE collection_case SET wake_on = '2030-01-01'"))
    finally:
        engine.dispose()
    assert len(table_rows(database_url)["collection_case"]) == 2


def test_the_agreement_saved_as_it_is_writes_nothing_and_wakes_no_case(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _cases_asleep(uow_factory, database_url)
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/agreement")
    before = table_rows(database_url)
    saved = _post(client, "/portal/settings/agreement", page, **_agreement_form(page))
    assert saved.status_code == 303
    after = table_rows(database_url)
    assert after["collection_case"] == before["collection_case"]
    assert after["collection_setting"] == before["collection_setting"]
    scope = builders.scope(uow_factory)  # nor through the service, with nothing posted
    set_agreement(SettingsChange({"reminder_days": 7}), scope, uow_factory)
    assert table_rows(database_url)["collection_case"] == before["collection_case"]
    changed = _post(
        client,
        "/portal/settings/agreement",
        page,
        **{**_agreement_form(page), "reminder_days": "9"},
    )
    assert changed.status_code == 303  # a change wakes every open case
    woken = table_rows(database_url)["collection_case"]
    assert all(str(case["wake_on"]) != "2030-01-01" for case in woken)


def test_the_agreement_form_changes_only_what_was_changed_in_it_and_undoes_no_other_change(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/agreement")  # shows reminder_days 7
    form = _agreement_form(page)
    assert 'name="original_reminder_days" value="7"' in page.text
    scope = builders.scope(uow_factory)
    set_agreement(SettingsChange({"reminder_days": 12}), scope, uow_factory)  # someone else
    saved = _post(
        client,
        "/portal/settings/agreement",
        page,
        **_originals(page),
        **{**form, "minimum_amount": "100,00"},
    )
    assert saved.status_code == 303  # the other change is kept, this one added
    agreement = show_agreement(scope, uow_factory)
    assert (agreement.reminder_days, str(agreement.minimum_amount)) == (12, "100.00")
    before = table_rows(database_url)
    refused = _post(
        client,
        "/portal/settings/agreement",
        page,
        **_originals(page),
        **{**form, "reminder_days": "10"},
    )
    assert refused.status_code == 409  # changed by someone else since the form showed it
    assert 'name="reminder_days" value="12"' in refused.text  # the stored one shown now
    assert "Noen andre" in refused.text
    assert table_rows(database_url) == before


def _originals(page: httpx.Response) -> dict[str, str]:
    """The hidden fields with the values the agreement form showed."""
    return dict(re.findall(r'name="(original_\w+)" value="([^"]*)"', page.text))


def test_each_bad_setting_of_the_agreement_is_named_and_nothing_is_written(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/agreement")
    before = table_rows(database_url)
    bad = {
        **_agreement_form(page),
        "reminder_days": "sju",
        "list_email": "ikke-epost",
        "fee_account": "12",
        "consolidated": "kanskje",
        "pay_to": "client_account",  # with no client account: a rule between settings
    }
    refused = _post(client, "/portal/settings/agreement", page, **bad)
    assert refused.status_code == 422
    assert set(_fields(refused)) == {
        "reminder_days",
        "consolidated",
        "list_email",
        "fee_account",
        "client_account",
    }
    assert 'value="sju"' in refused.text  # what was typed is kept
    assert "Ingenting ble lagret" in refused.text
    assert _said(refused) == {  # in Norwegian, not the services' English reasons
        "reminder_days": "Ikke et helt antall dager.",
        "consolidated": "Velg ja eller nei.",
        "list_email": "Ikke en e-postadresse.",
        "fee_account": "Ikke et firesifret kontonummer.",
        "client_account": "Må fylles ut når skyldnere betaler til en klientkonto.",
    }
    assert "not a whole number" not in refused.text
    assert table_rows(database_url) == before


def _said(page: httpx.Response) -> dict[str, str]:
    """Each field's problem as the page says it."""
    found = re.findall(r'<p class="problem" data-field="(\w+)">([^<]*)</p>', page.text)
    return {field: said.strip() for field, said in found}


@pytest.mark.parametrize("role", ["read_only", "finance_user"])
def test_only_an_administrator_changes_the_agreement(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str, role: str
) -> None:
    _as(client, _user_of_role(uow_factory, role))
    page = client.get("/portal/settings/agreement")
    assert page.status_code == 200 and 'name="reminder_days" value="7" disabled' in page.text
    assert "Lagre avtalen" not in page.text
    before = table_rows(database_url)
    for sent in ({"reminder_days": "10"}, {"reminder_days": "not a number"}):
        refused = _post(client, "/portal/settings/agreement", page, **sent)
        assert refused.status_code == 403 and "Rollen din tillater ikke dette" in refused.text
    assert table_rows(database_url) == before


# --- the company's details ------------------------------------------------------------------


def _company_form(page: httpx.Response) -> dict[str, str]:
    return _form(page, "c")


@pytest.mark.parametrize("role", ["administrator", "finance_user"])
def test_the_company_s_details_are_changed_and_recorded(
    client: TestClient, uow_factory: UnitOfWorkFactory, role: str
) -> None:
    _as(client, _user_of_role(uow_factory, role))
    page = client.get("/portal/settings/company")
    assert page.status_code == 200 and builders.ORGNR in page.text
    form = _company_form(page)
    assert form["name"] == "Test AS" and form["vat_registered"] == "yes"
    changed = {**form, "name": "Test Nytt AS", "city": "Bergen", "terms_days": "30"}
    saved = _post(client, "/portal/settings/company", page, **changed)
    assert (saved.status_code, saved.headers["location"]) == (
        303,
        "/portal/settings/company?saved=1",
    )
    company = show_company(builders.scope(uow_factory), uow_factory)
    assert (company.name, company.address.city, company.default_terms_days) == (
        "Test Nytt AS",
        "Bergen",
        30,
    )
    (change,) = company_changes(builders.scope(uow_factory), uow_factory)
    assert change.actor == f"{role}@test.no"
    assert change.fields["name"] == ("Test AS", "Test Nytt AS")


def test_each_bad_field_of_the_company_is_named_and_nothing_is_written(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/company")
    before = table_rows(database_url)
    bad = {
        **_company_form(page),
        "account": "1234",
        "postcode": "12a",
        "kid_length": "lang",
        "terms_days": "99999",
        "vat_registered": "kanskje",
    }
    refused = _post(client, "/portal/settings/company", page, **bad)
    assert refused.status_code == 422
    assert set(_fields(refused)) == {
        "account",
        "postcode",
        "kid_length",
        "terms_days",
        "vat_registered",
    }
    assert 'value="12a"' in refused.text
    assert table_rows(database_url) == before
    for terms in ("400", "366"):  # beyond the domain's year: named at the form's field
        longer = {**_company_form(page), "terms_days": terms}
        refused = _post(client, "/portal/settings/company", page, **longer)
        assert (refused.status_code, _fields(refused)) == (422, ["terms_days"])
        assert _said(refused) == {"terms_days": "Oppgi 0 til 365 dager."}
        assert table_rows(database_url) == before
    problem = Problem("terms", "must be 0-365 days, not 400")  # the domain's name
    unmatched = Problem("orgnr", "not this one", code="not_an_orgnr")  # no field: listed
    assert problems_of(InvalidInput([problem, unmatched]), COMPANY_FIELDS) == {
        "terms_days": "invalid",
        "orgnr": "not_an_orgnr",
    }
    email = {**_company_form(page), "name": "\x07"}
    refused = _post(client, "/portal/settings/company", page, **email)
    assert (refused.status_code, _fields(refused)) == (422, ["name"])
    assert table_rows(database_url) == before


def test_a_read_only_user_sees_the_company_and_may_not_change_it(
    client: TestClient, database_url: str
) -> None:
    _as(client, EMAIL)
    page = client.get("/portal/settings/company")
    assert page.status_code == 200 and 'name="name" value="Test AS" disabled' in page.text
    assert "Lagre selskapets opplysninger" not in page.text
    before = table_rows(database_url)
    refused = _post(client, "/portal/settings/company", page, name="Mitt AS")
    assert refused.status_code == 403
    assert table_rows(database_url) == before


# --- my password ----------------------------------------------------------------------------

NEW_PASSWORD = "et-nytt-passord-77"


def test_a_user_changes_its_password_every_session_ends_and_its_browser_gets_a_new_one(
    client: TestClient, database_url: str
) -> None:
    with _client(database_url) as elsewhere:
        _as(elsewhere, EMAIL)
        _as(client, EMAIL)  # read-only: every role changes its own password
        page = client.get("/portal/settings/password")
        assert page.status_code == 200 and "Endre passordet" in page.text
        data = {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "repeated_password": NEW_PASSWORD,
        }
        old_cookie = client.cookies.get("fordring_session")
        done = _post(client, "/portal/settings/password", page, **data)
        assert (done.status_code, done.headers["location"]) == (
            303,
            "/portal/settings/password?saved=1",
        )
        new_cookie = client.cookies.get("fordring_session")
        assert new_cookie and new_cookie != old_cookie  # the session rotated
        assert client.get("/portal/", follow_redirects=False).status_code == 200  # still in
        assert elsewhere.get("/portal/", follow_redirects=False).status_code == 303  # ended
        with _client(database_url) as thief:  # whoever held the old cookie is out too
            thief.cookies.set("fordring_session", old_cookie or "")
            assert thief.get("/portal/", follow_redirects=False).status_code == 303
        again = client.get("/portal/settings/password")  # a new CSRF token with the session
        assert csrf_of(again) != csrf_of(page)
    (user,) = table_rows(database_url)["app_user"]
    assert user["password_hash"].startswith("$argon2id$")
    with _client(database_url) as fresh:
        form = fresh.get("/portal/sign-in")
        data = {"orgnr": builders.ORGNR, "email": EMAIL, "csrf_token": csrf_of(form)}
        assert fresh.post("/portal/sign-in", data={**data, "password": PASSWORD}).status_code == 401
        assert fresh.post("/portal/sign-in", data={**data, "password": NEW_PASSWORD}).is_success


def test_a_bad_password_change_names_the_field_and_changes_nothing(
    client: TestClient, database_url: str
) -> None:
    _as(client, EMAIL)
    page = client.get("/portal/settings/password")
    before = table_rows(database_url)["app_user"]
    cases = [
        ({"current_password": "feil-passord-1"}, ["current_password"], "Ikke ditt nåværende"),
        ({"new_password": "kort", "repeated_password": "kort"}, ["new_password"], "For kort"),
        ({"repeated_password": "noe-annet-helt"}, ["repeated_password"], "Ikke det samme"),
    ]
    for changed, fields, said in cases:
        data = {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "repeated_password": NEW_PASSWORD,
            **changed,
        }
        refused = _post(client, "/portal/settings/password", page, **data)
        assert (refused.status_code, _fields(refused)) == (422, fields)
        assert said in refused.text
    (after,) = table_rows(database_url)["app_user"]
    assert after["password_hash"] == before[0]["password_hash"]
    assert after["failed_attempts"] == 1  # the wrong current password counts, as at sign-in
    assert client.get("/portal/", follow_redirects=False).status_code == 200


# --- users: enabled again -------------------------------------------------------------------


def test_an_administrator_enables_a_disabled_user_who_can_sign_in_again(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/users")
    assert _post(client, "/portal/settings/users/disable", page, email=EMAIL).status_code == 303
    listed = client.get("/portal/settings/users")
    assert 'action="/portal/settings/users/enable"' in listed.text
    assert _post(client, "/portal/settings/users/enable", page, email=EMAIL).status_code == 303
    assert _post(client, "/portal/settings/users/enable", page, email=EMAIL).status_code == 303
    assert "Deaktivert" not in client.get("/portal/settings/users").text
    with _client(database_url) as kari:
        _as(kari, EMAIL)
    missing = _post(client, "/portal/settings/users/enable", page, email="nobody@test.no")
    assert missing.status_code == 404


# --- API keys -------------------------------------------------------------------------------


def _once(page: httpx.Response) -> str:
    """The form's single-use token."""
    found = re.search(r'name="once" value="([\w-]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_a_key_form_sent_again_makes_no_second_key_and_shows_no_token(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/api-keys")
    once = _once(page)
    form = {"name": "Regnskap", "role": "api_user", "once": once}
    refused = _post(client, "/portal/settings/api-keys", page, **{**form, "name": ""})
    assert refused.status_code == 422  # nothing made: the token is not used up
    made = _post(client, "/portal/settings/api-keys", page, **form)
    assert made.status_code == 200 and 'id="made-token"' in made.text
    assert _once(made) != once  # the answer's form has a new one
    before = table_rows(database_url)
    again = _post(client, "/portal/settings/api-keys", page, **form)  # a reload
    assert again.status_code == 409 and 'id="made-token"' not in again.text
    assert "allerede laget" in again.text
    assert table_rows(database_url) == before
    other = _post(client, "/portal/settings/api-keys", page, **{**form, "once": _once(made)})
    assert other.status_code == 200  # the next form makes the next key
    assert len(table_rows(database_url)["api_key"]) == 2


def test_a_webhook_form_sent_again_adds_no_second_endpoint_and_shows_no_secret(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/webhooks")
    form = {"url": "https://mottak.example/hook", "events": ["case.registered"]}
    made = _post(client, "/portal/settings/webhooks", page, **form, once=_once(page))
    assert made.status_code == 200 and 'id="made-secret"' in made.text
    before = table_rows(database_url)
    again = _post(client, "/portal/settings/webhooks", page, **form, once=_once(page))
    assert again.status_code == 409 and 'id="made-secret"' not in again.text
    assert "allerede lagt til" in again.text
    assert table_rows(database_url) == before
    assert len(before["webhook_endpoint"]) == 1


def test_an_administrator_makes_a_key_that_works_once_shown_and_revokes_it(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/api-keys")
    assert page.status_code == 200 and "Ingen nøkler ennå." in page.text
    made = _post(client, "/portal/settings/api-keys", page, name="Regnskap", role="api_user")
    assert made.status_code == 200
    found = re.search(r'id="made-token">(fk_[0-9a-f]{12}_[\w-]+)<', made.text)
    assert found is not None
    token = found.group(1)
    (key,) = table_rows(database_url)["api_key"]
    assert token not in str(key) and key["role"] == "api_user"
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/company", headers=bearer).json()["orgnr"] == builders.ORGNR
    listed = client.get("/portal/settings/api-keys").text
    assert key["prefix"] in listed and token not in listed  # shown once
    revoked = _post(client, "/portal/settings/api-keys/revoke", page, prefix=key["prefix"])
    assert (revoked.status_code, revoked.headers["location"]) == (
        303,
        "/portal/settings/api-keys",
    )
    assert client.get("/api/v1/company", headers=bearer).status_code == 401
    assert "Tilbakekalt" in client.get("/portal/settings/api-keys").text


def test_a_bad_key_form_names_each_field_and_another_company_s_key_is_not_found(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    other = create_api_key(
        NewApiKey("Andre", Role.API_USER),
        builders.scope(uow_factory, builders.OTHER_ORGNR),
        uow_factory,
        b"k" * 32,
    )
    page = client.get("/portal/settings/api-keys")
    before = table_rows(database_url)
    refused = _post(client, "/portal/settings/api-keys", page, name=" ", role="sjef")
    assert (refused.status_code, _fields(refused)) == (422, ["name", "role"])
    assert _said(refused) == {"name": "Fyll ut dette.", "role": "Ikke en rolle."}
    assert table_rows(database_url) == before
    missing = _post(client, "/portal/settings/api-keys/revoke", page, prefix=other.key.prefix)
    assert missing.status_code == 404
    assert table_rows(database_url) == before
    assert other.key.prefix not in client.get("/portal/settings/api-keys").text


@pytest.mark.parametrize("role", ["read_only", "finance_user"])
def test_only_an_administrator_sees_or_manages_keys(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str, role: str
) -> None:
    made = create_api_key(
        NewApiKey("Regnskap", Role.API_USER), builders.scope(uow_factory), uow_factory, b"k" * 32
    )
    _as(client, _user_of_role(uow_factory, role))
    page = client.get("/portal/settings/password")
    assert 'href="/portal/settings/api-keys"' not in page.text
    assert client.get("/portal/settings/api-keys").status_code == 403
    before = table_rows(database_url)
    for path, data in [
        ("/portal/settings/api-keys", {"name": "Min", "role": "read_only"}),
        ("/portal/settings/api-keys/revoke", {"prefix": made.key.prefix}),
    ]:
        assert _post(client, path, page, **data).status_code == 403
    assert table_rows(database_url) == before


# --- webhooks -------------------------------------------------------------------------------


def test_an_administrator_adds_an_endpoint_disables_enables_and_tests_it(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    page = client.get("/portal/settings/webhooks")
    assert page.status_code == 200 and "Ingen mottakere ennå." in page.text
    url = "https://mottak.example/hook"
    events = ["case.registered", "payment.matched"]
    made = _post(client, "/portal/settings/webhooks", page, url=url, events=events)
    assert made.status_code == 200
    secret = re.search(r'id="made-secret">(whsec_[^<]+)<', made.text)
    assert secret is not None
    (endpoint,) = table_rows(database_url)["webhook_endpoint"]
    assert endpoint["url"] == url and endpoint["enabled"]
    assert secret.group(1) not in client.get("/portal/settings/webhooks").text  # shown once
    number = endpoint["id"]
    base = f"/portal/settings/webhooks/{number}"
    assert _post(client, base + "/disable", page).status_code == 303
    (endpoint,) = table_rows(database_url)["webhook_endpoint"]
    assert not endpoint["enabled"] and "admin" in endpoint["disabled_reason"]
    assert _post(client, base + "/enable", page).status_code == 303
    assert table_rows(database_url)["webhook_endpoint"][0]["enabled"]
    tested = _post(client, base + "/test", page)
    assert tested.headers["location"] == f"/portal/settings/webhooks?tested={number}"
    (delivery,) = table_rows(database_url)["webhook_delivery"]
    assert delivery["endpoint_id"] == number
    shown = client.get(tested.headers["location"]).text
    assert "webhook.test" in shown and "Venter" in shown and "testhendelse" in shown


def test_a_bad_endpoint_names_each_field_and_another_company_s_is_not_found(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    other, _ = add_endpoint(
        builders.scope(uow_factory, builders.OTHER_ORGNR),
        "https://andre.example/hook",
        ["case.registered"],
        uow_factory,
        lambda n: b"s" * n,
        NOW,
    )
    page = client.get("/portal/settings/webhooks")
    before = table_rows(database_url)
    refused = _post(client, "/portal/settings/webhooks", page, url="ftp://x")
    assert (refused.status_code, _fields(refused)) == (422, ["url", "events"])
    assert 'value="ftp://x"' in refused.text
    assert _said(refused) == {
        "url": "Oppgi en http://- eller https://-URL med vert.",
        "events": "Fyll ut dette.",
    }
    unknown = _post(
        client, "/portal/settings/webhooks", page, url="https://a.example", events=["nope"]
    )
    assert (unknown.status_code, _fields(unknown)) == (422, ["events"])
    for action in ("disable", "enable", "test"):
        answer = _post(client, f"/portal/settings/webhooks/{other}/{action}", page)
        assert answer.status_code == 404, action
    assert table_rows(database_url) == before
    assert "andre.example" not in client.get("/portal/settings/webhooks").text


@pytest.mark.parametrize("role", ["read_only", "finance_user"])
def test_only_an_administrator_sees_or_manages_webhooks(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str, role: str
) -> None:
    number, _ = add_endpoint(
        builders.scope(uow_factory),
        "https://mottak.example/hook",
        ["case.registered"],
        uow_factory,
        lambda n: b"s" * n,
        NOW,
    )
    _as(client, _user_of_role(uow_factory, role))
    page = client.get("/portal/settings/password")
    assert 'href="/portal/settings/webhooks"' not in page.text
    assert client.get("/portal/settings/webhooks").status_code == 403
    before = table_rows(database_url)
    posts = [
        ("/portal/settings/webhooks", {"url": "https://x.example", "events": ["case.closed"]}),
        *[(f"/portal/settings/webhooks/{number}/{a}", {}) for a in ("disable", "enable", "test")],
    ]
    for path, data in posts:
        assert _post(client, path, page, **data).status_code == 403, path
    assert table_rows(database_url) == before
    user = Actor(ActorKind.USER, "x@test.no", role)  # the services refuse it too
    scope = replace(builders.scope(uow_factory), actor=user)
    with pytest.raises(Forbidden):
        show_endpoint(scope, number, uow_factory)
    with pytest.raises(Forbidden):
        delete_endpoint(scope, number, uow_factory)
    assert table_rows(database_url) == before
