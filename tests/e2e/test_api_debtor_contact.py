"""The API's side of the debtor's page (issue 19) over a real `fordring serve`: the case
detail holds the payments the debtor reported; an answer to the debtor is a role's with
the right to act on cases (403 otherwise, nothing written), added once however often it
is sent, and another company's case is not found."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests import builders
from tests.conftest import Run
from tests.crash import table_rows
from tests.e2e.test_api import World, world  # noqa: F401 (the fixture)

from fordring.domain.api_access import Role
from fordring.services.payment_reports import report_payment
from fordring.services.scope import Scope, debtor

pytestmark = pytest.mark.e2e


def test_the_case_shows_the_report_and_a_finance_key_answers_the_debtor_once(
    world: World,  # noqa: F811
    run: Run,
) -> None:
    w = world
    builders.cli_case_1(run)
    company = builders.scope(w.uow_factory).company_id
    scope = Scope(company, debtor(1), date(2026, 3, 5))
    report_payment(1, date(2026, 3, 4), Decimal("2500"), "nettbank", scope, w.uow_factory)
    case = w.api.call("GET", "/cases/1", w.a[Role.READ_ONLY]).json()
    (report,) = case["payment_reports"]
    assert (report["amount"], report["paid_on"], report["status"]) == (
        "2500.00",
        "2026-03-04",
        "holding",
    )
    assert report["hold_until"] == "2026-03-13"
    before = table_rows(w.database_url)
    for role in (Role.READ_ONLY, Role.API_USER):
        refused = w.api.call("POST", "/cases/1/answers", w.a[role], {"message": "Takk"})
        assert refused.status_code == 403, refused.text
    empty = w.api.call("POST", "/cases/1/answers", w.a[Role.FINANCE_USER], {"message": " "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "message"
    other = w.api.call("POST", "/cases/1/answers", w.b[Role.FINANCE_USER], {"message": "x"})
    assert other.status_code == 404
    assert table_rows(w.database_url) == before
    answers = [
        w.api.call("POST", "/cases/1/answers", w.a[Role.FINANCE_USER], {"message": "Takk"})
        for _ in range(2)
    ]
    assert [(a.status_code, a.json()["added"]) for a in answers] == [(201, True), (201, False)]
    history = w.api.call("GET", "/cases/1", w.a[Role.READ_ONLY]).json()["history"]
    assert [e["kind"] for e in history].count("message_to_debtor") == 1
