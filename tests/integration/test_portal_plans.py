"""Payment plans in the portal (issue 19): a proposal waiting for the creditor is listed and
shown on its case's page with its instalments; accepted from there with a single-use form
(sent again, nothing more happens); a read-only user sees no form and is refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.integration.test_portal_cases import (  # noqa: F401 (fixtures)
    A,
    finance,
    post,
    reader,
    watched,
    world,
)

pytestmark = pytest.mark.integration

PROPOSE = ("collection", "plan", "propose", "1", "--instalments", "3", "--first", "2026-05-04")


@pytest.fixture
def waiting(world: str, run: Any) -> str:  # noqa: F811 (the fixture)
    """Case 1 of company A with a plan of 3 instalments waiting: the agreement gives nobody
    a plan at once."""
    for args in (("collection", "agreement", "set", "plan_automatic=none"), PROPOSE):
        done = run(*A, *args, date="2026-04-20")
        assert done.exit_code == 0, done.output
    return world


def _once(page_text: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', page_text)
    assert found is not None
    return found.group(1)


def test_a_waiting_plan_is_listed_and_accepted_once_from_its_case_page(
    waiting: str,
    finance: Any,  # noqa: F811 (the fixture)
) -> None:
    listed = finance.get("/portal/plans")
    assert listed.status_code == 200 and '<a href="/portal/cases/1">1</a>' in listed.text
    page = finance.get("/portal/cases/1")
    assert "Nedbetalingsavtale" in page.text and "Venter på din avgjørelse" in page.text
    once = _once(page.text)
    done = post(finance, "/cases/1/plan", {"decision": "accept", "once": once})
    assert (done.status_code, done.headers["location"]) == (303, "/portal/cases/1")
    after = finance.get("/portal/cases/1")
    assert "Løper" in after.text and 'name="once"' not in after.text.split("Nedbetaling")[1][:2000]
    before = watched(waiting)
    again = post(finance, "/cases/1/plan", {"decision": "accept", "once": once})
    assert again.status_code == 303 and watched(waiting) == before
    assert "Ingen nedbetalingsavtale venter" in finance.get("/portal/plans").text


def test_a_read_only_user_sees_no_decision_form_and_is_refused(
    waiting: str,
    reader: Any,  # noqa: F811 (the fixture)
) -> None:
    page = reader.get("/portal/cases/1")
    assert "Venter på din avgjørelse" in page.text and "Godta avtalen" not in page.text
    before = watched(waiting)
    refused = post(reader, "/cases/1/plan", {"decision": "accept", "once": "x"})
    assert refused.status_code == 403 and watched(waiting) == before


def test_a_refused_decision_says_why_on_the_case_page(
    waiting: str,
    finance: Any,  # noqa: F811 (the fixture)
) -> None:
    """The proposal is rejected in one tab; accepting it from another (its own form) is
    refused, and the case page says nothing was done instead of saying nothing."""
    first, second = (_once(finance.get("/portal/cases/1").text) for _ in range(2))
    assert post(finance, "/cases/1/plan", {"decision": "reject", "once": first}).status_code == 303
    refused = post(finance, "/cases/1/plan", {"decision": "accept", "once": second})
    assert refused.headers["location"] == "/portal/cases/1?plan_problem=not_found"
    shown = finance.get(refused.headers["location"])
    assert "Ingenting ble gjort: nedbetalingsavtalen kunne ikke avgjøres" in shown.text
