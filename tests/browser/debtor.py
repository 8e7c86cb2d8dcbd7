"""Browser helpers for the debtor's pages: sign in as a letter's reader does (the link
with the code, then the PIN). Fixtures `debtor_site` and `phone` are in conftest.py."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Page


def sign_in_debtor(page: Page, site: str, code: str, pin: str) -> None:
    """Open the letter's link (`site`/?c=<code>: the code is filled in), type the PIN and
    sign in; the page then shows the case (or the sign-in again, refused)."""
    page.goto(f"{site}/?c={quote(code)}")
    page.fill("#pin", pin)
    page.click("button.primary")
    page.wait_for_load_state()
