"""Issue 12, items 2, 7 and 14: an objection stops every deadline and step, and a resumed
case gets its stage's letter again with a new deadline; an objection upheld cancels the
debtor's costs; a time-barred claim is not collected; the legal stage (a new payment
demand after 6 months, the notice under tvangsfullbyrdelsesloven § 4-18).

Most stories hand invoice 1 of 2500.00 (due 03-02) over on Thursday 04-16 with the payment
demand (deadline Thursday 04-30), light salær 300.00, heavy salær due on 05-29."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.builders import cli_company, cli_consumer
from tests.scenarios.story import Story, debtor_case
from tests.scenarios.test_in_collection import COLLECTOR, NOTICE_FEE, handed_over

pytestmark = pytest.mark.e2e


def test_a_case_resumed_in_collection_gets_a_new_demand_and_heavy_salaer_counts_from_it(
    story: Story,
) -> None:
    """Objected on 05-10 (the demand's deadline 04-30 overrun by 10 days), resumed 40 days
    later on 06-19: no heavy salær, though 05-29 passed while objected. The run of 06-19
    sends a new payment demand (deadline 07-03) without new salær; heavy salær comes only
    on 08-01, its deadline overrun by more than 28 days."""
    handed_over(story, *COLLECTOR)
    assert story.days("2026-05-09") == []
    story.ok("collection", "object", "1", "--reason", "Feil beløp", date="2026-05-10")
    assert story.days("2026-06-18") == []  # 05-29 passes while objected
    assert story.ok("collection", "resume", "1", date="2026-06-19")["state"] == "in_collection"
    story.refused("collection", "legal", "1", date="2026-06-19", says="is not sent yet")
    assert story.days("2026-06-19") == [
        ("2026-06-19", 1, "send_stage_letter", "2026-07-03", "0.00"),
    ]
    assert story.days("2026-07-31") == []  # no heavy salær the day after resume, nor later
    assert story.charges() == [NOTICE_FEE, (1, "salaer", "300.00", "2026-04-16")]
    new_demand = story.text("2026-06-19/case-1-payment_demand.pdf")
    assert "Betalingsoppfordring" in new_demand and "Inkassosalær 300,00" in new_demand
    assert "03.07.2026" in new_demand
    assert story.days("2026-08-01") == [("2026-08-01", 1, "heavy_salaer", None, "300.00")]
    assert story.charges()[2:] == [(1, "salaer", "300.00", "2026-08-01")]
    story.ledger_whole()


def test_an_objection_stops_every_step_and_charge_while_it_stands(story: Story) -> None:
    """Objected the day after the hand-over: for half a year nothing happens, no letter, no
    salær, no interest note; the case sleeps until the day its claim is time-barred."""
    handed_over(story, *COLLECTOR)
    story.ok("collection", "object", "1", date="2026-04-17")
    assert story.days("2026-10-31") == []
    assert story.charges() == [NOTICE_FEE, (1, "salaer", "300.00", "2026-04-16")]
    (case,) = story.rows("collection_case")
    assert (case["state"], case["wake_on"].isoformat()) == ("objected", "2029-03-03")
    story.ledger_whole()


def test_an_objection_upheld_closes_the_case_and_cancels_every_cost(story: Story) -> None:
    """Objected on 05-04; on 05-11 the creditor finds the debtor right: the case closes as
    objection_upheld, the notice fee is cancelled (KORR), the salær 300.00 becomes the
    creditor's cost on 7790 (still owed to the collector on 2910), the debtor owes no
    costs; the invoice stays open for the creditor to credit. Nothing follows."""
    handed_over(story, *COLLECTOR)
    story.refused(
        "collection",
        "object-upheld",
        "1",
        date="2026-05-04",
        says="only an objected case",
    )
    story.ok("collection", "object", "1", date="2026-05-04")
    done = story.ok(
        "collection", "object-upheld", "1", "--reason", "Varen var mangelfull", date="2026-05-11"
    )
    assert (done["state"], done["closed_reason"]) == ("closed", "objection_upheld")
    assert [r["closed_reason"] for r in story.rows("collection_case")] == ["objection_upheld"]
    case = story.ok("collection", "case", "1", date="2026-05-11")
    assert (case["fees_open"], case["salaer_open"], case["interest_open"]) == (
        "0.00",
        "0.00",
        "0.00",
    )
    assert case["interest_accrued"] == "0.00" and case["owed"] == "2500.00"
    history = case["history"][-1]
    assert history["kind"] == "object_upheld" and "Varen var mangelfull" in history["text"]
    assert "no costs" in history["text"]
    assert story.days("2026-10-31") == []
    balances = story.balances()
    assert (balances["3900"], balances["7790"], balances["2910"]) == ("0.00", "300.00", "-300.00")
    assert balances["1500"] == "2500.00"
    story.ledger_whole()


def old_invoice(story: Story, *, flow: str = "reminder_first") -> None:
    """Company, consumer 10000 and invoice 1 of 2500.00 issued 2023-02-16, due 2023-03-02:
    time-barred from 2026-03-03 (foreldelsesloven §§ 2, 3, 29)."""
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok("collection", "agreement", "set", f"reminder_flow={flow}")
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2023-02-16"
    )


def test_a_time_barred_claim_is_sent_only_with_the_day_its_limitation_was_interrupted(
    story: Story,
) -> None:
    """On 2026-03-03 the claim due 2023-03-02 is time-barred: check says TIME_BARRED and
    send refuses it; a stated interruption in the future or before the due date is bad
    input; interrupted on 2025-06-10 (a new 3 years run), it is sent and collected."""
    old_invoice(story)
    (found,) = story.ok("collection", "check", "1", date="2026-03-02")
    assert found["eligible"] is True  # the last day of the 3 years
    (found,) = story.ok("collection", "check", "1", date="2026-03-03")
    assert [r["code"] for r in found["reasons"]] == ["TIME_BARRED"]
    assert "2026-03-02" in found["reasons"][0]["text"]
    story.refused("collection", "send", "1", date="2026-03-03", says="TIME_BARRED")
    for bad in ("2026-03-04", "2023-03-01", "not-a-day"):
        story.refused(
            "collection",
            "send",
            "1",
            "--limitation-interrupted",
            bad,
            date="2026-03-03",
            says="limitation-interrupted",
        )
    sent = story.ok(
        "collection", "send", "1", "--limitation-interrupted", "2025-06-10", date="2026-03-03"
    )
    assert [c["case"] for c in sent["cases"]] == [1]
    assert [r["limitation_interrupted_on"] for r in story.rows("case_invoice")] == [
        date(2025, 6, 10)
    ]
    assert story.days("2026-03-03", start="2026-03-03") == [
        ("2026-03-03", 1, "send_reminder", "2026-03-17", "0.00"),
    ]
    story.ledger_whole()


def test_an_objected_case_stops_when_its_claim_becomes_time_barred(story: Story) -> None:
    """Notice (fee 37.50) on 2026-02-20, objected on 02-23; on 03-03 the claim is
    time-barred: the case closes as time_barred, the fee is cancelled (the costs are
    time-barred with the claim, foreldelsesloven § 26), and nothing more happens."""
    old_invoice(story, flow="notice_only")
    story.ok("collection", "send", "1", date="2026-02-20")
    assert [s.step for s in story.days("2026-02-20", start="2026-02-20")] == ["send_notice"]
    story.ok("collection", "object", "1", date="2026-02-23")
    assert story.days("2026-03-10") == [("2026-03-03", 1, "close_time_barred", None, "0.00")]
    (case,) = story.rows("collection_case")
    assert (case["state"], case["closed_reason"]) == ("closed", "time_barred")
    assert story.history(1)[-1] == ("2026-03-03", "close_time_barred")
    view = story.ok("collection", "case", "1", date="2026-03-10")
    assert "2026-03-02" in view["history"][-1]["text"]
    assert (view["fees_open"], view["owed"]) == ("0.00", "2500.00")
    assert story.balances()["3900"] == "0.00"
    assert story.days("2026-12-31") == []
    story.ledger_whole()


def test_an_active_case_stops_before_a_letter_on_a_time_barred_claim(story: Story) -> None:
    """Reminder on 2026-02-20 (deadline 03-06); the claim is time-barred on 03-03, so the
    case closes that day and no notice follows on 03-07."""
    old_invoice(story)
    story.ok("collection", "send", "1", date="2026-02-20")
    assert story.days("2026-03-31", start="2026-02-20") == [
        ("2026-02-20", 1, "send_reminder", "2026-03-06", "0.00"),
        ("2026-03-03", 1, "close_time_barred", None, "0.00"),
    ]
    assert story.letters() == ["2026-02-20/case-1-reminder.pdf"]
    story.ledger_whole()


H2_RATES = """
[[forsinkelsesrente]]
half_year = "2026 H2"
value = 12.00
source = "test: the 2026 H2 rate as the operator adds it"
"""


@pytest.fixture
def h2_rates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator's rates file with the 2026 H2 late-interest rate (not built in)."""
    path = tmp_path / "rates.toml"
    path.write_text(H2_RATES, encoding="utf-8")
    monkeypatch.setenv("FORDRING_RATES_FILE", str(path))


@pytest.mark.usefixtures("h2_rates")
def test_a_new_demand_after_six_months_lets_legal_steps_count_from_it(
    story: Story, tmp_path: Path
) -> None:
    """The demand of 04-16 may be used for legal steps until 10-16 (inkassoloven § 11);
    a new demand is refused up to then. On 10-19 the creditor asks for one: the run sends
    it that day with a new deadline (11-02) and no new salær; legal collection then counts
    its 6 months from 10-19."""
    handed_over(story, *COLLECTOR)
    assert story.days("2026-10-16") == [("2026-05-29", 1, "heavy_salaer", None, "300.00")]
    story.refused(
        "collection", "demand", "1", date="2026-10-16", says="may be used for legal steps until"
    )
    story.refused(
        "collection", "legal", "1", date="2026-10-19", says="send a new payment demand first"
    )
    asked = story.ok("collection", "demand", "1", date="2026-10-19")
    assert (asked["state"], asked["letter_asked_on"]) == ("in_collection", "2026-10-19")
    story.refused("collection", "demand", "1", date="2026-10-19", says="was asked for on")
    assert story.days("2026-11-02") == [
        ("2026-10-19", 1, "send_stage_letter", "2026-11-02", "0.00"),
    ]
    demand = story.text("2026-10-19/case-1-payment_demand.pdf")
    assert "Betalingsoppfordring" in demand and "Inkassosalær 600,00" in demand
    assert [c[1] for c in story.charges()] == ["fee", "salaer", "salaer"]  # nothing new
    claim_file = tmp_path / "claim.json"
    story.refused("collection", "legal", "1", date="2026-11-02", says="deadline has not passed")
    story.ok("collection", "legal", "1", "-o", str(claim_file), date="2026-11-03")
    claim = json.loads(claim_file.read_text(encoding="utf-8"))
    assert (claim["payment_demand"], claim["legal_steps_latest"]) == ("2026-10-19", "2027-04-19")
    story.ledger_whole()


@pytest.mark.usefixtures("h2_rates")
def test_the_notice_of_enforcement_goes_to_a_case_in_legal_collection(
    story: Story, tmp_path: Path
) -> None:
    """A case in collection cannot get the notice of enforcement; once in legal collection
    (05-04) the creditor asks for it on 05-05 and the run sends it that day: "Varsel om
    tvangsfullbyrdelse" with 14 days (05-19), citing tvangsfullbyrdelsesloven § 4-18, the
    claim with its salær, no new cost; then nothing more happens."""
    handed_over(story, *COLLECTOR)
    story.days("2026-05-04")
    story.refused(
        "collection",
        "legal-notice",
        "1",
        date="2026-05-04",
        says="a case that is in_collection cannot get a notice of enforcement",
    )
    story.ok("collection", "legal", "1", "-o", str(tmp_path / "claim.json"), date="2026-05-04")
    story.ok("collection", "legal-notice", "1", date="2026-05-05")
    assert story.days("2026-05-31") == [
        ("2026-05-05", 1, "send_stage_letter", "2026-05-19", "0.00"),
    ]
    notice = story.text("2026-05-05/case-1-enforcement_notice.pdf")
    assert "Varsel om tvangsfullbyrdelse" in notice and "§ 4-18" in notice
    assert "19.05.2026" in notice and "Inkasso AS" in notice and "Inkassosalær 300,00" in notice
    assert story.history(1)[-2:] == [
        ("2026-05-05", "enforcement_notice"),
        ("2026-05-05", "send_stage_letter"),
    ]
    letters = story.ok("collection", "case", "1", date="2026-05-05")["letters"]
    assert letters[-1]["kind"] == "enforcement_notice" and letters[-1]["charged"] == "0.00"
    assert len(story.charges()) == 2  # the notice fee and the light salær
    story.ledger_whole()


def test_a_listed_case_resumed_gets_the_notice_again_and_a_new_list(story: Story) -> None:
    """Listed on 04-08, on the list of Tuesday 04-14 (hand-over Thursday 04-16), objected
    on 04-15 and resumed on 04-20: the case is notified again and gets the notice again
    without a fee (deadline 05-04); it goes on the list of Tuesday 05-05 and is handed
    over on Thursday 05-07, not on the strength of the old list."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *COLLECTOR)
    assert [s.step for s in story.days("2026-04-14", start="2026-03-05")] == [
        "send_reminder",
        "send_notice",
        "put_on_list",
    ]
    story.ok("collection", "object", "1", date="2026-04-15")
    assert story.days("2026-04-19") == []
    assert story.ok("collection", "resume", "1", date="2026-04-20")["state"] == "notified"
    assert story.days("2026-05-07") == [
        ("2026-04-20", 1, "send_stage_letter", "2026-05-04", "0.00"),
        ("2026-05-05", 1, "put_on_list", None, "0.00"),
        ("2026-05-07", 1, "hand_over", "2026-05-21", "300.00"),
    ]
    assert "2026-05-05/collection-list.pdf" in story.letters()
    assert story.charges() == [NOTICE_FEE, (1, "salaer", "300.00", "2026-05-07")]
    story.ledger_whole()


def test_a_stated_interruption_keeps_a_running_case_open(story: Story) -> None:
    """The debtor of the objected case acknowledged the debt on 2026-02-25: the creditor
    states it, and the case is not closed on 03-03; it waits (objected) until the new
    period ends on 2029-02-25. A day after today or before the due date is bad input."""
    old_invoice(story, flow="notice_only")
    story.ok("collection", "send", "1", date="2026-02-20")
    story.days("2026-02-20", start="2026-02-20")
    story.ok("collection", "object", "1", date="2026-02-23")
    interrupt = ("collection", "limitation-interrupted", "1")
    story.refused(*interrupt, "2026-02-27", date="2026-02-26", says="interrupted")
    story.refused(*interrupt, "2023-03-01", date="2026-02-26", says="interrupted")
    done = story.ok(*interrupt, "2026-02-25", "--reason", "Skyldner erkjente", date="2026-02-26")
    assert done["limitation_last_day"] == "2029-02-25"
    assert story.days("2026-12-31") == []
    assert story.state(1) == "objected"
    (case,) = story.rows("collection_case")
    assert case["wake_on"] == date(2029, 2, 26)
    assert story.history(1)[-1] == ("2026-02-26", "limitation_interrupted")
    story.ledger_whole()
