"""The portal's frame in a real browser: sign in (a wrong password refused, the lockout),
sign out, English, a form without its CSRF token refused, a phone-sized screen."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from tests.browser.conftest import PHONE, Portal, screenshot, sign_in

from fordring.domain.users import MAX_FAILURES
from fordring.entrypoints.web.rendering import NAVIGATION

REFUSED = (
    "Feil organisasjonsnummer, e-post eller passord, eller for mange forsøk: prøv igjen senere."
)


def test_signing_in_shows_the_overview_with_the_company_and_the_user(
    page: Page, portal: Portal
) -> None:
    page.goto(portal.base + "/")
    expect(page).to_have_url(portal.base + "/sign-in")
    expect(page.locator("h1")).to_have_text("Logg inn")
    screenshot(page, "sign-in")
    sign_in(page, portal)
    expect(page).to_have_url(portal.base + "/")
    expect(page.locator("h1")).to_have_text("Oversikt")
    expect(page.locator(".company")).to_have_text("Test AS")
    expect(page.locator(".who")).to_contain_text("Kari Nordmann (kari@test.no), Økonomibruker")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Oversikt")
    soon = sum(1 for _, path in NAVIGATION if path is None)  # listed, not linked until built
    expect(page.locator("nav .soon")).to_have_count(soon)
    screenshot(page, "overview")
    cookie = next(c for c in page.context.cookies() if c["name"] == "fordring_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"


def test_a_wrong_password_is_refused(page: Page, portal: Portal) -> None:
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal, "galt-passord-123")
    expect(page.locator(".problem")).to_have_text(REFUSED)
    expect(page.locator("#email")).to_have_value(portal.email)  # kept; the password is not
    expect(page.locator("#password")).to_have_value("")
    page.goto(portal.base + "/")
    expect(page).to_have_url(portal.base + "/sign-in")


def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(
    page: Page, portal: Portal
) -> None:
    page.goto(portal.base + "/sign-in")
    for _ in range(MAX_FAILURES):
        sign_in(page, portal, "galt-passord-123")
    expect(page.locator(".problem")).to_have_text(REFUSED)
    screenshot(page, "locked")
    sign_in(page, portal)
    expect(page.locator(".problem")).to_have_text(REFUSED)
    expect(page).to_have_url(portal.base + "/sign-in")


def test_signing_out_leads_back_to_the_sign_in(page: Page, portal: Portal) -> None:
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal)
    page.click(".sign-out button")
    expect(page).to_have_url(portal.base + "/sign-in")
    assert "fordring_session" not in [c["name"] for c in page.context.cookies()]
    page.goto(portal.base + "/")
    expect(page).to_have_url(portal.base + "/sign-in")


def test_the_portal_switches_to_english_and_stays_so(page: Page, portal: Portal) -> None:
    page.goto(portal.base + "/sign-in")
    page.click("button[name=language][value=en]")
    expect(page.locator("h1")).to_have_text("Sign in")
    sign_in(page, portal)
    expect(page.locator("h1")).to_have_text("Overview")
    expect(page.locator(".who")).to_contain_text("Signed in as Kari Nordmann")
    expect(page.locator("nav")).to_contain_text("Collection list")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("button[name=language][value=nb]")
    expect(page.locator("h1")).to_have_text("Oversikt")


def test_a_form_posted_without_its_csrf_token_is_refused(page: Page, portal: Portal) -> None:
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal)
    page.eval_on_selector(".sign-out input[name=csrf_token]", "input => input.remove()")
    page.click(".sign-out button")
    expect(page.locator("h1")).to_have_text("Avvist")
    expect(page.locator(".problem")).to_contain_text("uten sikkerhetsnøkkelen")
    page.goto(portal.base + "/")
    expect(page.locator("h1")).to_have_text("Oversikt")  # still signed in: nothing was done


def test_the_pages_fit_a_phone_sized_screen(page: Page, portal: Portal) -> None:
    page.set_viewport_size(PHONE)
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal)
    expect(page.locator("h1")).to_have_text("Oversikt")
    wider = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wider, "the page scrolls sideways on a phone"
    expect(page.locator(".sign-out button")).to_be_visible()
    assert re.search(r"width=device-width", page.content())
    screenshot(page, "overview-phone")
