"""Oversikt and Rapporter in a real browser (issue 18): the dashboard shows its charts
with the right totals (invoices made here, summed here), and the reports page shows its
charts and offers the CSV and PDF."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Page, expect
from tests import builders
from tests.browser.conftest import Portal, screenshot, sign_in

from fordring.services.charts import number
from fordring.services.ports import UnitOfWorkFactory

SVG_BARS = "svg.chart g.bar"


def test_the_dashboard_shows_its_charts_with_the_right_totals(
    page: Page, portal: Portal, uow_factory: UnitOfWorkFactory
) -> None:
    customer = builders.consumer(uow_factory)
    made = [
        builders.invoice(uow_factory, customer, "Konsulenttime;2;1000;25"),
        builders.invoice(uow_factory, customer, "Konsulenttime;1;1234.56;25"),
    ]
    total = sum((i.total_nok for i in made), Decimal(0))  # both long past due today
    page.goto(portal.base + "/sign-in")
    sign_in(page, portal)
    expect(page.locator("#open-total")).to_have_text(number(total, money=True))
    expect(page.locator("#overdue")).to_have_text(number(total, money=True))
    charts = page.locator(
        "#chart-aging svg.chart, #chart-states svg.chart, #chart-months svg.chart"
    )
    expect(charts).to_have_count(3)
    for chart in charts.all():
        expect(chart.locator("title").first).not_to_be_empty()
        expect(chart.locator("desc")).to_have_count(1)
    aging = page.locator(f"#chart-aging {SVG_BARS}")
    values = [Decimal(v or "0") for v in aging.evaluate_all("gs => gs.map(g => g.dataset.value)")]
    assert sum(values, Decimal(0)) == total
    over_90 = page.locator(f"#chart-aging {SVG_BARS}[data-category='Over 90 dager'] text.value")
    expect(over_90).to_have_text(number(total, money=True))
    assert page.locator("#chart-aging svg.chart").bounding_box()["width"] > 0  # type: ignore[index]
    screenshot(page, "dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    box = page.locator("#chart-aging svg.chart").bounding_box()
    assert box is not None and box["width"] <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("nav >> text=Rapporter")
    expect(page.locator("#aging-total")).to_have_text(number(total, money=True))
    expect(page.locator("#performance-report svg.chart")).to_have_count(1)
    expect(page.locator("a[href*='aging.csv']")).to_have_count(1)
    expect(page.locator("a[href*='performance.pdf']")).to_have_count(1)
    screenshot(page, "reports")
