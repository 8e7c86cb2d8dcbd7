"""The debtor's payment plan page on a phone (issue 19): signed in with the letter's code
and PIN, the debtor proposes 3 instalments (inside the limits: agreed at once, the
instalments listed), and on another case 12 (waiting for the creditor); the first plan's
instalment left unpaid past its reminder's deadline, the page says the plan ended and the
case goes on."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page
from tests import builders
from tests.browser.debtor import sign_in_debtor
from tests.debtor_pages import access_for

from fordring import bootstrap
from fordring.services.ports import UnitOfWorkFactory


def _propose(phone: Page, site: str, count: str) -> str:
    phone.goto(f"{site}/plan")
    phone.fill("#first_date", (bootstrap.today() + timedelta(days=7)).isoformat())
    phone.fill("#count", count)
    phone.click("form.plan-form button.primary")
    phone.wait_for_load_state()
    assert "Se over avtalen" in phone.inner_text("main")  # the preview, nothing sent yet
    phone.click("form.plan-confirm button.primary")
    phone.wait_for_load_state()
    return phone.inner_text("main")


def test_a_plan_is_agreed_at_once_or_waits_on_a_phone(
    phone: Page, debtor_site: str, uow_factory: UnitOfWorkFactory, run: Any
) -> None:
    builders.company(uow_factory)
    builders.cli_case_1(run)
    access = access_for(uow_factory, 1)
    sign_in_debtor(phone, debtor_site, access.code, access.pin)
    shown = _propose(phone, debtor_site, "3")
    assert "Nedbetalingsavtalen er avtalt" in shown
    assert phone.locator("table.instalments tbody tr").count() == 4  # 3 and the total
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page fits the phone's width"
    made = run("invoice", "create", "--customer", "10000", "--line", "Vare;1;400;25")
    assert made.exit_code == 0, made.output
    sent = run("collection", "send", "2", date="2026-05-01")
    assert sent.exit_code == 0, sent.output
    other = access_for(uow_factory, 2)
    phone.context.clear_cookies()
    sign_in_debtor(phone, debtor_site, other.code, other.pin)
    assert "venter på svar fra kreditor" in _propose(phone, debtor_site, "12")
    # nothing paid: the first instalment (a week on) is reminded, then the plan breaks
    today = bootstrap.today()
    later = (today + timedelta(days=45)).isoformat()
    ran = run("--company", builders.ORGNR, "run", "--to", later, date=today.isoformat())
    assert ran.exit_code == 0, ran.output
    phone.context.clear_cookies()
    sign_in_debtor(phone, debtor_site, access.code, access.pin)
    phone.goto(f"{debtor_site}/plan")
    assert "Nedbetalingsavtalen ble avsluttet" in phone.inner_text("main")
    shown = run("collection", "case", "1", date=later)
    assert shown.exit_code == 0, shown.output
    case = json.loads(shown.output)  # resumed where it stood, and the run went on with it
    assert case["state"] not in ("plan", "closed"), case["state"]
    assert [p["state"] for p in case["plans"]][:1] == ["broken"], case["plans"]
