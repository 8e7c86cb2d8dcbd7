"""Helpers for tests of the debtor's pages (entrypoints/web/debtor): two companies with a
case each, a code and PIN for a case made through the service letters use, and a test
client signed in with them, so a handler test starts from a signed-in debtor.

    two_companies_with_case_1(uow_factory, run)
    with signed_in_client(database_url, uow_factory) as client:
        page = client.get("/d/")
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx

from fordring import bootstrap
from fordring.domain.debtor_access import DEFAULT_RULES, AccessRules
from fordring.services.debtor_access import DebtorSignedIn, IssuedAccess, give_access
from fordring.services.debtor_access import sign_in_debtor as sign_in_debtor_service
from fordring.services.ports import UnitOfWorkFactory
from tests import builders
from tests.integration.test_portal_pages import _client

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

DEBTOR = "/d"


def debtor_client(database_url: str) -> TestClient:
    """The in-process application (the portal's handler tests' client): /d is the
    debtor's pages. Use it as a context manager."""
    return _client(database_url)


def two_companies_with_case_1(uow_factory: UnitOfWorkFactory, run: Callable[..., Any]) -> None:
    """Company A and company B (Andre AS), each with its case 1 (Kari Nordmann's invoice 1,
    2500.00), made through the command line (builders.cli_case_1)."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    builders.cli_case_1(run)
    builders.cli_case_1(run, builders.OTHER_ORGNR)


@contextmanager
def signed_in_client(
    database_url: str, uow_factory: UnitOfWorkFactory, case_number: int = 1
) -> Iterator[TestClient]:
    """A `debtor_client` signed in as the debtor of company A's case `case_number`."""
    with debtor_client(database_url) as client:
        sign_in_debtor(client, uow_factory, case_number)
        yield client


def access_for(
    uow_factory: UnitOfWorkFactory, case_number: int, orgnr: str = builders.ORGNR
) -> IssuedAccess:
    """A new code and PIN for the company `orgnr`'s case `case_number`."""
    scope = builders.scope(uow_factory, orgnr)
    return give_access(case_number, scope, uow_factory, bootstrap.now(), builders.PIN_KEY)


def sign_in_with_test_key(
    code: str,
    pin: str,
    address: str,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    rules: AccessRules = DEFAULT_RULES,
) -> DebtorSignedIn:
    """The sign-in service (services/debtor_access.py) with the tests' PIN key."""
    return sign_in_debtor_service(code, pin, address, uow_factory, now, builders.PIN_KEY, rules)


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def post_sign_in(client: TestClient, code: str, pin: str) -> httpx.Response:
    """Send the sign-in form (as a browser: its CSRF token from the form's page)."""
    form = client.get(DEBTOR + "/sign-in")
    data = {"code": code, "pin": pin, "csrf_token": csrf_of(form)}
    answer: httpx.Response = client.post(DEBTOR + "/sign-in", data=data, follow_redirects=False)
    return answer


def sign_in_debtor(
    client: TestClient,
    uow_factory: UnitOfWorkFactory,
    case_number: int,
    orgnr: str = builders.ORGNR,
) -> IssuedAccess:
    """Sign the client in as the debtor of the company `orgnr`'s case `case_number` (a new
    code and PIN through the service, then the sign-in form); the code and PIN used."""
    access = access_for(uow_factory, case_number, orgnr)
    answer = post_sign_in(client, access.code, access.pin)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == DEBTOR + "/", answer.headers
    return access


def post(client: TestClient, path: str, data: dict[str, str]) -> httpx.Response:
    """POST a form of the debtor's pages (path under /d) with the page's CSRF token."""
    token = csrf_of(client.get(DEBTOR + "/"))
    answer: httpx.Response = client.post(
        DEBTOR + path, data=data | {"csrf_token": token}, follow_redirects=False
    )
    return answer
