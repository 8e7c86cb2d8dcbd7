"""`fordring recurring add|list|show|stop` end to end on a real database."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from tests import builders
from tests.builders import cli_business, cli_company
from tests.conftest import Run
from tests.snapshot import snapshot

from fordring import bootstrap
from fordring.services.recurring import issue_due

pytestmark = pytest.mark.e2e

RENT = ("--customer", "10000", "--text", "Husleie", "--line", "Husleie;1;12000;0")


@pytest.fixture
def ready(run: Run) -> Run:
    cli_company(run)
    cli_business(run)
    return run


def ok(run: Run, *args: str, date: str = "2026-03-02") -> Any:
    done = run(*args, date=date)
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def issue(database_url: str, day: date) -> None:
    with bootstrap.uow_factory(database_url)(
        builders.scope(bootstrap.uow_factory(database_url))
    ) as uow:
        issue_due(uow, uow.company.current(), day)
        uow.commit()


def test_add_prints_the_agreement_and_its_first_period(ready: Run) -> None:
    data = ok(
        ready,
        "recurring",
        "add",
        *RENT,
        "--line",
        "Parkering;1;500;25",
        "--interval",
        "quarterly",
        "--issue-day",
        "31",
        "--advance",
        "1",
        "--start",
        "2026-04-01",
        "--end",
        "2026-12-31",
        "--terms",
        "10",
    )
    assert {k: data[k] for k in data if k not in ("lines", "issued")} == {
        "number": 1,
        "customer": 10000,
        "customer_name": "Kunde AS",
        "text": "Husleie",
        "interval": "quarterly",
        "issue_day": 31,
        "advance": 1,
        "terms": 10,
        "start": "2026-04-01",
        "end": "2026-12-31",
        "stopped_on": None,
        "status": "active",
        "next_period": "2026-04-01",
        "next_period_end": "2026-06-30",
        "next_issue_on": "2026-04-01",  # March 31 is before the start
        "next_text": "Husleie 2. kvartal 2026",
        "net": "12500.00",
        "vat": "125.00",
        "total": "12625.00",
    }
    assert [line["amount"] for line in data["lines"]] == ["12000.00", "500.00"]
    assert data["issued"] == []


def test_a_bad_agreement_exits_2_naming_each_field_and_writes_nothing(
    ready: Run, database_url: str
) -> None:
    before = snapshot(database_url)
    done = ready(
        "recurring",
        "add",
        "--customer",
        "10000",
        "--text",
        "Husleie",
        "--line",
        "Husleie;1;12000",
        "--interval",
        "weekly",
        "--issue-day",
        "29",
        "--start",
        "2026-03-15",
    )
    assert done.exit_code == 2
    for field in ("line 1: line:", "interval:", "issue_day:", "start:"):
        assert field in done.output
    assert snapshot(database_url) == before
    bad_date = ready("recurring", "add", *RENT, "--start", "1. mars")
    assert bad_date.exit_code == 2
    assert "start: '1. mars' is not a date" in bad_date.output


def test_list_show_and_stop(ready: Run, database_url: str) -> None:
    ok(ready, "recurring", "add", *RENT, "--start", "2026-03-01", "--issue-day", "5")
    ok(ready, "recurring", "add", *RENT, "--interval", "2m", "--start", "2026-05-01")
    listed = ok(ready, "recurring", "list")
    assert [(a["number"], a["interval"], a["next_issue_on"]) for a in listed] == [
        (1, "monthly", "2026-03-05"),
        (2, "2m", "2026-05-01"),
    ]
    issue(database_url, date(2026, 4, 5))
    shown = ok(ready, "recurring", "show", "1")
    assert [(p["period_text"], p["invoice"], p["issue_date"]) for p in shown["issued"]] == [
        ("Husleie mars 2026", 1, "2026-04-05"),
        ("Husleie april 2026", 2, "2026-04-05"),
    ]
    assert (shown["next_period"], shown["next_issue_on"]) == ("2026-05-01", "2026-05-05")
    stopped = ok(ready, "recurring", "stop", "1", "--on", "2026-03-31")
    assert (stopped["status"], stopped["stopped_on"], stopped["next_period"]) == (
        "stopped",
        "2026-03-31",
        None,
    )
    assert [p["invoice"] for p in stopped["issued_after_stop"]] == [2]
    again = ready("recurring", "stop", "1")
    assert again.exit_code == 2
    assert "was stopped on 2026-03-31" in again.output
    by_date = ok(ready, "recurring", "stop", "2", date="2026-08-15")
    assert by_date["stopped_on"] == "2026-08-15"
    assert by_date["next_text"] == "Husleie mai\u2013juni 2026"


def test_show_reads_like_a_summary(ready: Run, database_url: str) -> None:
    ok(ready, "recurring", "add", *RENT, "--start", "2026-03-01", "--advance", "1")
    issue(database_url, date(2026, 3, 1))
    done = ready("recurring", "show", "1", json=False)
    assert done.exit_code == 0, done.output
    assert "Recurring agreement 1: Husleie to 10000 Kunde AS (active)" in done.output
    assert "monthly, issued on day 1 of the month, 1 month(s) ahead" in done.output
    assert "Next: Husleie mai 2026 (2026-05-01 to 2026-05-31), issued 2026-04-01" in done.output
    assert "Husleie april 2026" in done.output
    missing = ready("recurring", "show", "9")
    assert missing.exit_code == 2
    assert "no recurring agreement number 9" in missing.output
