"""Oversikt and Rapporter over HTTP in-process on both databases (issue 18): the figures
against totals computed here from what the test made, the charts' SVG parsed and its
numbers read back, the CSV rows, the PDF's text, bad input named, and another company's
figures never shown."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from tests import builders
from tests.conftest import Run
from tests.integration.test_portal_pages import EMAIL, PASSWORD, _client, sign_in
from tests.scenarios.bankfiles import Paid, ocr_file
from tests.sql import connection

from fordring import bootstrap
from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.reports import dashboard, performance
from fordring.services.users import NewUser, add_user

with warnings.catch_warnings():  # Starlette would have httpx2 (its client, not ours)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 3, 20)


def bars(svg: str) -> dict[tuple[str, str], str]:
    """(category, series) -> the exact value of each bar of a chart."""
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.find(SVG + "title") is not None and root.find(SVG + "desc") is not None
    return {
        (g.get("data-category", ""), g.get("data-series", "")): g.get("data-value", "")
        for g in root.iter(SVG + "g")
        if g.get("class") == "bar"
    }


def charts_of(html: str) -> list[str]:
    return re.findall(r"<svg .*?</svg>", html, flags=re.S)


@pytest.fixture
def made(run: Run, uow_factory: UnitOfWorkFactory, tmp_path: Path) -> dict[str, object]:
    """Company 923609016: case 1 (invoice 1, 2500.00, due 03-02, sent 03-05) paid in full
    on 03-10; invoice 2 (1000.00, due 03-15) open; invoice 3 (1250.00, due 02-05) open;
    invoice 4 (1250.00) in case 2, credited in full (closed otherwise); a payment of 123.45
    with a KID of nothing, unmatched.
    The other company: a case of its own (invoice 1, 2500.00)."""
    builders.cli_company(run)
    builders.cli_case_1(run)
    for line, day, terms in (
        ("Time;1;800;25", "2026-03-01", "14"),
        ("Time;1;1000;25", "2026-01-22", "14"),
    ):
        done = run(
            "invoice", "create", "--customer", "10000", "--line", line, "--terms", terms, date=day
        )
        assert done.exit_code == 0, done.output
    done = run("payments", "register", "--amount", "2500", "--invoice", "1", date="2026-03-10")
    assert done.exit_code == 0, done.output
    done = run("run", date="2026-03-11")
    assert done.exit_code == 0, done.output
    # invoice 4 (1250.00, due 01-24) in case 2 from 03-12, credited in full on 03-13 (credit
    # note 5): closed otherwise (credited), not paid
    for args, day in (
        (("invoice", "create", "--customer", "10000", "--line", "Time;1;1000;25"), "2026-01-10"),
        (("collection", "send", "4"), "2026-03-12"),
        (("invoice", "credit", "4"), "2026-03-13"),
        # invoice 6 (125.00), in no case, paid in full on 03-16: received, not in collection
        (("invoice", "create", "--customer", "10000", "--line", "Time;1;100;25"), "2026-03-02"),
        (("payments", "register", "--amount", "125", "--invoice", "6"), "2026-03-16"),
    ):
        done = run(*args, date=day)
        assert done.exit_code == 0, done.output
    # a KID of no invoice, in the bank's file: the payment waits in the unmatched queue
    # (recovered on no case)
    unknown = ocr_file(tmp_path / "ocr.txt", [Paid("123.45", "5555555555", "2026-03-12")])
    done = run("payments", "import", str(unknown), date="2026-03-12")
    assert done.exit_code == 0, done.output
    builders.cli_other_company(run)
    builders.cli_case_1(run, builders.OTHER_ORGNR)
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    for orgnr in (builders.ORGNR, builders.OTHER_ORGNR):
        user = NewUser(EMAIL, "Kari Nordmann", "read_only", PASSWORD)
        add_user(user, builders.scope(uow_factory, orgnr), uow_factory, fast)
    return {}


# What `made` made, summed here: the open invoices by days past due on TODAY.
OPEN = {"0-30": Decimal("1000.00"), "31-60": Decimal("1250.00")}  # due 03-15, 02-05


def test_the_figures_are_the_totals_of_what_was_made(
    made: dict[str, object], uow_factory: UnitOfWorkFactory
) -> None:
    figures = dashboard(builders.scope(uow_factory, on=TODAY), uow_factory)
    assert figures.open_total == sum(OPEN.values()) == Decimal("2250.00")
    assert figures.overdue == Decimal("2250.00")  # both past due on 03-20
    assert {k: v for k, v in figures.aging.items() if v} == OPEN
    assert figures.open_items == 2
    # open states only: the two closed cases are not counted (nor read)
    assert "closed" not in figures.cases_by_state and not any(figures.cases_by_state.values())
    assert figures.open_cases == 0 and figures.next_run == {} and figures.held == 0
    assert figures.next_run_day == TODAY  # the last run was 03-11
    march = figures.months[-1]
    assert (march.first, march.recovered, march.settled) == (
        date(2026, 3, 1),
        Decimal("2625.00"),  # on case 1, and on invoice 6 in no case
        Decimal(0),
    )
    assert sum(m.recovered for m in figures.months) == Decimal("2625.00")
    assert (figures.unmatched_payments, figures.unmatched_total) == (1, Decimal("123.45"))
    assert (figures.failed_deliveries, figures.retried_deliveries) == (0, 0)
    done = performance(builders.scope(uow_factory, on=TODAY), date(2026, 3, 1), TODAY, uow_factory)
    # case 2, credited, is closed otherwise: not paid
    assert (done.opened, done.closed_paid, done.closed_otherwise) == (2, 1, 1)
    assert done.recovered == Decimal("2625.00")
    # opened 03-05, closed paid by the run of 03-11 (paid 03-10: the run's day counts)
    assert done.days_to_payment == Decimal("6.0")
    before = performance(
        builders.scope(uow_factory, on=TODAY), date(2026, 2, 1), date(2026, 3, 4), uow_factory
    )
    assert (before.opened, before.closed_paid, before.recovered) == (0, 0, Decimal(0))


def test_the_next_run_leaves_out_paused_objected_and_held_cases(
    made: dict[str, object], uow_factory: UnitOfWorkFactory, run: Run
) -> None:
    """The other company's case 1 (registered, its reminder due) is what its next run
    will look at, until it is paused or objected (a person resumes it), or held for a rate
    (a line of its own)."""
    other = builders.scope(uow_factory, builders.OTHER_ORGNR, on=TODAY)
    figures = dashboard(other, uow_factory)
    assert (figures.next_run, figures.held) == ({"registered": 1}, 0)
    for verb, state in (("pause", "paused"), ("object", "objected")):
        done = run("--company", builders.OTHER_ORGNR, "collection", verb, "1", date="2026-03-20")
        assert done.exit_code == 0, done.output
        figures = dashboard(other, uow_factory)
        assert figures.next_run == {} and figures.cases_by_state[state] == 1, verb
        done = run(
            "--company", builders.OTHER_ORGNR, "collection", "resume", "1", date="2026-03-20"
        )
        assert done.exit_code == 0, done.output
    assert dashboard(other, uow_factory).next_run == {"registered": 1}
    with uow_factory(other) as uow:
        connection(uow).execute(
            text("UPDATE collection_case SET held_reason = 'the rate of 2026 H2', held_on = :d"),
            {"d": TODAY},
        )
        uow.commit()
    figures = dashboard(other, uow_factory)
    assert (figures.next_run, figures.held, figures.open_cases) == ({}, 1, 1)
    # the test company's own (closed) cases are not the other's held one
    assert dashboard(builders.scope(uow_factory, on=TODAY), uow_factory).held == 0


def test_a_failed_delivery_needs_a_person_once_the_retry_is_done_with_it(
    made: dict[str, object], uow_factory: UnitOfWorkFactory
) -> None:
    """A document that failed and was queued again 3 times (AUTO_RETRIES) waits for a
    person; one that failed once the hourly retry still takes; a sent one is neither."""
    scope = builders.scope(uow_factory, on=TODAY)
    with uow_factory(scope) as uow:
        for state, retries in (("failed", 3), ("failed", 1), ("sent", 3)):
            connection(uow).execute(
                text(
                    "INSERT INTO dispatch (company_id, kind, queued_on, state, auto_retries)"
                    " VALUES (:c, 'reminder', :d, :s, :n)"
                ),
                {"c": scope.company_id, "d": TODAY, "s": state, "n": retries},
            )
        uow.commit()
    figures = dashboard(scope, uow_factory)
    assert (figures.failed_deliveries, figures.retried_deliveries) == (1, 1)
    other = dashboard(builders.scope(uow_factory, builders.OTHER_ORGNR, on=TODAY), uow_factory)
    assert (other.failed_deliveries, other.retried_deliveries) == (0, 0)


@pytest.fixture
def client(
    made: dict[str, object], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setattr(bootstrap, "today", lambda: TODAY)
    with _client(database_url) as client:
        assert sign_in(client).status_code == 303
        yield client


def test_the_dashboard_shows_the_figures_and_its_charts(client: TestClient) -> None:
    page = client.get("/portal/")
    assert page.status_code == 200
    text = page.text
    assert 'id="open-total">2\u00a0250,00<' in text and 'id="overdue">2\u00a0250,00<' in text
    assert 'href="/portal/payments"' in text
    unmatched = re.search(r'<li id="unmatched">.*?</li>', text, flags=re.S)
    assert unmatched is not None and "<strong>1</strong> (123,45)" in unmatched.group(0)
    aging, states, months = (bars(svg) for svg in charts_of(text))
    assert aging[("0–30 dager", "Åpent beløp")] == "1000.00"
    assert aging[("31–60 dager", "Åpent beløp")] == "1250.00"
    assert aging[("Ikke forfalt", "Åpent beløp")] == "0.00"
    assert sum(Decimal(v) for v in aging.values()) == Decimal("2250.00")
    assert states[("Registrert", "Antall saker")] == "0"
    assert not any(category == "Avsluttet" for category, _ in states)  # no closed bar
    assert months[("03.2026", "Innbetalt")] == "2625.00"
    assert months[("03.2026", "Oppgjort")] == "0.00"
    assert "2\u00a0625,00" in charts_of(text)[2]  # the value written beside its bar


def test_each_company_sees_its_own_figures_only(
    made: dict[str, object], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same e-mail is a user of both companies: signed in to the other one, its case
    (invoice 1, 2 500,00, in collection, not paid) is all the pages show."""
    monkeypatch.setattr(bootstrap, "today", lambda: TODAY)
    with _client(database_url) as client:
        assert sign_in(client, orgnr=builders.OTHER_ORGNR).status_code == 303
        text = client.get("/portal/").text
        assert 'id="open-total">2\u00a0500,00<' in text and "Annen AS" in text
        aging, states, months = (bars(svg) for svg in charts_of(text))
        assert sum(Decimal(v) for v in aging.values()) == Decimal("2500.00")
        assert states[("Registrert", "Antall saker")] == "1"
        assert "Registrert: <strong>1</strong>" in text  # the next run looks at it
        assert sum(int(v) for v in states.values()) == 1
        assert months[("03.2026", "Innbetalt")] == "0.00"
        got = client.get("/portal/reports/aging.csv")
        rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig")), delimiter=";"))
        assert [r[1] for r in rows[1:]] == ["10000 Kari Nordmann", "Total"]
        assert rows[-1][-1] == "2500.00"


def test_the_reports_page_and_its_csv_and_pdf(client: TestClient, tmp_path: Path) -> None:
    query = "?first=2026-03-01&last=2026-03-20"
    page = client.get("/portal/reports" + query)
    assert page.status_code == 200
    aging, done = (bars(svg) for svg in charts_of(page.text))
    assert sum(Decimal(v) for v in aging.values()) == Decimal("2250.00")
    assert done == {
        ("Åpnet", "Antall saker"): "2",
        ("Avsluttet betalt", "Antall saker"): "1",
        ("Avsluttet ellers", "Antall saker"): "1",
    }
    assert 'id="aging-total">2\u00a0250,00<' in page.text
    got = client.get("/portal/reports/aging.csv" + query)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["as_of", "customer", "items", "not_due", "0-30", "31-60", "61-90", "90+", "total"],
        [*(TODAY.isoformat(), "10000 Kari Nordmann", "2", "0.00", "1000.00", "1250.00"),
         *("0.00", "0.00", "2250.00")],
        [*(TODAY.isoformat(), "Total", "2", "0.00", "1000.00", "1250.00", "0.00", "0.00"),
         "2250.00"],
    ]  # fmt: skip
    assert got.headers["content-disposition"] == 'attachment; filename="aging-2026-03-20.csv"'
    assert "Åpne fordringer per virkedagen 20.03.2026" in page.text
    # no aging "as of" a past day: a day asked for is not read, the aging is today's
    past = client.get("/portal/reports?as_of=2026-02-01")
    assert 'name="as_of"' not in past.text and "virkedagen 20.03.2026" in past.text
    assert 'id="aging-total">2\u00a0250,00<' in past.text
    got = client.get("/portal/reports/performance.csv" + query)
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["2026-03-01", "2026-03-20", "2", "1", "1", "2625.00", "6.0"]
    for name, expected in (
        (
            "aging.pdf",
            ["Aldersfordelt saldoliste", "virkedagen 20.03.2026", "1 000,00", "2 250,00"],
        ),
        ("performance.pdf", ["Inkassoresultat", "2 625,00", "Dager fra åpnet til"]),
    ):
        got = client.get("/portal/reports/" + name + query)
        assert got.status_code == 200 and got.content.startswith(b"%PDF")
        (tmp_path / name).write_bytes(got.content)
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / name), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout.replace("\u00a0", " ")
        for want in expected:
            assert want in text, (name, want, text)


@pytest.mark.parametrize(
    "path", ["/portal/reports", "/portal/reports/aging.csv", "/portal/reports/performance.pdf"]
)
def test_a_bad_day_is_named_and_no_report_is_made(client: TestClient, path: str) -> None:
    got = client.get(path + "?first=2026-13-01")
    assert got.status_code == 422
    assert "Ikke en dato" in got.text and 'aria-invalid="true"' in got.text
    got = client.get(path + "?first=2026-03-20&last=2026-03-01")
    assert got.status_code == 422 and "Periodens første dag er etter den siste." in got.text
    got = client.get(path + "?first=2025-03-19&last=2026-03-20")  # 367 days
    assert got.status_code == 422 and "Perioden er lengre enn ett år." in got.text
    assert 'aria-describedby="first-problem"' in got.text
    got = client.get(path + "?first=2025-03-20&last=2026-03-20")  # 366 days: a year
    assert got.status_code == 200


def test_the_pages_need_a_sign_in(made: dict[str, object], database_url: str) -> None:
    with _client(database_url) as client:
        for path in ("/portal/", "/portal/reports", "/portal/reports/aging.csv"):
            got = client.get(path, follow_redirects=False)
            assert (got.status_code, got.headers["location"]) == (303, "/portal/sign-in")


def test_in_english_the_charts_are_worded_in_english(client: TestClient) -> None:
    client.cookies.set("fordring_lang", "en", path="/portal")
    text = client.get("/portal/").text
    aging, states, months = (bars(svg) for svg in charts_of(text))
    assert aging[("31–60 days", "Open amount")] == "1250.00"
    assert states[("Registered", "Number of cases")] == "0"
    assert months[("03.2026", "Received")] == "2625.00"
    assert 'id="open-total">2\u00a0250,00<' in text  # kroner stay Norwegian
