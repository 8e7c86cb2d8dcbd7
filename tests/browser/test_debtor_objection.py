"""The debtor's objection in a real browser on a phone-sized page: sign in with the
letter's code and PIN, object with a PDF attached and get the receipt; then the creditor,
signed in to the portal, sees the case stopped (objected) with the objection and
downloads the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests import builders
from tests.api_server import api_server
from tests.attachments import PDF
from tests.browser.conftest import EMAIL, PASSWORD, Portal, screenshot, sign_in
from tests.browser.debtor import sign_in_debtor
from tests.debtor_pages import access_for

from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.users import NewUser, add_user


@pytest.fixture
def server(
    uow_factory: UnitOfWorkFactory, database_url: str, run: Any, tmp_path: Path
) -> Iterator[str]:
    """The server (its outbox, and so its attachments, in the test's folder) over the test
    company with Kari (finance user) and case 1, reminded by 03-20; its root address."""
    builders.company(uow_factory)
    user = NewUser(EMAIL, "Kari Nordmann", "finance_user", PASSWORD)
    add_user(user, builders.scope(uow_factory), uow_factory, Argon2PasswordHasher())
    builders.cli_case_1(run)
    ran = run("--company", builders.ORGNR, "run", "--to", "2026-03-20", date="2026-03-05")
    assert ran.exit_code == 0, ran.output
    with api_server(database_url, str(tmp_path / "outbox")) as api:
        yield api.base.removesuffix("/api/v1")


def test_object_with_an_attachment_on_a_phone_and_see_the_case_stopped_in_the_portal(
    phone: Page, page: Page, server: str, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    access = access_for(uow_factory, 1)
    receipt = tmp_path / "kvittering.pdf"
    receipt.write_bytes(PDF)

    sign_in_debtor(phone, server + "/d", access.code, access.pin)
    phone.click("a.objection-link")
    expect(phone).to_have_url(server + "/d/objection")
    phone.check("input[name=reason][value=already_paid]")
    phone.fill("#text", "Jeg betalte 3. mars.\nKvitteringen er vedlagt.")
    phone.set_input_files("#attachment", str(receipt))
    screenshot(phone, "debtor-objection")
    phone.click("button.primary")
    expect(phone).to_have_url(server + "/d/objection/receipt")
    expect(phone.locator("h1")).to_have_text("Vi har mottatt innsigelsen din")
    expect(phone.locator(".receipt")).to_contain_text("Jeg har allerede betalt")
    expect(phone.locator(".receipt")).to_contain_text("kvittering.pdf")
    wide = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert wide is False  # nothing runs off a phone's screen
    screenshot(phone, "debtor-objection-receipt")

    portal = Portal(server + "/portal")
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal)
    page.goto(portal.base + "/cases/1")
    expect(page.locator(".case-head .state")).to_have_text("Innsigelse")
    section = page.locator("section.objections")
    expect(section).to_contain_text("Jeg har allerede betalt")
    expect(section).to_contain_text("Kvitteringen er vedlagt.")
    expect(section.locator(".action-uphold")).to_be_visible()
    with page.expect_download() as download:
        section.locator("a", has_text="kvittering.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF and download.value.suggested_filename == "kvittering.pdf"
    screenshot(page, "case-objection")
