"""Issue 12, the collection engine: a missing rate holds one case, not the run; the dry run
shows exactly what the run does; heavy salær only where it is owed; the collection list,
the approval and the run agree.

Rates: the built-in tables end with 2026 H1 (12.00 %); 2026 H2 is not known yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import OTHER_ORGNR, cli_company, cli_consumer
from tests.scenarios.story import Story

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
    assert row["toml"].startswith('[[forsinkelsesrente]]\nhalf_year = "2026 H2"\nvalue = "?"')
    assert "FORDRING_RATES_FILE" in out["missing_rates"]["add_to"]
    assert len(story.rows("run_log")) == 47  # 06-04 to 07-20: every day ran
    assert "2026-07-13/case-2-reminder.pdf" in story.letters()
    cases = {c["case"]: c for c in story.ok("collection", "cases", date="2026-07-20")}
    assert cases[1]["state"] == "listed" and cases[1]["held_on"] == "2026-07-16"
    assert "2026 H2" in cases[1]["held_reason"] and cases[2]["held_reason"] is None
    assert story.history(1)[-1] == ("2026-07-16", "held")  # once, not every day
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


def test_law_rates_missing_lists_what_the_open_cases_will_need(story: Story) -> None:
    """`fordring law rates --missing` on 08-03: case 1 (due 06-01) and case 2 (due 07-06)
    both run into 2026 H2; one row, both cases, with its TOML; none with the rate given."""
    two_cases_across_midsummer(story)
    found = story.ok("law", "rates", "--missing", date="2026-08-03")
    (row,) = found["rows"]
    assert (row["table"], row["period"], row["cases"]) == ("forsinkelsesrente", "2026 H2", [1, 2])
    assert 'half_year = "2026 H2"' in row["toml"]
    assert story.ok("law", "rates", "--missing", date="2026-06-30")["rows"] == []
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
