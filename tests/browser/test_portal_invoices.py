"""Fakturaer in a real browser: find an invoice by searching, see why it cannot be sent to
collection, and send an eligible one in bulk (choose, confirm, see what happened)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests import builders
from tests.browser.conftest import Portal, screenshot, sign_in

from fordring.services.invoice_portal import ExemptionChange, change_exemption
from fordring.services.ports import UnitOfWorkFactory


@pytest.fixture
def invoices(portal: Portal, uow_factory: UnitOfWorkFactory) -> Portal:
    """Invoices 1-3 of Kari Nordmann; invoice 2 has purrefritak."""
    kari = builders.consumer(uow_factory)
    for _ in range(3):
        builders.invoice(uow_factory, kari)
    exempt = ExemptionChange("invoice", 2, True, "Tvist om leveransen")
    change_exemption(exempt, builders.scope(uow_factory), uow_factory)
    return portal


def test_find_an_invoice_see_why_not_and_send_one_in_bulk(page: Page, invoices: Portal) -> None:
    page.goto(invoices.base + "/sign-in")
    sign_in(page, invoices)
    page.click("nav >> text=Fakturaer")
    expect(page).to_have_url(invoices.base + "/invoices")
    expect(page.locator("table.invoices tbody tr")).to_have_count(3)
    page.fill("#f-q", "2")
    page.click(".invoice-filters button.primary")
    expect(page.locator("table.invoices tbody tr")).to_have_count(1)
    page.click("table.invoices >> text=2")
    expect(page.locator("h1")).to_contain_text("Faktura 2")
    expect(page.locator("section.collection")).to_contain_text("Fakturaen har purrefritak.")
    expect(page.locator("section.collection button.send")).to_have_count(0)
    screenshot(page, "invoice")
    page.click("text=← Fakturaer")
    expect(page.locator("table.invoices tbody tr")).to_have_count(3)
    screenshot(page, "invoices")
    page.check("tr[data-number='1'] input[type=checkbox]")
    page.check("tr[data-number='2'] input[type=checkbox]")
    page.click("button.send-chosen")
    expect(page.locator("main")).to_contain_text("1 av de 2 valgte fakturaene kan sendes")
    expect(page.locator("tr[data-number='2']")).to_contain_text("Fakturaen har purrefritak.")
    screenshot(page, "invoices-send")
    page.click("button.send")
    expect(page.locator("p.outcome")).to_contain_text(
        "Sendt til inkasso: 1 av 1."
    )  # only those it could send are posted
    expect(page.locator("tr[data-number='1']")).to_contain_text("Sendt: sak")
    page.goto(invoices.base + "/invoices?state=in_collection")
    expect(page.locator("table.invoices tbody tr")).to_have_count(1)
    expect(page.locator("tr[data-number='1']")).to_contain_text("I inkasso")
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: the table scrolls
    page.goto(invoices.base + "/invoices")  # inside its own box, the page does not
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
