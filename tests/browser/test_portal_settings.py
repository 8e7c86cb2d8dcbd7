"""Innstillinger in a real browser: an administrator changes the collection agreement
with a bad value (the field named, nothing saved), then a good one; makes an API key,
shown once, and uses it against /api/v1; a read-only user sees the agreement without a
button to save it."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect
from tests.browser.conftest import ADMIN, READER, SCREENSHOTS, Portal, screenshot, sign_in


def test_an_administrator_changes_the_agreement_after_a_bad_value(
    page: Page, portal: Portal
) -> None:
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal, email=ADMIN)
    page.click("nav >> text=Innstillinger")
    expect(page).to_have_url(portal.base + "/settings/agreement")
    expect(page.locator("#s-reminder_days")).to_have_value("7")
    page.fill("#s-reminder_days", "sju")
    page.fill("#s-list_email", "inkasso@test.no")
    page.click("button:has-text('Lagre avtalen')")
    problem = page.locator(".problem[data-field=reminder_days]")
    expect(problem).to_have_text("Ikke et helt antall dager.")  # in Norwegian
    expect(page.locator("p.problem[role=alert]")).to_contain_text("Ingenting ble lagret")
    expect(page.locator("#s-reminder_days")).to_have_value("sju")  # what was typed is kept
    expect(page.locator(".problem[data-field]")).to_have_count(1)
    page.fill("#s-reminder_days", "10")
    page.click("button:has-text('Lagre avtalen')")
    expect(page).to_have_url(portal.base + "/settings/agreement?saved=1")
    expect(page.locator(".saved")).to_have_text("Lagret.")
    expect(page.locator("#s-reminder_days")).to_have_value("10")
    expect(page.locator("#s-list_email")).to_have_value("inkasso@test.no")
    if SCREENSHOTS:  # the page's top on a phone: the whole agreement is a long page
        page.set_viewport_size({"width": 390, "height": 740})
        page.screenshot(path=str(Path(SCREENSHOTS) / "settings-agreement-phone.png"))


def test_an_administrator_makes_an_api_key_and_uses_it_once_against_the_api(
    page: Page, portal: Portal
) -> None:
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal, email=ADMIN)
    page.goto(portal.base + "/settings/agreement")
    page.click(".settings-tabs >> text=API-nøkler")
    expect(page).to_have_url(portal.base + "/settings/api-keys")
    page.fill("#k-name", "Regnskapssystemet")
    page.select_option("#k-role", "read_only")
    page.click("button:has-text('Lag nøkkelen')")
    token = page.locator("#made-token").inner_text()
    assert token.startswith("fk_")
    screenshot(page, "settings-api-keys")
    api = portal.base.removesuffix("/portal") + "/api/v1"
    answer = httpx.get(api + "/company", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["name"] == "Test AS"
    page.goto(portal.base + "/settings/api-keys")
    expect(page.locator("#made-token")).to_have_count(0)  # shown once
    row = page.locator("table.api-keys tr", has_text="Regnskapssystemet")
    row.locator("button.revoke").click()
    expect(page.locator("table.api-keys tr", has_text="Regnskapssystemet")).to_contain_text(
        "Tilbakekalt"
    )
    refused = httpx.get(api + "/company", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401


def test_a_read_only_user_sees_the_agreement_without_a_save_button(
    page: Page, portal: Portal
) -> None:
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal, email=READER)
    page.goto(portal.base + "/settings/agreement")
    expect(page.locator("#s-reminder_days")).to_be_disabled()
    expect(page.locator("button:has-text('Lagre avtalen')")).to_have_count(0)
    expect(page.locator(".settings-tabs >> text=API-nøkler")).to_have_count(0)
