"""Innstillinger → Brukere in a real browser: an administrator adds a user and disables it;
a read-only user sees its colleagues' names and roles but no action, and is refused if it
posts one anyway."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from tests.browser.conftest import ADMIN, PASSWORD, READER, Portal, screenshot, sign_in


def test_an_administrator_adds_a_user_and_disables_it(page: Page, portal: Portal) -> None:
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal, email=ADMIN)
    page.click("nav >> text=Innstillinger")
    expect(page).to_have_url(portal.base + "/settings/agreement")
    page.click(".settings-tabs >> text=Brukere")
    expect(page).to_have_url(portal.base + "/settings/users")
    expect(page.locator("table.users tbody tr")).to_have_count(3)
    page.fill("#new-name", "Ola Nordmann")
    page.fill("#new-email", "ola@test.no")
    page.select_option("#new-role", "read_only")
    page.fill("#new-password", "kort")
    page.click(".add-user button.primary")
    expect(page.locator(".problem[data-field=password]")).to_contain_text("minst 10 tegn")
    page.fill("#new-password", PASSWORD)
    page.click(".add-user button.primary")
    row = page.locator("table.users tr", has_text="ola@test.no")
    expect(row).to_contain_text("Lesetilgang")
    expect(row).to_contain_text("Aktiv")
    screenshot(page, "settings-users")
    row.locator("button.disable").click()
    expect(page.locator("table.users tr", has_text="ola@test.no")).to_contain_text("Deaktivert")
    own = page.locator("table.users tr", has_text=ADMIN)
    expect(own.locator("button.disable")).to_have_count(0)  # never oneself


def test_a_read_only_user_sees_no_action_and_is_refused_if_it_posts_one(
    page: Page, portal: Portal
) -> None:
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal, email=READER)
    page.goto(portal.base + "/settings/users")
    expect(page.locator("table.users tbody tr")).to_have_count(3)
    expect(page.locator("button.disable")).to_have_count(0)
    expect(page.locator("form.add-user")).to_have_count(0)
    status = page.evaluate(
        """async () => {
            const token = document.querySelector("input[name=csrf_token]").value;
            const body = new URLSearchParams({csrf_token: token, email: "ola@test.no",
                name: "Ola", role: "administrator", password: "et-langt-passord"});
            const answer = await fetch("/portal/settings/users", {method: "POST", body});
            return answer.status;
        }"""
    )
    assert status == 403
    page.reload()
    expect(page.locator("table.users tbody tr")).to_have_count(3)  # nobody added
