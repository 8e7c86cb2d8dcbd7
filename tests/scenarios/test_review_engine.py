"""Issue 12, the collection engine: a missing rate holds one case, not the run; the dry run
shows exactly what the run does; heavy salær only where it is owed; the collection list,
the approval and the run agree.

Rates: the built-in tables end with 2026 H1 (12.00 %); 2026 H2 is not known yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import OTHER_ORGNR, cli_company, cli_consumer
from tests.scenarios.bankfiles import CLIENT_ACCOUNT
from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e

COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")
H2_RATE = """
[[forsinkelsesrente]]
half_year = "2026 H2"
value = 12.00
source = "test: the rate the operator was told"
"""


def two_cases_across_midsummer(story: Story) -> None:
    """Kari's invoice 1 (2500.00, due 06-01) in case 1 from 06-04, and invoice 2 (500.00,
    due 07-06) in case 2 from 07-08; automatic hand-over to Inkasso AS. Case 1: reminder
    06-08, notice 06-23, listed 07-08, the list Tuesday 07-14, hand-over Thursday 07-16
    with a payment demand that claims interest up to 07-16: the 2026 H2 rate. Case 2
    needs no rate: its reminder on 07-13 claims no interest."""
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok("collection", "agreement", "set", "consolidated=no", "automatic_handover=yes")
    story.ok("collection", "agreement", "set", *COLLECTOR)
    line = ("--customer", "10000", "--line")
    story.ok("invoice", "create", *line, "Time;2;1000;25", date="2026-05-18")
    story.ok("invoice", "create", *line, "Time;1;400;25", date="2026-06-22")
    story.ok("collection", "send", "1", date="2026-06-04")
    story.days("2026-07-07", start="2026-06-04")
    story.ok("collection", "send", "2", date="2026-07-08")


def test_a_missing_rate_holds_one_case_and_every_other_case_goes_on(
    story: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`run --to 07-20` finishes every day: case 1 waits from 07-16 with its reason (in
    `collection cases` and its history), case 2 gets its reminder on 07-13; the run lists
    the missing 2026 H2 rate once with the TOML to add. With the rate in the rates file
    (FORDRING_RATES_FILE) the next run hands case 1 over and clears the reason."""
    two_cases_across_midsummer(story)
    out = story.ok("run", "--to", "2026-07-20", date="2026-07-08")
    steps = [(s["day"], s["case"], s["step"]) for s in out["steps"]]
    assert steps == [
        ("2026-07-08", 1, "put_on_list"),
        ("2026-07-13", 2, "send_reminder"),
    ]
    assert [x["cases"] for x in out["collection_lists"]] == [[1]]
    assert out["held"] == [
        {
            "case": 1,
            "since": "2026-07-16",
            "reason": "forsinkelsesrente: no late-interest rate for 2026 H2; add it to the "
            "rates file",
        }
    ]
    (row,) = out["missing_rates"]["rows"]
    assert (row["table"], row["period"], row["cases"]) == ("forsinkelsesrente", "2026 H2", [1])
    assert row["toml"].startswith('[[forsinkelsesrente]]\nhalf_year = "2026 H2"\nvalue = "REPLACE"')
    assert "FORDRING_RATES_FILE" in out["missing_rates"]["add_to"]
    assert len(story.rows("run_log")) == 47  # 06-04 to 07-20: every day ran
    assert "2026-07-13/case-2-reminder.pdf" in story.letters()
    cases = {c["case"]: c for c in story.ok("collection", "cases", date="2026-07-20")}
    assert cases[1]["state"] == "listed" and cases[1]["held_on"] == "2026-07-16"
    assert "2026 H2" in cases[1]["held_reason"] and cases[2]["held_reason"] is None
    assert story.history(1)[-1] == ("2026-07-16", "held")  # once, not every day
    shown = story.ok("collection", "case", "1", date="2026-07-20")
    assert (shown["held_on"], shown["held_reason"]) == ("2026-07-16", cases[1]["held_reason"])
    human = story.run("collection", "cases", date="2026-07-20", json=False).output
    assert "Case 1 waits since 2026-07-16: forsinkelsesrente: no late-interest rate" in human
    # The operator adds the rate; the next run hands case 1 over and releases it.
    rates = tmp_path / "rates.toml"
    rates.write_text(H2_RATE)
    monkeypatch.setenv("FORDRING_RATES_FILE", str(rates))
    out = story.ok("run", "--to", "2026-07-21", date="2026-07-21")
    assert [(s["day"], s["case"], s["step"]) for s in out["steps"]] == [
        ("2026-07-21", 1, "hand_over"),
    ]
    assert out["held"] == [] and out["missing_rates"]["rows"] == []
    assert out["missing_rates"]["rates_file"] == str(rates)
    assert story.history(1)[-2:] == [("2026-07-21", "released"), ("2026-07-21", "hand_over")]
    cases = {c["case"]: c for c in story.ok("collection", "cases", date="2026-07-21")}
    assert (cases[1]["state"], cases[1]["held_reason"]) == ("in_collection", None)
    assert "2026-07-21/case-1-payment_demand.pdf" in story.letters()
    story.ledger_whole()


def test_the_run_without_rates_file_says_where_the_rows_go(story: Story) -> None:
    """The human output names the held case, the missing rate once and the TOML lines."""
    two_cases_across_midsummer(story)
    done = story.run("run", "--to", "2026-07-20", date="2026-07-08", json=False)
    assert done.exit_code == 0, done.output
    text = done.output
    assert "Case 1 waits since 2026-07-16" in text
    assert text.count('half_year = "2026 H2"') == 1
    assert "--rates FILE or FORDRING_RATES_FILE=FILE" in text
    story.ledger_whole()


def test_law_rates_missing_lists_what_the_open_cases_will_need(
    story: Story, tmp_path: Path
) -> None:
    """`fordring law rates --missing` on 08-03: case 1 (due 06-01) and case 2 (due 07-06)
    both run into 2026 H2; one row, both cases, with its TOML; none with the rate given."""
    two_cases_across_midsummer(story)
    found = story.ok("law", "rates", "--missing", date="2026-08-03")
    (row,) = found["rows"]
    assert (row["table"], row["period"], row["cases"]) == ("forsinkelsesrente", "2026 H2", [1, 2])
    assert 'half_year = "2026 H2"' in row["toml"]
    assert story.ok("law", "rates", "--missing", date="2026-06-30")["rows"] == []
    human = story.run("law", "rates", "--missing", date="2026-08-03", json=False).output
    assert "(cases waiting: 1, 2)" in human and human.count('half_year = "2026 H2"') == 1
    rates = tmp_path / "rates.toml"
    rates.write_text(H2_RATE)
    given = story.ok("law", "rates", "--missing", "--rates", str(rates), date="2026-08-03")
    assert (given["rows"], given["rates_file"]) == ([], str(rates))
    story.ledger_whole()


def _predicted(out: dict[str, Any]) -> dict[str, Any]:
    """What a run did, without where it wrote files (a dry run writes none)."""
    lists = [{k: v for k, v in x.items() if k != "pdf"} for x in out["collection_lists"]]
    return {
        "steps": out["steps"],
        "settlements": out["settlements"],
        "invoices_issued": out["invoices_issued"],
        "held": out["held"],
        "collection_lists": lists,
        "missing_rates": out["missing_rates"],
    }


def test_the_dry_run_shows_exactly_the_days_the_run_then_does(story: Story) -> None:
    """`run --to 07-21 --dry-run` from 07-08 shows every day: the listing, the Tuesday
    list, the reminder and the held case, and writes nothing; the real run then does the
    same steps, lists and holds."""
    two_cases_across_midsummer(story)
    before = story.snapshot()
    dry = story.ok("run", "--to", "2026-07-21", "--dry-run", date="2026-07-08")
    assert story.snapshot() == before
    assert dry["dry_run"] and [x["pdf"] for x in dry["collection_lists"]] == [None]
    real = story.ok("run", "--to", "2026-07-21", date="2026-07-08")
    assert _predicted(dry) == _predicted(real)
    assert [s["step"] for s in real["steps"]] == ["put_on_list", "send_reminder"]
    assert real["collection_lists"][0]["pdf"].endswith("2026-07-14/collection-list.pdf")
    story.ledger_whole()


def listed_case(story: Story, *, automatic: str) -> None:
    """Kari's invoice 1 (2500.00, due 03-02) in case 1: reminder 03-09, notice 03-24 with
    deadline Tuesday 04-07, on the list from 04-08; the run has done every day to 04-08."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", f"automatic_handover={automatic}")
    steps = story.days("2026-04-08", start="2026-03-05")
    assert [s.step for s in steps][-1] == "put_on_list"


def test_the_run_says_when_it_made_the_collection_list_and_where_the_pdf_is(
    story: Story,
) -> None:
    """The run of Tuesday 04-14 says it made the list, which case it names, the hand-over
    day it announces and the PDF's place in the outbox (the JSON too: see the dry-run
    story)."""
    listed_case(story, automatic="yes")
    done = story.run("run", "--to", "2026-04-14", date="2026-04-14", json=False)
    assert done.exit_code == 0, done.output
    pdf = story.paper / "2026-04-14" / "collection-list.pdf"
    assert (
        f"2026-04-14: collection list of 1 cases (1), handed over on 2026-04-16 unless "
        f"stopped; the PDF is {pdf}"
    ) in done.output
    assert pdf.exists()
    story.ledger_whole()


def test_a_case_with_no_principal_left_is_not_on_the_collection_list(story: Story) -> None:
    """Kari pays the 2500.00 principal on 04-09, after the case was listed: the interest
    note asks for the fee and interest, and Tuesday's list (04-14) does not name the case
    ("Gjenstår 0,00"): no list is made, and `collection list` is empty."""
    listed_case(story, automatic="yes")
    story.ok("payments", "register", "--amount", "2500", "--invoice", "1", date="2026-04-09")
    steps = story.days("2026-04-20")
    assert [(s.day, s.step) for s in steps] == [("2026-04-09", "send_interest_note")]
    assert "2026-04-14/collection-list.pdf" not in story.letters()
    assert story.ok("collection", "list", date="2026-04-20") == []
    assert story.state(1) == "listed"
    story.ledger_whole()


@pytest.mark.parametrize(
    ("run_first", "handover_on"), [(False, "2026-04-20"), (True, "2026-04-21")]
)
def test_approve_names_the_day_the_run_hands_the_case_over(
    story: Story, run_first: bool, handover_on: str
) -> None:
    """Manual mode, the run done to 04-19: approved on Monday 04-20 before that day's run,
    the run of 04-20 hands the case over; approved after it, the run of 04-21. The approval,
    its history line and the run agree on the day."""
    listed_case(story, automatic="no")
    story.days("2026-04-19")
    if run_first:
        assert story.days("2026-04-20") == []
    approved = story.ok("collection", "approve", "1", date="2026-04-20")
    assert (approved["approved"], approved["handover_on"]) == ([1], handover_on)
    (text,) = [
        e["text"] for e in story.ok("collection", "case", "1")["history"] if e["kind"] == "approved"
    ]
    assert text == f"approved for collection: the run of {handover_on} sends the payment demand"
    steps = story.days("2026-04-22")
    assert [(s.day, s.step) for s in steps] == [(handover_on, "hand_over")]
    story.ledger_whole()


def handed_over(story: Story, *settings: str) -> None:
    """Case 1 (2500.00 due 03-02) handed over on Thursday 04-16 with the payment demand
    (deadline 04-30; heavy salær from 05-29); the run has done every day to 04-16."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *settings)
    steps = story.days("2026-04-16", start="2026-03-05")
    assert [s.step for s in steps][-1] == "hand_over"


def test_no_heavy_salaer_once_the_payments_reach_the_principal(story: Story) -> None:
    """Kari pays the 2 874.49 the demand asked on 05-20; the runs from 04-17 were missed
    and `run --to 06-30` replays them. The payment goes to costs and interest first, so
    27.94 of the principal stays open, but she has paid more than the principal: what is
    left is interest, not principal, and no heavy salær follows on 05-29."""
    handed_over(story, *COLLECTOR)
    story.ok(
        "payments", "register", "--amount", "2874.49", "--kid", "0000000018", date="2026-05-20"
    )
    assert story.days("2026-06-30") == []
    assert [c[1:3] for c in story.charges()] == [
        ("fee", "37.50"),
        ("salaer", "300.00"),
        ("interest", "64.93"),
    ]
    case = story.ok("collection", "case", "1", date="2026-06-30")
    assert (case["state"], case["remaining"], case["salaer_open"]) == (
        "in_collection",
        "27.94",
        "0.00",
    )
    story.ledger_whole()


def test_heavy_salaer_still_comes_when_the_principal_is_not_paid(story: Story) -> None:
    """Kari pays 1 000.00 on 05-20: less than the principal, so on 05-29 heavy salær comes
    on the principal left (1 902.06, band up to 2 500: 0.80 × 750 = 600.00, 300.00 more)."""
    handed_over(story, *COLLECTOR)
    story.ok("payments", "register", "--amount", "1000", "--kid", "0000000018", date="2026-05-20")
    assert story.days("2026-06-30") == [("2026-05-29", 1, "heavy_salaer", None, "300.00")]
    story.ledger_whole()


def test_a_collector_added_later_gets_no_salaer_of_an_own_collection_case(story: Story) -> None:
    """Case 1 was handed over in own collection (the creditor's demand fee, no collector).
    The creditor names Inkasso AS in the agreement on 05-01: case 1 stays its own, and no
    heavy salær comes on 05-29."""
    handed_over(story)
    assert [r["collector_name"] for r in story.rows("collection_case")] == [None]
    story.ok("collection", "agreement", "set", *COLLECTOR, date="2026-05-01")
    assert story.days("2026-06-30") == []
    assert {c[1] for c in story.charges()} == {"fee"}
    assert "2910" not in story.balances()
    story.ledger_whole()


def test_salaer_follows_the_collector_that_had_the_case_at_hand_over(story: Story) -> None:
    """Case 1 was handed to Inkasso AS on 04-16 (recorded on the case); the creditor drops
    the collector from the agreement on 05-01; the case is still Inkasso AS's and heavy
    salær comes on 05-29."""
    handed_over(story, *COLLECTOR)
    (row,) = story.rows("collection_case")
    assert (row["collector_name"], row["collector_orgnr"]) == ("Inkasso AS", OTHER_ORGNR)
    story.ok(
        "collection", "agreement", "set", "collector_name=", "collector_orgnr=", date="2026-05-01"
    )
    assert story.days("2026-06-30") == [("2026-05-29", 1, "heavy_salaer", None, "300.00")]
    story.ledger_whole()


def test_a_small_remainder_after_payment_is_written_off_as_the_creditors_cost(
    story: Story,
) -> None:
    """small_remainder_write_off=50: Kari pays 2 874.49 on 05-20 and 27.94 of principal is
    left; the run that day writes it off as a loss (7830) instead of pursuing it and closes
    the case as written off, with the reason in its history; nothing follows."""
    handed_over(story, *COLLECTOR, "small_remainder_write_off=50")
    story.ok(
        "payments", "register", "--amount", "2874.49", "--kid", "0000000018", date="2026-05-20"
    )
    assert story.days("2026-06-30") == [("2026-05-20", 1, "write_off_remainder", None, "0.00")]
    (row,) = story.rows("collection_case")
    assert (row["state"], row["closed_reason"]) == ("closed", "written_off")
    day, kind = story.history(1)[-1]
    assert (day, kind) == ("2026-05-20", "write_off_remainder")
    text = story.ok("collection", "case", "1", date="2026-06-30")["history"][-1]["text"]
    assert "the remainder 27.94 after payments is below the agreement's 50.00" in text
    assert "principal 27.94 written off as a loss" in text
    balances = story.balances()
    assert (balances["7830"], balances["1500"]) == ("27.94", "0.00")
    story.ledger_whole()


def test_costs_left_after_the_principal_is_paid_are_cancelled_below_the_threshold(
    story: Story,
) -> None:
    """small_remainder_write_off=100: Kari pays the 2 500.00 principal on 03-30 after the
    notice; the 37.50 notice fee left (and the interest not yet claimed) is below 100: the
    fee is cancelled (KORR against 3900), no interest note is sent, the case closes."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "small_remainder_write_off=100")
    story.days("2026-03-29", start="2026-03-05")
    story.ok("payments", "register", "--amount", "2500", "--invoice", "1", date="2026-03-30")
    assert story.days("2026-04-30") == [("2026-03-30", 1, "write_off_remainder", None, "0.00")]
    assert not any("interest_note" in x for x in story.letters())
    balances = story.balances()
    assert (balances["3900"], balances["1500"]) == ("0.00", "0.00")
    assert story.rows("collection_case")[0]["closed_reason"] == "written_off"
    story.ledger_whole()


def test_the_write_off_threshold_is_checked(story: Story) -> None:
    cli_company(story.run)
    story.refused(
        "collection",
        "agreement",
        "set",
        "small_remainder_write_off=-1",
        date="2026-03-02",
        says="small_remainder_write_off",
    )


def test_the_dry_run_shows_the_settlement_and_the_closing_the_run_then_does(
    story: Story,
) -> None:
    """Kari pays 2 875.31 to the collector's client account on Friday 04-17 (after the
    hand-over of 04-16); `run --to 04-21 --dry-run` shows the case closing on 04-17 and
    Monday's settlement, writes nothing, and the run then does exactly that."""
    debtor_case(story, "consumer")
    client = ("pay_to=client_account", f"client_account={CLIENT_ACCOUNT}", *COLLECTOR)
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *client)
    story.days("2026-04-16", start="2026-03-05")
    story.ok(
        "payments",
        "register",
        "--amount",
        "2875.31",
        "--kid",
        "0000000018",
        "--to",
        "client",
        date="2026-04-17",
    )
    before = story.snapshot()
    dry = story.ok("run", "--to", "2026-04-21", "--dry-run", date="2026-04-17")
    assert story.snapshot() == before
    real = story.ok("run", "--to", "2026-04-21", date="2026-04-17")
    assert _predicted(dry) == _predicted(real)
    assert [(s["day"], s["step"]) for s in real["steps"]] == [("2026-04-17", "close_settled")]
    assert [(s["day"], s["received"]) for s in real["settlements"]] == [("2026-04-20", "2875.31")]
    story.ledger_whole()
