"""Under behandling and Inkassoliste in a real browser: open a case, pause it and see the
history entry; approve the collection list; another company's case number is not found;
a read-only user sees no action buttons and is refused if it posts one anyway."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests import builders
from tests.browser.conftest import PHONE, READER, Portal, screenshot, sign_in

from fordring.services.ports import UnitOfWorkFactory

A = ("--company", builders.ORGNR)
B = ("--company", builders.OTHER_ORGNR)


@pytest.fixture
def cases(portal: Portal, uow_factory: UnitOfWorkFactory, run: Any) -> Portal:
    """Company A: case 1 on the collection list (its notice and reminder letters) and case
    2 registered; company B (another creditor): cases 1 to 3."""
    builders.cli_case_1(run)
    ran = run(*A, "run", "--to", "2026-04-08", date="2026-03-05")
    assert ran.exit_code == 0, ran.output
    made = run(*A, "invoice", "create", "--customer", "10000", "--line", "Vare;1;400;25")
    assert made.exit_code == 0, made.output
    assert run(*A, "collection", "send", "2", date="2026-04-08").exit_code == 0
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    builders.cli_case_1(run, builders.OTHER_ORGNR)
    for _ in range(2):
        made = run(*B, "invoice", "create", "--customer", "10000", "--line", "Vare;1;100;25")
        assert made.exit_code == 0, made.output
    for number in ("2", "3"):
        assert run(*B, "collection", "send", number, date="2026-04-01").exit_code == 0
    return portal


def test_open_a_case_pause_it_and_see_the_history_entry(page: Page, cases: Portal) -> None:
    page.goto(cases.base + "/sign-in")
    sign_in(page, cases)
    page.click("nav >> text=Under behandling")
    expect(page).to_have_url(cases.base + "/cases")
    expect(page.locator("table.cases tbody tr")).to_have_count(2)
    screenshot(page, "cases")
    page.select_option("#filter-state", "listed")
    page.click(".case-filters button")
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    page.click("table.cases >> text=1")
    expect(page).to_have_url(cases.base + "/cases/1")
    expect(page.locator(".case-head .state")).to_have_text("På inkassolisten")
    expect(page.locator(".letters tbody tr").first).to_contain_text("Last ned")
    screenshot(page, "case")
    page.click(".case-actions >> text=Pause")
    expect(page.locator(".confirm .what")).to_contain_text("Det koster ingenting")
    page.fill("#act-text", "Kunden ringte")
    page.click("button.confirm-action")
    expect(page).to_have_url(cases.base + "/cases/1")
    expect(page.locator(".case-head .state")).to_have_text("Pauset")
    newest = page.locator(".timeline .event").first
    expect(newest).to_contain_text("listed → paused: Kunden ringte")
    expect(newest).to_contain_text("kari@test.no")
    page.set_viewport_size(PHONE)
    page.goto(cases.base + "/cases")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # the table scrolls inside its own box


def test_closing_in_bulk_says_what_it_costs_before_it_is_done(page: Page, cases: Portal) -> None:
    page.goto(cases.base + "/sign-in")
    sign_in(page, cases)
    page.goto(cases.base + "/cases")
    page.check("input[name=case][value='1']")
    page.check("input[name=case][value='2']")
    page.select_option("#bulk-action", "close")
    page.click(".bulk button.primary")
    expect(page.locator(".cost")).to_contain_text("Kostnad ved avslutning")
    screenshot(page, "cases-close-confirm")
    page.click("button.confirm-action")
    expect(page.locator("table.outcomes tr.done")).to_have_count(2)


def test_approve_the_collection_list(page: Page, cases: Portal) -> None:
    page.goto(cases.base + "/sign-in")
    sign_in(page, cases)
    page.click("nav >> text=Inkassoliste")
    expect(page.locator("table.collection-list tbody tr")).to_have_count(1)
    screenshot(page, "collection-list")
    page.check("input[name=case][value='1']")
    page.click("button.approve-chosen")
    expect(page.locator("p.done")).to_contain_text("Godkjent: 1 sak(er).")
    page.goto(cases.base + "/cases/1")
    expect(page.locator(".timeline .event").first).to_contain_text("approved for collection")


def test_another_companys_case_number_is_not_found(page: Page, cases: Portal) -> None:
    page.goto(cases.base + "/sign-in")
    sign_in(page, cases)
    answer = page.goto(cases.base + "/cases/3")
    assert answer is not None and answer.status == 404
    expect(page.locator("h1")).to_have_text("Finnes ikke")


def test_a_read_only_user_sees_no_action_buttons_and_is_refused_if_it_posts_one(
    page: Page, cases: Portal
) -> None:
    page.goto(cases.base + "/sign-in")
    sign_in(page, cases, email=READER)
    page.goto(cases.base + "/cases/1")
    expect(page.locator(".case-head .state")).to_have_text("På inkassolisten")
    expect(page.locator(".case-actions")).to_have_count(0)
    page.goto(cases.base + "/cases")
    expect(page.locator("input[name=case]")).to_have_count(0)
    page.goto(cases.base + "/collection-list")
    expect(page.locator("button.approve-all")).to_have_count(0)
    status = page.evaluate(
        """async () => {
            const token = document.querySelector("input[name=csrf_token]").value;
            const body = new URLSearchParams({csrf_token: token, action: "pause", case: "1"});
            const answer = await fetch("/portal/cases/act", {method: "POST", body});
            return answer.status;
        }"""
    )
    assert status == 403
    page.goto(cases.base + "/cases/1")
    expect(page.locator(".case-head .state")).to_have_text("På inkassolisten")  # unchanged
