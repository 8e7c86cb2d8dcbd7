"""Merging claims (issue 12, item 6; Finanstilsynet rundskriv 1/2018): a new claim against a
debtor whose case of the same creditor is in collection joins that case when it is handed
over. Salær is counted once on the combined claim, the debtor gets one payment demand
listing every claim with a new deadline, and the new case's KID still pays the claim.

Kari's invoice 1 of 2500.00 (issued 01-05, due 01-19) is case 1: reminder 01-26, notice
02-10 (fee 37.50, deadline 02-24), on the list of Tuesday 03-03, handed over on Thursday
03-05 with light salær 0.40 × 750 = 300.00 (demand deadline 03-19; heavy salær would come on
04-17). A later invoice 2 is case 2, sent the day after its due date. Inkassosats 750."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fordring.services.payment_reports import report_payment
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope, debtor
from tests.builders import OTHER_ORGNR, cli_company, cli_consumer, scope
from tests.scenarios.story import Step, Story

pytestmark = pytest.mark.e2e

COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")


def two_claims(story: Story, line: str, issued: str, sent: str, *settings: str) -> None:
    """Case 1 as above (with SETTINGS); invoice 2 (LINE) issued on ISSUED, due 14 days
    later, sent to collection on SENT as case 2; the run has done every day up to SENT."""
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *settings)
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2026-01-05"
    )
    story.ok("collection", "send", "1", date="2026-01-20")
    story.days(issued, start="2026-01-20")
    story.ok("invoice", "create", "--customer", "10000", "--line", line, date=issued)
    story.days(sent)
    story.ok("collection", "send", "2", date=sent)


def case_1_handed_over(steps: list[Step], salaer: str) -> None:
    """Case 1 went on the list on 02-25 and was handed over on 03-05 with SALAER."""
    assert [s for s in steps if s.case == 1 and s.day <= "2026-03-05"] == [
        ("2026-02-25", 1, "put_on_list", None, "0.00"),
        ("2026-03-05", 1, "hand_over", "2026-03-19", salaer),
    ]


def kid_of(story: Story, case: int) -> str:
    return str(story.ok("collection", "case", str(case))["kid"])


def test_a_new_claim_joins_the_case_in_collection_with_salaer_once(story: Story) -> None:
    """Invoice 2 of 8000.00 (due 02-23): reminder 03-02, notice 03-17, listed 04-01, handed
    over on Thursday 04-09 into case 1. Salær on the combined 10500.00 is 1.60 × 750 =
    1200.00, less the 300.00 already charged: 900.00. One demand lists both invoices with
    a new deadline 04-23; case 2 closes as merged. Heavy salær counts from the new deadline
    (05-22), not from case 1's old one (04-17): 2 × 1200.00 − 1200.00 = 1200.00 more. A
    payment to case 2's KID pays case 1, which closes."""
    two_claims(story, "Time;8;800;25", "2026-02-09", "2026-02-24", *COLLECTOR)
    steps = story.days("2026-04-08")
    # A dry run of 04-09 shows the merge and changes nothing.
    before = story.snapshot()
    dry = story.ok("run", "--dry-run", "--to", "2026-04-09", date="2026-04-09")["steps"]
    assert [(s["case"], s["step"], s["fee"]) for s in dry] == [
        (1, "merge", "900.00"),
        (2, "merge", "0.00"),
    ]
    assert story.snapshot() == before
    steps += story.days("2026-04-09")
    case_1_handed_over(steps, "300.00")
    assert [s for s in steps if s.case == 2 or s.day > "2026-03-05"] == [
        ("2026-03-02", 2, "send_reminder", "2026-03-16", "0.00"),
        ("2026-03-17", 2, "send_notice", "2026-03-31", "37.50"),
        ("2026-04-01", 2, "put_on_list", None, "0.00"),
        ("2026-04-09", 1, "merge", "2026-04-23", "900.00"),
        ("2026-04-09", 2, "merge", None, "0.00"),
    ]
    assert (story.state(1), story.state(2)) == ("in_collection", "closed")
    cases = {r["number"]: r for r in story.rows("collection_case")}
    assert cases[2]["closed_reason"] == "merged"
    assert cases[2]["merged_into"] == cases[1]["id"]
    assert story.ok("collection", "case", "1")["invoices"] == [1, 2]
    assert story.ok("collection", "case", "2")["invoices"] == []
    assert story.ok("collection", "case", "2")["merged_into"] == 1
    salaer = [c for c in story.charges() if c[1] == "salaer"]
    assert salaer == [(1, "salaer", "300.00", "2026-03-05"), (2, "salaer", "900.00", "2026-04-09")]
    # Both histories name the other case.
    history_1 = story.ok("collection", "case", "1")["history"][-1]
    assert history_1["kind"] == "merge" and "case 2 merged in" in history_1["text"]
    assert "less 300.00 salær already charged on case 1" in history_1["text"]
    history_2 = story.ok("collection", "case", "2")["history"][-1]
    assert history_2["kind"] == "merge" and "merged into case 1" in history_2["text"]
    demand = story.text("2026-04-09/case-1-payment_demand.pdf")
    assert "Betalingsoppfordring" in demand and "Inkasso AS" in demand
    assert "23.04.2026" in demand
    assert "Kravet i sak 2 er slått sammen med denne saken" in demand
    assert "Hovedstol 10 500,00" in demand and "Inkassosalær 1 200,00" in demand
    assert story.letters().count("2026-04-09/case-2-payment_demand.pdf") == 0

    assert [s for s in story.days("2026-05-21") if s.step == "heavy_salaer"] == []
    assert story.days("2026-05-22") == [("2026-05-22", 1, "heavy_salaer", None, "1200.00")]
    assert story.balances()["2910"] == "-2400.00"

    owed = story.ok("collection", "case", "1", date="2026-05-26")["owed"]
    story.ok("payments", "register", "--amount", owed, "--kid", kid_of(story, 2), date="2026-05-26")
    assert story.days("2026-05-26") == [("2026-05-26", 1, "close_settled", None, "0.00")]
    assert story.ok("collection", "case", "1", date="2026-05-26")["owed"] == "0.00"
    story.ledger_whole()


def test_no_more_salaer_when_the_case_in_collection_already_has_heavy_salaer(
    story: Story,
) -> None:
    """Case 1 gets heavy salær on 04-17 (600.00 in all). Invoice 2 of 500.00 (due 03-09) is
    handed over on Thursday 04-23 into case 1: light salær on the combined 3000.00 is
    0.80 × 750 = 600.00, all charged already, so the demand adds none. Heavy salær on the
    combined claim (1200.00) comes 29 days after the new deadline 05-07: 600.00 more."""
    two_claims(story, "Time;1;400;25", "2026-02-23", "2026-03-10", *COLLECTOR)
    steps = story.days("2026-04-23")
    assert ("2026-04-17", 1, "heavy_salaer", None, "300.00") in steps
    assert steps[-2:] == [
        ("2026-04-23", 1, "merge", "2026-05-07", "0.00"),
        ("2026-04-23", 2, "merge", None, "0.00"),
    ]
    history = story.ok("collection", "case", "1")["history"][-1]["text"]
    assert "no more salær" in history and "less 600.00 salær already charged" in history
    demand = story.text("2026-04-23/case-1-payment_demand.pdf")
    assert "Hovedstol 3 000,00" in demand and "Inkassosalær 600,00" in demand
    assert story.days("2026-06-04") == []
    assert story.days("2026-06-05") == [("2026-06-05", 1, "heavy_salaer", None, "600.00")]
    assert story.balances()["2910"] == "-1200.00"
    story.ledger_whole()


def test_no_merge_when_the_earlier_case_is_closed(story: Story) -> None:
    """Kari pays case 1 in full on 03-25; the run closes it. Invoice 2 of 8000.00 is then
    handed over on its own on 04-09 with its own light salær 0.80 × 750 = 600.00."""
    two_claims(story, "Time;8;800;25", "2026-02-09", "2026-02-24", *COLLECTOR)
    case_1_handed_over(story.days("2026-03-24"), "300.00")
    owed = story.ok("collection", "case", "1", date="2026-03-25")["owed"]
    story.ok("payments", "register", "--amount", owed, "--kid", kid_of(story, 1), date="2026-03-25")
    steps = story.days("2026-04-09")
    assert ("2026-03-25", 1, "close_settled", None, "0.00") in steps
    assert steps[-1] == ("2026-04-09", 2, "hand_over", "2026-04-23", "600.00")
    assert (story.state(1), story.state(2)) == ("closed", "in_collection")
    assert [r["merged_into"] for r in story.rows("collection_case")] == [None, None]
    story.ledger_whole()


def test_own_collection_does_not_merge(story: Story) -> None:
    """No collector: case 2 gets the creditor's own payment demand with its demand fee
    3/20 × 750 = 112.50; case 1 is left as it is."""
    two_claims(story, "Time;8;800;25", "2026-02-09", "2026-02-24")
    steps = story.days("2026-04-09")
    case_1_handed_over(steps, "112.50")
    assert steps[-1] == ("2026-04-09", 2, "hand_over", "2026-04-23", "112.50")
    assert (story.state(1), story.state(2)) == ("in_collection", "in_collection")
    story.ledger_whole()


def test_a_case_the_creditor_collects_itself_takes_no_new_claim(story: Story) -> None:
    """Case 1 handed over in own collection (demand fee 112.50, no salær); a collector is
    added to the agreement on 03-06. Case 2 goes to the collector on its own on 04-09 with
    light salær on its own 8000.00 only (0.80 × 750 = 600.00), none on case 1's 2500.00."""
    two_claims(story, "Time;8;800;25", "2026-02-09", "2026-02-24")
    case_1_handed_over(story.days("2026-03-05"), "112.50")
    story.ok("collection", "agreement", "set", *COLLECTOR, date="2026-03-06")
    steps = story.days("2026-04-09")
    assert steps[-1] == ("2026-04-09", 2, "hand_over", "2026-04-23", "600.00")
    assert (story.state(1), story.state(2)) == ("in_collection", "in_collection")
    story.ledger_whole()


def test_two_new_cases_of_one_debtor_handed_over_the_same_day_are_one_case(
    story: Story,
) -> None:
    """Consolidated notices off: invoices 1 (2500.00) and 2 (8000.00) of the same day are
    cases 1 and 2, handed over together on 03-05. Case 2 joins case 1: one demand, light
    salær on 10500.00 = 1200.00 once (not 300.00 + 600.00)."""
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok(
        "collection", "agreement", "set", "automatic_handover=yes", "consolidated=no", *COLLECTOR
    )
    for line in ("Time;2;1000;25", "Time;8;800;25"):
        story.ok("invoice", "create", "--customer", "10000", "--line", line, date="2026-01-05")
    story.ok("collection", "send", "1", "2", date="2026-01-20")
    steps = story.days("2026-03-05", start="2026-01-20")
    assert [s for s in steps if s.day == "2026-03-05"] == [
        ("2026-03-05", 1, "hand_over", "2026-03-19", "1200.00"),
        ("2026-03-05", 2, "merge", None, "0.00"),
    ]
    assert [r["closed_reason"] for r in story.rows("collection_case")] == [None, "merged"]
    demand = story.text("2026-03-05/case-1-payment_demand.pdf")
    assert "Hovedstol 10 500,00" in demand and "Inkassosalær 1 200,00" in demand
    assert Decimal(story.balances()["2910"]) == Decimal("-1200.00")
    story.ledger_whole()


def test_a_new_claim_waits_while_a_reported_payment_holds_the_case_in_collection(
    story: Story, uow_factory: UnitOfWorkFactory
) -> None:
    """As the first story, but case 1's debtor reports a payment on Wednesday 04-08: the
    hold keeps case 1 from a new payment demand and salær, so case 2 waits (tried again
    each day) and joins case 1 only once the hold has run out."""
    two_claims(story, "Time;8;800;25", "2026-02-09", "2026-02-24", *COLLECTOR)
    story.days("2026-04-08")
    company = scope(uow_factory).company_id
    reported_on = date(2026, 4, 8)
    held = report_payment(
        1, reported_on, Decimal("100.00"), "", Scope(company, debtor(1), reported_on), uow_factory
    ).report.hold_until
    assert held is not None
    steps = story.days(held.isoformat())
    merges = [s for s in steps if s.step == "merge"]
    assert merges and all(s.day == held.isoformat() for s in merges)
    assert [s.step for s in steps if s.day < held.isoformat()] == []
    assert (story.state(1), story.state(2)) == ("in_collection", "closed")
