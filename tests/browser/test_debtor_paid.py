"""The debtor's "I have paid" and messages on a phone, in a real browser: sign in with a
letter's code and PIN, report a payment and see the receipt, write to the case handler;
then the creditor's portal case page shows the report and the message."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect
from tests import builders
from tests.browser.conftest import Portal, screenshot, sign_in
from tests.browser.debtor import sign_in_debtor
from tests.debtor_pages import access_for

from fordring.services.ports import UnitOfWorkFactory


def test_report_a_payment_on_a_phone_and_the_portal_case_page_shows_it(
    phone: Page, page: Page, portal: Portal, uow_factory: UnitOfWorkFactory, run: Any
) -> None:
    builders.cli_case_1(run)
    access = access_for(uow_factory, 1)
    site = portal.base.removesuffix("/portal") + "/d"
    sign_in_debtor(phone, site, access.code, access.pin)
    phone.click("#link-paid")
    phone.fill("#amount", "2500,00")
    phone.fill("#note", "Betalt i nettbanken")
    phone.click("button.primary")
    receipt = phone.locator("#receipt")
    expect(receipt).to_be_visible()
    expect(receipt).to_contain_text("2\xa0500,00")
    expect(receipt).to_contain_text("Ingen nye brev eller gebyrer sendes før")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page fits the phone without scrolling sideways"
    screenshot(phone, "debtor-paid-receipt")
    phone.goto(f"{site}/messages")
    phone.fill("#message", "Jeg har betalt i dag.\nKvittering kommer.")
    phone.click("button.primary")
    expect(phone.locator("#sent")).to_contain_text("Jeg har betalt i dag.")
    # the line break shows (a class in the style sheet: the CSP refuses inline styles)
    assert "i dag.\nKvittering" in phone.locator("#sent .keep-lines").inner_text()
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal)
    page.goto(portal.base + "/cases/1")
    reports = page.locator("#reports")
    expect(reports).to_contain_text("2\xa0500,00")
    expect(reports).to_contain_text("Betalt i nettbanken")
    expect(page.locator("#report-hold")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Jeg har betalt i dag.")
    assert "i dag.\nKvittering" in page.locator("#messages .keep-lines").last.inner_text()
    expect(page.locator("#waiting")).to_be_visible()
