"""Consolidated notices (samlepurring): one debtor's invoices sent to collection on the same
day share one case, one letter per step and one KID, and each letter carries one fee, shared
by the invoices that may carry one (issue 12: inkassoforskriften § 1-2)."""

from __future__ import annotations

import pytest

from tests.builders import cli_company, cli_consumer
from tests.scenarios.story import Story

pytestmark = pytest.mark.e2e

AMOUNTS = ("1000", "400", "250")  # + 25 % VAT: 1250.00, 500.00, 312.50; 2062.50 in all
CASE_KID = "00000000018"  # a case KID: one digit longer than the 10-digit invoice KIDs


def three_invoices(story: Story, *, consolidated: str = "yes") -> None:
    """Kari's invoices 1-3, issued 02-16 and due 03-02, all sent on 03-05; invoice 4 of
    Kari and invoice 5 of Per, both sent too, but on 03-06."""
    cli_company(story.run)
    cli_consumer(story.run)
    cli_consumer(story.run, "Per Hansen")
    story.ok("collection", "agreement", "set", f"consolidated={consolidated}")
    for customer, amount in (*(("10000", a) for a in AMOUNTS), ("10000", "80"), ("10001", "80")):
        line = f"Vare;1;{amount};25"
        story.ok("invoice", "create", "--customer", customer, "--line", line, date="2026-02-16")
    story.ok("collection", "send", "1", "2", "3", date="2026-03-05")
    story.ok("collection", "send", "4", "5", date="2026-03-06")


def test_three_invoices_sent_on_one_day_get_one_notice_one_kid_and_one_fee(
    story: Story,
) -> None:
    """Case 1 holds invoices 1-3 under one case KID: one reminder, then one notice of
    2100.00 carrying one fee of 37.50, booked once on 3900 and shared by the invoices pro
    rata to open principal (22.73 + 9.09 + 5.68), three charges on one voucher.
    Invoice 4 (same debtor, next day) and invoice 5 (another debtor) get cases of their own."""
    three_invoices(story)
    cases = story.ok("collection", "cases")
    assert [(c["case"], c["customer"], c["invoices"], c["kid"]) for c in cases] == [
        (1, 10000, [1, 2, 3], CASE_KID),
        (2, 10000, [4], "0000000042"),
        (3, 10001, [5], "0000000059"),
    ]
    assert cases[0]["principal"] == "2062.50"
    steps = story.days("2026-04-08", start="2026-03-05")
    assert [s for s in steps if s.case == 1] == [
        ("2026-03-09", 1, "send_reminder", "2026-03-23", "0.00"),
        ("2026-03-24", 1, "send_notice", "2026-04-07", "37.50"),  # one fee, not 3 × 37.50
        ("2026-04-08", 1, "put_on_list", None, "0.00"),
    ]
    assert [s.step for s in steps].count("send_notice") == 3  # one per case
    case_one = [name for name in story.letters() if "/case-1-" in name]
    assert case_one == [
        "2026-03-09/case-1-reminder.pdf",
        "2026-03-24/case-1-collection_notice.pdf",
    ]
    charges = [c for c in story.rows("charge") if c["case_id"] == 1]
    assert [(c["invoice_id"], f"{c['amount']:.2f}") for c in charges] == [
        (1, "22.73"),
        (2, "9.09"),
        (3, "5.68"),
    ]
    assert len({c["letter_id"] for c in charges}) == len({c["voucher_id"] for c in charges}) == 1
    (voucher,) = [v for v in story.ok("ledger", "vouchers") if v["text"].endswith("sak 1")]
    assert sorted((p["account"], p["amount"]) for p in voucher["postings"]) == [
        ("1500", "22.73"),
        ("1500", "5.68"),
        ("1500", "9.09"),
        ("3900", "-37.50"),
    ]
    notice = story.text("2026-03-24/case-1-collection_notice.pdf")
    for row in (
        "1 Vare 02.03.2026 1 250,00",
        "2 Vare 02.03.2026 500,00",
        "3 Vare 02.03.2026 312,50",
    ):
        assert row in notice
    for share in ("22,73 0,00", "9,09 0,00", "5,68 0,00"):  # each invoice's share, no interest
        assert share in notice
    assert "Hovedstol 2 062,50" in notice and "Gebyrer 37,50" in notice
    assert "Å betale 2 100,00" in notice and notice.count(CASE_KID) == 1
    assert "0000000018" not in notice.replace(CASE_KID, "")  # not the invoice's own KID
    story.ledger_whole()


def test_one_payment_to_the_case_kid_settles_all_three_invoices_at_no_cost(
    story: Story,
) -> None:
    """After the reminder, the debtor pays 2062.50 to the case KID: the three invoices are
    paid oldest first, the case closes as paid with no fee, while the other two cases go on
    to their notices."""
    three_invoices(story)
    story.days("2026-03-19", start="2026-03-05")
    paid = story.ok(
        "payments", "register", "--amount", "2062.50", "--kid", CASE_KID, date="2026-03-20"
    )
    assert paid["overpayment"] == "0.00"
    assert [a["amount"] for a in paid["applied"]] == ["1250.00", "500.00", "312.50"]
    assert story.days("2026-03-24") == [
        ("2026-03-20", 1, "close_settled", None, "0.00"),
        ("2026-03-24", 2, "send_notice", "2026-04-07", "37.50"),
        ("2026-03-24", 3, "send_notice", "2026-04-07", "37.50"),
    ]
    assert story.ok("collection", "case", "1")["remaining"] == "0.00"
    assert [c["case_id"] for c in story.rows("charge")] == [2, 3]
    assert {c["case"]: c["state"] for c in story.ok("collection", "cases")} == {
        1: "closed",
        2: "notified",
        3: "notified",
    }
    assert story.balances()["1920"] == "2062.50"
    assert story.ledger_whole()["receivables_balance"] == "275.00"  # 2 × (100.00 + 37.50)


def test_without_consolidation_each_invoice_gets_its_own_case_and_letters(
    story: Story,
) -> None:
    """consolidated=no: Kari's three invoices become three cases, each with its invoice's
    KID and its own notice; the fees are the same 37.50 per invoice."""
    three_invoices(story, consolidated="no")
    cases = story.ok("collection", "cases")
    assert [(c["invoices"], c["kid"]) for c in cases[:3]] == [
        ([1], "0000000018"),
        ([2], "0000000026"),
        ([3], "0000000034"),
    ]
    steps = story.days("2026-03-24", start="2026-03-05")
    notices = [s for s in steps if s.step == "send_notice"]
    assert notices == [("2026-03-24", n, "send_notice", "2026-04-07", "37.50") for n in range(1, 6)]
    assert [n for n in story.letters() if n.startswith("2026-03-24/")] == [
        f"2026-03-24/case-{n}-collection_notice.pdf" for n in range(1, 6)
    ]
    assert [c[2] for c in story.charges()] == ["37.50"] * 5
    story.ledger_whole()
