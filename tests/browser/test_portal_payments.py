"""Innbetalinger and Oppgjør in a real browser: an OCR giro file uploaded (htmx, with its
progress bar) and its unmatched payment matched by hand from the queue's suggestion; a
settlement's CSV downloaded and its rows read."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from tests import builders
from tests.browser.conftest import READER, Portal, screenshot, sign_in
from tests.scenarios.bankfiles import Paid, ocr_file
from tests.settled import settled_payment

from fordring import bootstrap
from fordring.services.ports import UnitOfWorkFactory

UNKNOWN_KID = "0000009993"  # a valid MOD10 KID that nothing has: the payment waits


def test_an_ocr_file_is_uploaded_and_an_unmatched_payment_matched_by_hand(
    page: Page, portal: Portal, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    customer = builders.business(uow_factory)
    issued = bootstrap.today() - timedelta(days=5)
    invoice = builders.invoice(uow_factory, customer, on=issued).invoice.number
    day = (bootstrap.today() - timedelta(days=1)).isoformat()
    paid = [Paid("2500.00", UNKNOWN_KID, day), Paid("125.00", UNKNOWN_KID, day)]
    file = ocr_file(tmp_path / "OCR.D061226", paid)

    page.goto(portal.base + "/sign-in")
    sign_in(page, portal)
    page.click("nav >> text=Innbetalinger")
    expect(page).to_have_url(portal.base + "/payments")
    expect(page.locator("p.empty")).to_contain_text("Ingen innbetalinger venter")
    page.set_input_files("#bank-file", str(file))
    page.click("#upload button.primary")
    result = page.locator("#upload-result")
    expect(result).to_contain_text("Importerte OCR.D061226", timeout=15_000)
    expect(result.locator("[data-figure=unmatched]")).to_have_text("2")
    expect(result.locator("[data-figure=total]")).to_have_text("2\xa0625,00")
    page.set_input_files("#bank-file", str(file))  # the same file again: refused, said so
    page.click("#upload button.primary")
    expect(result.locator("[data-refused=seen]")).to_contain_text("importert før", timeout=15_000)

    page.click("nav >> text=Innbetalinger")
    rows = page.locator("table.payments tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(f"Faktura {invoice}")  # the suggestion: same amount
    screenshot(page, "payments")
    rows.first.locator("a").click()
    expect(page.locator("h1")).to_have_text("Innbetaling 1")
    page.check(f"input[name=item][value='{invoice}']")
    screenshot(page, "payment")
    page.click("form.match button.primary")
    expect(page.locator(".done")).to_have_text("Avstemt og bokført.")
    expect(page.locator("dd.status")).to_have_text("Avstemt")
    expect(page.locator("dd.invoices")).to_have_text(str(invoice))
    page.click("text=← Innbetalinger")
    expect(page.locator("table.payments tbody tr")).to_have_count(1)  # the 125.00 waits


def test_a_settlement_csv_is_downloaded_with_its_rows(
    page: Page, portal: Portal, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    kid = settled_payment(uow_factory, tmp_path)
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal, email=READER)  # reading settlements is every role's
    page.click("nav >> text=Oppgjør")
    row = page.locator("table.settlements tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2\xa0500,00")
    row.locator("a").click()
    expect(page.locator("h1")).to_have_text("Oppgjør 1")
    screenshot(page, "settlement")
    with page.expect_download() as downloading:
        page.click("a.csv")
    download = downloading.value
    assert download.suggested_filename == "oppgjor-1.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(lines) >= 2, text
    (paid,) = [line for line in lines if kid in line]
    assert any("2500" in cell for cell in paid), paid
