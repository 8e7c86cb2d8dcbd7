"""The debtor's page in a real browser on a phone: a letter made by the daily run and sent
on paper, its code and PIN read from the PDF's text, the sign-in, and the amounts the page
shows checked against `fordring collection case`."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests import builders
from tests.browser.conftest import screenshot
from tests.browser.debtor import sign_in_debtor

from fordring import bootstrap
from fordring.entrypoints.web.formats import amount
from fordring.services.ports import UnitOfWorkFactory

A = ("--company", builders.ORGNR)
PRINTED = re.compile(r"tilgangskode ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) og PIN (\d{6})")


def code_and_pin(outbox: Path) -> tuple[str, str]:
    """The code and PIN printed on the newest letter in the outbox (its PDFs lie in a
    folder per day: outbox/ORGNR/YYYY-MM-DD/case-1-KIND.pdf), read by pdftotext. An older
    letter's code stops working some time after a newer one replaced it."""
    letters = sorted(outbox.rglob("case-*.pdf"), key=lambda pdf: (pdf.parent.name, pdf.name))
    assert letters, "no letter in the outbox"
    text = subprocess.run(["pdftotext", str(letters[-1]), "-"], capture_output=True, check=True)
    found = PRINTED.search(" ".join(text.stdout.decode().split()))
    assert found, f"{letters[-1].name} prints no code"
    return found.group(1), found.group(2)


@pytest.fixture
def letter_sent(
    uow_factory: UnitOfWorkFactory, run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Company A's case 1 with its reminder and collection notice sent on paper."""
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("FORDRING_OUTBOX", str(outbox))
    builders.company(uow_factory)
    builders.cli_case_1(run)
    ran = run(*A, "run", "--to", "2026-04-08", date="2026-03-05")
    assert ran.exit_code == 0, ran.output
    return outbox


def test_the_debtor_signs_in_on_a_phone_with_the_letters_code_and_sees_what_is_owed(
    letter_sent: Path, debtor_site: str, phone: Page, run: Any
) -> None:
    code, pin = code_and_pin(letter_sent)
    phone.goto(debtor_site + "/")
    expect(phone.locator("h1")).to_have_text("Se saken din")
    screenshot(phone, "debtor-sign-in")
    sign_in_debtor(phone, debtor_site, code, pin)
    expect(phone.locator("h1").first).to_have_text("Sak 1")
    screenshot(phone, "debtor-claim")
    today = bootstrap.today().isoformat()
    shown = run(*A, "collection", "case", "1", date=today)
    assert shown.exit_code == 0, shown.output
    case = json.loads(shown.stdout)
    for name, key in (("fees", "fees_open"), ("salaer", "salaer_open"), ("owed", "owed")):
        expected = amount(Decimal(case[key]))
        expect(phone.locator(f"[data-amount={name}]")).to_have_text(expected)
    expect(phone.locator("[data-pay=kid]")).to_have_text(case["kid"])
    expect(phone.locator("[data-pay=amount]")).to_have_text(amount(Decimal(case["owed"])))
    # made for the phone: nothing wider than the screen
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    cookie = next(c for c in phone.context.cookies() if c["name"] == "fordring_debtor")
    assert cookie["httpOnly"] and cookie["path"] == "/d"


def test_a_wrong_pin_on_the_phone_shows_the_same_refusal_as_an_unknown_code(
    letter_sent: Path, debtor_site: str, phone: Page
) -> None:
    code, pin = code_and_pin(letter_sent)
    wrong = "000000" if pin != "000000" else "111111"
    sign_in_debtor(phone, debtor_site, code, wrong)
    refusal = phone.locator(".problem").inner_text()
    sign_in_debtor(phone, debtor_site, "ZZZZ-ZZZZ-ZZZZ", pin)
    expect(phone.locator(".problem")).to_have_text(refusal)
    assert "Feil kode eller PIN" in refusal
