"""The invoice prints the debtor's page when the agreement says so (issue 19, decision
0016): with `invoice_debtor_access` on, an invoice sent on paper prints the page's
address, a code and a PIN; off (the default) it prints none. The code signs the debtor in
to the invoice while it has no case (what is left, where to pay) and to its case once it
is sent to collection; printed again the invoice shows the code masked, never the PIN."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from tests import builders
from tests.debtor_pages import debtor_client, post_sign_in
from tests.integration.test_debtor_letters import CODE, column, pdf_text

from fordring.adapters.db.engine import normalise_url
from fordring.domain.debtor_access import masked_pin
from fordring.services.debtor_access import forget_old_access, invoice_access
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import COMMAND_LINE, Scope

pytestmark = pytest.mark.integration

A = ("--company", builders.ORGNR)
ADDRESS = "https://inkasso.example.no/d"
On = Callable[..., Any]


@pytest.fixture
def outbox(
    uow_factory: UnitOfWorkFactory, run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Company A with consumer 10000 (on paper) and invoice 1 (2500.00, due 2026-03-02)
    not yet sent."""
    folder = tmp_path / "outbox"
    monkeypatch.setenv("FORDRING_OUTBOX", str(folder))
    monkeypatch.setenv("FORDRING_PUBLIC_URL", "https://inkasso.example.no/")
    builders.company(uow_factory)
    builders.cli_consumer(lambda *args, **kw: run(*A, *args, **kw))
    made = run(
        *A,
        "invoice",
        "create",
        "--customer",
        "10000",
        "--line",
        "Time;2;1000;25",
        date="2026-02-16",
    )
    assert made.exit_code == 0, made.output
    return folder


def _agreement(run: On, value: str) -> None:
    done = run(*A, "collection", "agreement", "set", f"invoice_debtor_access={value}")
    assert done.exit_code == 0, done.output


def _send(
    run: On, outbox: Path, number: int, day: str = "2026-02-16", kind: str = "invoice"
) -> str:
    """Send invoice `number` on paper; the text of its PDF in the outbox."""
    done = run(*A, "invoice", "send", str(number), date=day)
    assert done.exit_code == 0, done.output
    found = list(outbox.rglob(f"{kind}-{number}.pdf"))
    assert len(found) == 1, list(outbox.rglob("*"))
    pdf = found[0]
    return pdf_text(pdf)


def test_by_default_an_invoice_prints_no_code_and_none_is_issued(
    outbox: Path, run: On, database_url: str
) -> None:
    text = _send(run, outbox, 1)
    assert "Faktura" in text and "tilgangskode" not in text and ADDRESS not in text
    assert column(database_url, "SELECT count(*) FROM debtor_access") == [0]


def test_an_invoice_prints_the_page_a_code_and_a_pin_that_lead_to_the_invoice(
    outbox: Path, run: On, database_url: str
) -> None:
    _agreement(run, "yes")
    text = _send(run, outbox, 1)
    assert ADDRESS in text, text
    found = CODE.search(text)
    assert found is not None, text
    code, pin = found.group(1), found.group(2)
    assert re.fullmatch(r"\d{8}", pin)
    # sent: only the hashes stay, the code and PIN are no longer kept to print
    assert column(database_url, "SELECT pin_to_print FROM debtor_access") == [None]
    assert column(database_url, "SELECT code_to_print FROM debtor_access") == [None]
    assert column(database_url, "SELECT case_id FROM debtor_access") == [None]
    with debtor_client(database_url) as client:
        assert post_sign_in(client, code, pin).status_code == 303
        claim = client.get("/d/", follow_redirects=False)
        assert claim.status_code == 303 and claim.headers["location"].endswith("/d/invoice")
        # the case's pages are not the invoice's: each sends the debtor to the invoice
        for path in ("/d/paid", "/d/messages", "/d/objection", "/d/plan", "/d/letters/1.pdf"):
            other = client.get(path, follow_redirects=False)
            assert other.headers["location"].endswith("/d/invoice"), path
        page = client.get("/d/invoice")
        assert page.status_code == 200, page.text
        assert "Faktura 1" in page.text
        assert 'data-amount="open">2\u00a0500,00' in page.text
        assert "Test AS" in page.text  # who sent it
        kid = column(database_url, "SELECT kid FROM invoice WHERE number = 1")[0]
        assert f'data-pay="kid">{kid}<' in page.text


def test_the_invoice_printed_again_shows_the_code_masked_and_no_pin(
    outbox: Path, run: On, tmp_path: Path
) -> None:
    _agreement(run, "yes")
    sent = _send(run, outbox, 1)
    found = CODE.search(sent)
    assert found is not None
    again = tmp_path / "again.pdf"
    done = run(*A, "invoice", "pdf", "1", "-o", str(again))
    assert done.exit_code == 0, done.output
    text = pdf_text(again)
    assert "tilgangskode" in text and masked_pin() in text
    assert found.group(1) not in text and found.group(2) not in text


def test_a_credit_note_gets_no_code(outbox: Path, run: On, database_url: str) -> None:
    _agreement(run, "yes")
    credited = run(*A, "invoice", "credit", "1", date="2026-02-17")
    assert credited.exit_code == 0, credited.output
    text = _send(run, outbox, 2, "2026-02-17", "credit-note")
    assert "tilgangskode" not in text
    assert column(database_url, "SELECT count(*) FROM debtor_access") == [0]


def test_once_the_invoice_is_in_a_case_its_code_leads_to_the_case(
    outbox: Path, run: On, database_url: str
) -> None:
    _agreement(run, "yes")
    found = CODE.search(_send(run, outbox, 1))
    assert found is not None
    with debtor_client(database_url) as client:
        assert post_sign_in(client, found.group(1), found.group(2)).status_code == 303
        assert client.get("/d/invoice").status_code == 200
        sent = run(*A, "collection", "send", "1", date="2026-03-05")
        assert sent.exit_code == 0, sent.output
        # the open session is the case's now: the invoice's page sends it to the case
        moved = client.get("/d/invoice", follow_redirects=False)
        assert moved.status_code == 303 and moved.headers["location"].endswith("/d/")
        assert "Sak 1" in client.get("/d/").text
    with debtor_client(database_url) as client:  # and a new sign-in with it
        assert post_sign_in(client, found.group(1), found.group(2)).status_code == 303
        assert "Sak 1" in client.get("/d/").text


def test_a_paid_invoice_s_code_signs_nobody_in(outbox: Path, run: On, database_url: str) -> None:
    _agreement(run, "yes")
    found = CODE.search(_send(run, outbox, 1))
    assert found is not None
    credited = run(*A, "invoice", "credit", "1", date="2026-02-17")  # nothing left to pay
    assert credited.exit_code == 0, credited.output
    with debtor_client(database_url) as client:
        assert post_sign_in(client, found.group(1), found.group(2)).status_code == 401


def test_a_recurring_invoice_the_daily_run_issues_prints_a_code_when_the_agreement_says_so(
    outbox: Path, run: On, database_url: str
) -> None:
    _agreement(run, "yes")
    rent = ("--customer", "10000", "--text", "Husleie", "--line", "Husleie;1;12000;0")
    added = run(*A, "recurring", "add", *rent, "--start", "2026-03-01", date="2026-02-20")
    assert added.exit_code == 0, added.output
    ran = run(*A, "run", "--to", "2026-03-02", date="2026-03-02")
    assert ran.exit_code == 0, ran.output
    issued = [p for p in outbox.rglob("invoice-*.pdf") if p.name != "invoice-1.pdf"]
    assert issued, list(outbox.rglob("*"))
    found = CODE.search(pdf_text(issued[0]))
    assert found is not None
    assert column(database_url, "SELECT count(*) FROM debtor_access") == [len(issued)]
    with debtor_client(database_url) as client:
        assert post_sign_in(client, found.group(1), found.group(2)).status_code == 303
        assert "Faktura 2" in client.get("/d/invoice").text


def _sql(database_url: str, statement: str) -> None:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def test_the_daily_tidying_forgets_the_pin_of_a_paid_invoice_and_of_a_closed_case_s(
    outbox: Path, run: On, database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    """Kept to print (as if not yet sent): invoice 1 credited forgets its PIN at once,
    invoice 2 keeps it while open, and forgets it once its case is closed."""
    _agreement(run, "yes")
    second = run(*A, "invoice", "create", "--customer", "10000", "--line", "Time;1;1000;25")
    assert second.exit_code == 0, second.output
    _send(run, outbox, 1)
    _send(run, outbox, 2)
    _sql(database_url, "UPDATE debtor_access SET pin_to_print = '12345678', code_to_print = 'X'")
    kept = "SELECT i.number FROM debtor_access a JOIN invoice i ON i.id = a.invoice_id" + (
        " WHERE a.pin_to_print IS NOT NULL ORDER BY i.number"
    )
    soon = datetime(2026, 2, 18, tzinfo=UTC)  # well within the 30 days
    assert forget_old_access(uow_factory, soon) == 0
    assert column(database_url, kept) == [1, 2]
    credited = run(*A, "invoice", "credit", "1", date="2026-02-17")
    assert credited.exit_code == 0, credited.output
    assert forget_old_access(uow_factory, soon) == 1
    assert column(database_url, kept) == [2]
    nulls = "SELECT count(*) FROM debtor_access WHERE code_to_print IS NULL"
    assert column(database_url, nulls) == [1]  # the whole code too
    sent = run(*A, "collection", "send", "2", date="2026-03-20")
    assert sent.exit_code == 0, sent.output
    assert forget_old_access(uow_factory, soon) == 0  # its case is open
    closed = run(*A, "collection", "close", "1", "--reason", "betalt direkte", date="2026-03-21")
    assert closed.exit_code == 0, closed.output
    assert forget_old_access(uow_factory, soon) == 1
    assert column(database_url, kept) == []


def test_an_invoice_in_another_currency_names_the_currency_of_every_amount(
    outbox: Path, run: On, database_url: str
) -> None:
    """The invoice's total is in its currency, what is left to pay in NOK (the open item):
    the page says which is which, and the amount to pay is never a bare number."""
    _agreement(run, "yes")
    line = ("--line", "Time;2;1000;25")
    euro = ("--currency", "EUR", "--exchange-rate", "11.5")
    made = run(*A, "invoice", "create", "--customer", "10000", *line, *euro, date="2026-02-16")
    assert made.exit_code == 0, made.output
    found = CODE.search(_send(run, outbox, 2))
    assert found is not None
    with debtor_client(database_url) as client:
        assert post_sign_in(client, found.group(1), found.group(2)).status_code == 303
        page = " ".join(client.get("/d/invoice").text.replace("\u00a0", " ").split())
    assert 'data-invoice="total">2 500,00 EUR<' in page
    assert 'data-invoice="total-nok">28 750,00 NOK<' in page
    assert 'data-amount="open">28 750,00 NOK<' in page
    assert 'data-pay="amount">28 750,00</span>' in page and "Kopier</button></span> NOK" in page
    assert "Fakturaen er i EUR" in page and "11,50 NOK per EUR" in page


def test_an_invoice_sent_before_the_setting_was_on_gets_no_code_when_sent_again(
    outbox: Path, run: On, database_url: str
) -> None:
    """Queued once: its delivery never prints a code issued later, so none is issued (nor
    kept in clear for 30 days); sending an invoice twice in one command issues one."""
    text = _send(run, outbox, 1)
    assert "tilgangskode" not in text
    _agreement(run, "yes")
    again = run(*A, "invoice", "send", "1", date="2026-02-17")
    assert again.exit_code == 0, again.output
    assert column(database_url, "SELECT count(*) FROM debtor_access") == [0]
    second = run(*A, "invoice", "create", "--customer", "10000", "--line", "Time;1;1000;25")
    assert second.exit_code == 0, second.output
    twice = run(*A, "invoice", "send", "2", "2", date="2026-02-17")
    assert twice.exit_code == 0, twice.output
    assert column(database_url, "SELECT count(*) FROM debtor_access") == [1]
    assert column(database_url, "SELECT count(*) FROM dispatch") == [2]


def test_an_invoice_has_one_code_whatever_asks_for_more(
    outbox: Path, run: On, database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    """The repository keeps an invoice's first code; the database's unique index refuses a
    second one written beside it (two sends at once on PostgreSQL)."""
    invoice_id = column(database_url, "SELECT id FROM invoice WHERE number = 1")[0]
    company_id = column(database_url, "SELECT company_id FROM invoice WHERE number = 1")[0]
    day, key = date(2026, 2, 16), b"k" * 32
    with uow_factory(Scope(company_id, COMMAND_LINE, day)) as uow:
        given = uow.debtor_access.add_for_invoices(
            [invoice_access(invoice_id, day, key), invoice_access(invoice_id, day, key)]
        )
        assert given == [invoice_id]
        assert uow.debtor_access.add_for_invoices([invoice_access(invoice_id, day, key)]) == []
        uow.commit()
    assert column(database_url, "SELECT count(*) FROM debtor_access") == [1]
    with pytest.raises(IntegrityError):
        _sql(
            database_url,
            "INSERT INTO debtor_access (company_id, invoice_id, code_hash, pin_salt, pin_hash,"
            f" issued_at, failed_attempts, wrong_total) VALUES ({company_id}, {invoice_id},"
            f" '{'d' * 64}', '{'s' * 32}', '{'p' * 64}', '2026-02-16', 0, 0)",
        )


def test_wrong_pins_lock_an_invoice_s_code_with_the_answer_any_refusal_gets(
    outbox: Path, run: On, database_url: str
) -> None:
    _agreement(run, "yes")
    found = CODE.search(_send(run, outbox, 1))
    assert found is not None
    code, pin = found.group(1), found.group(2)
    wrong = "00000000" if pin != "00000000" else "11111111"
    with debtor_client(database_url) as client:
        unknown = post_sign_in(client, "ZZZZ-ZZZZ-ZZZZ", pin)
        for _ in range(5):  # FORDRING_DEBTOR_MAX_TRIES
            refused = post_sign_in(client, code, wrong)
            assert refused.status_code == 401 and refused.text == unknown.text
        locked = post_sign_in(client, code, pin)
        assert locked.status_code == 401 and locked.text == unknown.text
        assert client.get("/d/invoice", follow_redirects=False).status_code == 303
    assert column(database_url, "SELECT count(*) FROM debtor_session") == [0]
    assert column(database_url, "SELECT wrong_total FROM debtor_access") == [5]
