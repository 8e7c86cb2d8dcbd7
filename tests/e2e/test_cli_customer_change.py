"""`fordring customer change`: contact details change, checked like a new customer."""

from __future__ import annotations

import json

import pytest
from tests.builders import cli_company, cli_consumer
from tests.conftest import Run

pytestmark = pytest.mark.e2e


def test_an_address_is_marked_reliable_and_other_details_stay(run: Run) -> None:
    cli_company(run)
    cli_consumer(run)
    before = json.loads(run("customer", "show", "10000").output)
    done = run("customer", "change", "10000", "--email", "kari@kunde.example", "--email-reliable")
    assert done.exit_code == 0, done.output
    after = json.loads(done.output)
    assert after["email"] == "kari@kunde.example" and after["email_reliable"] is True
    # The mark records the day it was set (issue 12: it expires after the agreement's period).
    assert (before["email_reliable_since"], after["email_reliable_since"]) == (None, "2026-03-02")
    marked = ("email", "email_reliable", "email_reliable_since")
    unchanged = {k: v for k, v in after.items() if k not in marked}
    assert unchanged == {k: v for k, v in before.items() if k not in marked}
    off = json.loads(run("customer", "change", "10000", "--email-not-reliable").output)
    assert off["email_reliable"] is False and off["email"] == "kari@kunde.example"
    assert off["email_reliable_since"] is None


def test_a_bad_detail_is_refused_and_nothing_changes(run: Run) -> None:
    cli_company(run)
    cli_consumer(run)
    before = run("customer", "show", "10000").output
    bad = run("customer", "change", "10000", "--email", "not-an-address", "--postcode", "12")
    assert bad.exit_code == 2
    assert "email" in bad.output and "postcode" in bad.output
    # A reliable channel needs an address to be one.
    assert run("customer", "change", "10000", "--email-reliable").exit_code == 2
    assert run("customer", "show", "10000").output == before
    missing = run("customer", "change", "99999", "--email", "a@b.no")
    assert missing.exit_code == 2 and "customer" in missing.output
