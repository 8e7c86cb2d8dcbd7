"""A case in collection: the payment demand with light salær (or the creditor's own demand
fee), heavy salær on day 43, the interest note after a late payment, the creditor closing
a case in collection, and the hand-over to legal collection.

Most stories hand invoice 1 of 2500.00 (due 03-02) over on Thursday 04-16 with the payment
demand (deadline Thursday 04-30). Interest at the 2026 H1 rate of 12.00 %."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import OTHER_ORGNR, cli_company, cli_consumer
from tests.scenarios.story import Step, Story, debtor_case

pytestmark = pytest.mark.e2e

COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")
DEMAND = "2026-04-16/case-1-payment_demand.pdf"
NOTE = "2026-03-30/case-1-interest_note.pdf"
NOTICE_FEE = (1, "fee", "37.50", "2026-03-24")


def handed_over(story: Story, *settings: str, debtor: str = "consumer") -> Step:
    """Case 1 with automatic hand-over (and SETTINGS): reminder 03-09, notice 03-24 (fee
    37.50), listed 04-08, the list on Tuesday 04-14, in collection on Thursday 04-16; the
    run has done every day up to 04-16. The hand-over step."""
    debtor_case(story, debtor)
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *settings)
    steps = story.days("2026-04-16", start="2026-03-05")
    assert [(s.day, s.step) for s in steps] == [
        ("2026-03-09", "send_reminder"),
        ("2026-03-24", "send_notice"),
        ("2026-04-08", "put_on_list"),
        ("2026-04-16", "hand_over"),
    ]
    assert story.state(1) == "in_collection"
    return steps[-1]


def test_light_salaer_with_the_demand_and_heavy_salaer_on_day_43(story: Story) -> None:
    """Claim 2500.00, in the band up to 2 500: light salær 0.40 × 750 = 300.00 on the demand;
    its deadline 04-30 exceeded by more than 28 days on 05-29 (04-16 + 43 days): heavy
    0.80 × 750 = 600.00, so 300.00 more, booked on 2910, with no letter; then nothing."""
    assert handed_over(story, *COLLECTOR) == ("2026-04-16", 1, "hand_over", "2026-04-30", "300.00")
    assert story.charges() == [NOTICE_FEE, (1, "salaer", "300.00", "2026-04-16")]
    demand = story.text(DEMAND)
    assert "Betalingsoppfordring" in demand and "Inkasso AS" in demand
    assert "Kreditor er Test AS" in demand and "Kari Nordmann" in demand
    assert "Hovedstol 2 500,00 Gebyrer 37,50" in demand
    # 2500.00 × 12 % × 45/365 (03-03 to 04-16) = 36.986… → 36.99
    assert "Forsinkelsesrente 36,99 Inkassosalær 300,00 Å betale 2 874,49" in demand
    # Each period of interest (issue 12, inkassoloven § 10 (2) d), not only today's rate.
    assert "2 500,00 03.03.2026 16.04.2026 45 12,00 % 36,99" in demand
    assert "2 874,49 8601 11 17947 0000000018 30.04.2026" in demand  # amount, account, KID
    assert story.days("2026-05-28") == []  # day 42
    assert story.days("2026-05-29") == [("2026-05-29", 1, "heavy_salaer", None, "300.00")]
    assert story.days("2026-06-30") == []
    assert story.charges()[2:] == [(1, "salaer", "300.00", "2026-05-29")]
    assert story.letters()[-1] == DEMAND  # heavy salær sends no letter
    case = story.ok("collection", "case", "1", date="2026-06-30")
    # 2500.00 × 12 % × 120/365 (03-03 to 06-30) = 98.630… → 98.63
    assert (case["salaer_open"], case["interest_accrued"]) == ("600.00", "98.63")
    assert case["owed"] == "3236.13"  # 2500.00 + 37.50 + 600.00 + 98.63
    assert (story.balances()["2910"], story.balances()["1500"]) == ("-600.00", "3137.50")
    story.ledger_whole()


def test_a_business_debtor_pays_one_and_a_half_times_the_salaer(story: Story) -> None:
    """The same claim against Kunde AS: light 300.00 × 1.5 = 450.00, heavy 600.00 × 1.5 =
    900.00, so 450.00 more on day 43."""
    step = handed_over(story, *COLLECTOR, debtor="business")
    assert step == ("2026-04-16", 1, "hand_over", "2026-04-30", "450.00")
    demand = story.text(DEMAND)
    assert "Kunde AS" in demand and "Inkassosalær 450,00 Å betale 3 024,49" in demand
    assert story.days("2026-06-30") == [("2026-05-29", 1, "heavy_salaer", None, "450.00")]
    assert [c[1:3] for c in story.charges()] == [
        ("fee", "37.50"),
        ("salaer", "450.00"),
        ("salaer", "450.00"),
    ]
    assert story.balances()["2910"] == "-900.00"
    story.ledger_whole()


def test_own_collection_charges_one_demand_fee_per_letter_and_no_salaer(story: Story) -> None:
    """No collector: invoices 1 (2500.00) and 2 (500.00) in one consolidated case; the
    creditor's own demand carries one fee of 3/20 × 750 = 112.50 for the letter (issue 12:
    inkassoforskriften § 1-2, a fee per letter), shared 93.75 + 18.75 pro rata to open
    principal, on 3900; no salær, and no heavy salær follows."""
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok("collection", "agreement", "set", "automatic_handover=yes")
    for amount in ("2000", "400"):
        line = f"Time;1;{amount};25"
        story.ok("invoice", "create", "--customer", "10000", "--line", line, date="2026-02-16")
    story.ok("collection", "send", "1", "2", date="2026-03-05")
    steps = story.days("2026-06-30", start="2026-03-05")
    assert [s for s in steps if s.day >= "2026-04-16"] == [
        ("2026-04-16", 1, "hand_over", "2026-04-30", "112.50"),  # one fee, not 2 × 112.50
    ]
    assert story.charges()[2:] == [
        (1, "fee", "93.75", "2026-04-16"),
        (2, "fee", "18.75", "2026-04-16"),
    ]
    assert {c[1] for c in story.charges()} == {"fee"}
    demand = story.text(DEMAND)
    assert "Betalingsoppfordring" in demand and "Inkassosalær" not in demand
    # The notice's one fee is a fee, the own demand's one fee a collection cost (issue 12).
    assert "Gebyrer 37,50" in demand
    assert "Inndrivingskostnader 112,50" in demand
    assert "Test AS" in demand and "Inkasso AS" not in demand
    balances = story.balances()
    assert balances["3900"] == "-150.00" and "2910" not in balances
    story.ledger_whole()


def paid_principal_after_the_notice(story: Story) -> None:
    """Notice 03-24 (fee 37.50); Kari pays the principal 2500.00 on 03-30; that day's run
    sends the interest note: 2500.00 × 12 % × 28/365 (03-03 to 03-30) = 23.013… → 23.01,
    booked as a charge on 8055. Her notice fee stays open: 60.51 left, to pay by 04-13."""
    debtor_case(story, "consumer")
    story.days("2026-03-29", start="2026-03-05")
    paid = story.ok("payments", "register", "--amount", "2500", "--invoice", "1", date="2026-03-30")
    assert [a["amount"] for a in paid["applied"]] == ["2500.00"]
    assert story.run_on("2026-03-30") == [
        ("2026-03-30", 1, "send_interest_note", "2026-04-13", "23.01"),
    ]
    assert story.charges() == [NOTICE_FEE, (1, "interest", "23.01", "2026-03-30")]
    note = story.text(NOTE)
    assert "Rentenota" in note and "03.03.2026 30.03.2026 28 12,00 % 23,01" in note
    assert "Å betale 60,51" in note and "60,51 8601 11 17947 0000000018 13.04.2026" in note
    case = story.ok("collection", "case", "1", date="2026-03-30")
    assert (case["remaining"], case["fees_open"], case["interest_open"]) == (
        "0.00",
        "37.50",
        "23.01",
    )
    assert story.balances()["8055"] == "-23.01"


def test_interest_note_then_the_creditor_closes_the_claim(story: Story) -> None:
    """The creditor closes the claim on 04-02: the fee and the interest are cancelled (KORR),
    the case is closed as stopped, and no later day does anything."""
    paid_principal_after_the_notice(story)
    assert story.days("2026-04-01") == []
    assert story.ok("collection", "close", "1", date="2026-04-02")["state"] == "closed"
    assert story.history(1)[-1] == ("2026-04-02", "close")
    assert [r["closed_reason"] for r in story.rows("collection_case")] == ["stopped"]
    case = story.ok("collection", "case", "1", date="2026-04-02")
    assert (case["fees_open"], case["interest_open"], case["owed"]) == ("0.00", "0.00", "0.00")
    assert story.days("2026-06-30") == []
    balances = story.balances()
    assert (balances["3900"], balances["8055"], balances["1500"]) == ("0.00", "0.00", "0.00")
    story.ledger_whole()


def test_interest_note_then_the_debtor_pays_the_rest(story: Story) -> None:
    """Kari pays the 60.51 to the KID on 04-03: the run that day closes the case as paid."""
    paid_principal_after_the_notice(story)
    assert story.days("2026-04-02") == []
    story.ok("payments", "register", "--amount", "60.51", "--kid", "0000000018", date="2026-04-03")
    assert story.days("2026-04-03") == [("2026-04-03", 1, "close_settled", None, "0.00")]
    assert [r["closed_reason"] for r in story.rows("collection_case")] == ["paid"]
    balances = story.balances()
    assert (balances["1920"], balances["8055"], balances["3900"]) == ("2560.51", "-23.01", "-37.50")
    story.ledger_whole()


def test_a_replay_closes_the_case_on_the_day_the_rest_was_paid(story: Story) -> None:
    """The runs of 03-31 to 04-02 were missed; Kari pays the 60.51 on 04-03, and then
    `run --to 04-03` replays each day: the case closes on 04-03, not before the payment."""
    paid_principal_after_the_notice(story)
    story.ok("payments", "register", "--amount", "60.51", "--kid", "0000000018", date="2026-04-03")
    assert story.days("2026-04-03") == [("2026-04-03", 1, "close_settled", None, "0.00")]


def test_closing_in_collection_makes_the_salaer_the_creditors_cost(story: Story) -> None:
    """Closed by the creditor on 04-20: the debtor's notice fee is cancelled, the salær
    300.00 is debited to 7790 and still owed to the collector on 2910; no heavy salær
    follows; the invoice itself stays open in the creditor's ledger."""
    handed_over(story, *COLLECTOR)
    assert story.ok("collection", "close", "1", date="2026-04-20")["state"] == "closed"
    assert [r["closed_reason"] for r in story.rows("collection_case")] == ["stopped"]
    case = story.ok("collection", "case", "1", date="2026-04-20")
    assert (case["fees_open"], case["salaer_open"], case["remaining"]) == (
        "0.00",
        "0.00",
        "2500.00",
    )
    assert story.days("2026-06-30") == []
    balances = story.balances()
    assert (balances["3900"], balances["7790"], balances["2910"]) == ("0.00", "300.00", "-300.00")
    assert balances["1500"] == "2500.00"
    (item,) = story.ok("reskontro", date="2026-04-20")
    assert (item["number"], item["open_amount"], item["status"]) == (1, "2500.00", "open")
    story.ledger_whole()


def test_the_legal_claim_of_an_own_collection_keeps_the_demand_fee_apart_from_the_fees(
    story: Story, tmp_path: Path
) -> None:
    """The creditor collects itself: the claim for the conciliation board shows the notice
    fee 37.50 as a fee and the own demand fee 112.50 as collection costs (inndrivings-
    kostnader, forskriften § 1-2 (3)), as the demand did (issue 12); no collector, no
    salær."""
    handed_over(story)
    claim_file = tmp_path / "claim.json"
    story.days("2026-05-04")
    story.ok("collection", "legal", "1", "-o", str(claim_file), date="2026-05-04")
    claim = json.loads(claim_file.read_text(encoding="utf-8"))
    assert (claim["fees"], claim["collection_costs"], claim["salaer"]) == (
        "37.50",
        "112.50",
        "0.00",
    )
    assert claim["collector"] is None
    assert claim["total"] == "2701.78"  # 2500.00 + 37.50 + 112.50 + 51.78 interest
    story.ledger_whole()


def test_legal_collection_after_the_demands_deadline(story: Story, tmp_path: Path) -> None:
    """On the demand's deadline (04-30) legal collection is refused, as it is after 6 months
    (10-17); on 05-04 the case goes to legal and the claim is written; no heavy salær or
    pause follows in legal collection."""
    handed_over(story, *COLLECTOR)
    claim_file = tmp_path / "claim.json"
    legal = ("collection", "legal", "1", "-o", str(claim_file))
    story.days("2026-04-30")
    story.refused(*legal, date="2026-04-30", says="deadline has not passed (it is 2026-04-30)")
    story.refused(*legal, date="2026-10-17", says="legal steps had to start by 2026-10-16")
    assert not claim_file.exists()
    story.days("2026-05-04")
    # A file already there is not overwritten, and the case is not handed over (issue 14, 8).
    claim_file.write_text("the lawyer's notes\n", encoding="utf-8")
    story.refused(*legal, date="2026-05-04", says="claim.json exists; add --force to replace it")
    assert claim_file.read_text(encoding="utf-8") == "the lawyer's notes\n"
    assert story.state(1) == "in_collection"
    story.ok(*legal, "--force", date="2026-05-04")
    assert story.state(1) == "legal" and story.history(1)[-1] == ("2026-05-04", "to_legal")
    claim = json.loads(claim_file.read_text(encoding="utf-8"))
    assert (claim["case"], claim["principal"], claim["fees"], claim["salaer"]) == (
        1,
        "2500.00",
        "37.50",
        "300.00",
    )
    assert [i["invoice"] for i in claim["invoices"]] == [1]
    assert claim["collector"]["orgnr"] == OTHER_ORGNR and claim["debtor"]["business"] is False
    # 2500.00 × 12 % × 63/365 (03-03 to 05-04) = 51.780… → 51.78
    assert (claim["interest"]["rate_percent"], claim["interest"]["accrued"]) == ("12.00", "51.78")
    assert claim["interest"]["from"] == "2026-03-03"  # the day after the due date
    assert claim["total"] == "2889.28"  # 2500.00 + 37.50 + 300.00 + 51.78
    assert [(x["kind"], x["day"], x["deadline"]) for x in claim["letters"]] == [
        ("reminder", "2026-03-09", "2026-03-23"),
        ("collection_notice", "2026-03-24", "2026-04-07"),
        ("payment_demand", "2026-04-16", "2026-04-30"),
    ]
    assert (claim["payment_demand"], claim["legal_steps_latest"]) == ("2026-04-16", "2026-10-16")
    story.refused(
        "collection", "pause", "1", date="2026-05-05", says="a case that is legal cannot pause"
    )
    story.refused(
        "collection",
        "legal",
        "1",
        date="2026-05-05",
        says="a case that is legal cannot go to legal collection",
    )
    assert story.days("2026-06-30") == []
    assert story.state(1) == "legal"
    story.ledger_whole()


@pytest.mark.parametrize("day", ["2026-04-16", "2026-05-29"])
def test_running_a_day_in_collection_again_changes_nothing(story: Story, day: str) -> None:
    """The hand-over day and the heavy salær day, run again (plain, with --to, as a dry
    run): already run, no step, no row and no file changed."""
    handed_over(story, *COLLECTOR)
    story.days(day)
    before = story.snapshot()
    for args in (["run"], ["run", "--to", day], ["run", "--dry-run"]):
        again = story.ok(*args, date=day)
        assert (again["already_run_to"], again["steps"]) == (day, []), args
    assert story.snapshot() == before
    assert [c[2:] for c in story.charges() if c[1] == "salaer"] == [("300.00", "2026-04-16")] + (
        [("300.00", "2026-05-29")] if day == "2026-05-29" else []
    )
    story.ledger_whole()
