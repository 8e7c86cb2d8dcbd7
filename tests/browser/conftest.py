"""Browser tests of the portal: the real `fordring serve` on a free loopback port over the
test's database, driven in Debian's Chromium through playwright (`executable_path`: never
`playwright install`). They run in the SQLite pass of CI only: the pages are the same over
either database, and the services under them are tested on both (tests/integration).

`FORDRING_SCREENSHOTS=docs/portal` makes them save the screenshots docs/portal.md shows.
Without chromium on PATH they are skipped, unless `FORDRING_REQUIRE_BROWSER=1` (CI's
SQLite pass sets it): then each of them fails, so CI never passes without them silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from tests import builders
from tests.api_server import api_server
from tests.conftest import BACKEND

from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.users import NewUser, add_user

CHROMIUM = shutil.which("chromium")
REQUIRED = os.environ.get("FORDRING_REQUIRE_BROWSER") == "1"
SCREENSHOTS = os.environ.get("FORDRING_SCREENSHOTS")
EMAIL = "kari@test.no"
PASSWORD = "riktig-passord-42"
ADMIN = "admin@test.no"
READER = "les@test.no"
USERS = {
    EMAIL: ("Kari Nordmann", "finance_user"),
    ADMIN: ("Ada Admin", "administrator"),
    READER: ("Lese Leser", "read_only"),
}
PHONE: ViewportSize = {"width": 375, "height": 740}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if BACKEND != "sqlite":
            item.add_marker(pytest.mark.skip(reason="browser tests run in the SQLite pass only"))
        elif CHROMIUM is None and not REQUIRED:
            reason = "no chromium on PATH (.ci/run installs Debian's chromium)"
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.fail("FORDRING_REQUIRE_BROWSER=1 but no chromium on PATH", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass(frozen=True)
class Portal:
    base: str  # http://127.0.0.1:PORT/portal
    orgnr: str = builders.ORGNR
    email: str = EMAIL
    password: str = PASSWORD


@pytest.fixture
def portal(uow_factory: UnitOfWorkFactory, database_url: str) -> Iterator[Portal]:
    """The server over a database with the test company and its users: Kari (finance
    user), an administrator and a read-only user (USERS)."""
    builders.company(uow_factory)
    hasher = Argon2PasswordHasher()
    for email, (name, role) in USERS.items():
        user = NewUser(email, name, role, PASSWORD)
        add_user(user, builders.scope(uow_factory), uow_factory, hasher)
    with api_server(database_url) as api:
        yield Portal(api.base.removesuffix("/api/v1") + "/portal")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nb-NO")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def sign_in(page: Page, portal: Portal, password: str = PASSWORD, email: str = EMAIL) -> None:
    """Fill in and send the sign-in form (the page must show it)."""
    page.fill("#orgnr", portal.orgnr)
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button.primary")


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


# The debtor's pages (issue 19): a phone first. `debtor_site` is the server's /d over the
# test's database (make the companies and cases before or after: the server reads them
# as it is asked); `phone` a page the size of a phone; sign in with
# tests/browser/debtor.py's `sign_in_debtor`.
PHONE_DEBTOR: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def debtor_site(database_url: str) -> Iterator[str]:
    """The debtor's pages' address, http://127.0.0.1:PORT/d, of a server on the test's
    database."""
    with api_server(database_url) as api:
        yield api.base.removesuffix("/api/v1") + "/d"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page in a phone-sized viewport (390x844, touch), Norwegian."""
    context = browser.new_context(
        locale="nb-NO", viewport=PHONE_DEBTOR, is_mobile=True, has_touch=True
    )
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()
