"""Issue 12, the law tables in the daily run: the salær's VAT addition follows the
company's VAT registration (forskriften § 2-2), and standard compensation for business
debtors (forsinkelsesrenteloven § 3 a), deducted from salær.

Each story hands invoice 1 of 2500.00 (due 03-02) over on Thursday 04-16: reminder 03-09,
notice 03-24, listed 04-08, the list on Tuesday 04-14. Inkassosats 750 (2026)."""

from __future__ import annotations

import pytest

from tests.builders import (
    OTHER_ORGNR,
    cli_business,
    cli_company,
    cli_consumer,
)
from tests.scenarios.story import Story

pytestmark = pytest.mark.e2e

COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")


def company_without_vat(story: Story) -> None:
    """Test AS added with --no-vat: outside the VAT register, it cannot deduct VAT."""
    cli_company(story.run, "--no-vat")


def handed_over_from(story: Story, *settings: str) -> list[tuple[str, int, str, str | None, str]]:
    """A consumer's invoice 1 of 2500.00 without VAT, sent to collection on 03-05, handed
    over on 04-16 with SETTINGS; the run's steps."""
    cli_consumer(story.run)
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *settings)
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;2;1250;0", date="2026-02-16"
    )
    story.ok("collection", "send", "1", date="2026-03-05")
    return [tuple(s) for s in story.days("2026-04-16", start="2026-03-05")]  # type: ignore[misc]


def test_a_company_outside_the_vat_register_gets_salaer_plus_25_percent(story: Story) -> None:
    """Claim 2500.00, band up to 2 500: light salær 0.40 × 750 = 300.00, + 25 % because the
    creditor cannot deduct VAT on the collector's salær: 375.00 on the demand."""
    company_without_vat(story)
    steps = handed_over_from(story, *COLLECTOR)
    assert steps[-1] == ("2026-04-16", 1, "hand_over", "2026-04-30", "375.00")
    assert story.charges()[-1] == (1, "salaer", "375.00", "2026-04-16")
    history = story.ok("collection", "case", "1")["history"]
    assert "creditor cannot deduct VAT: + 25 %" in history[-1]["text"]
    story.ledger_whole()


def test_salaer_caps_are_rounded_down_through_the_run(story: Story) -> None:
    """Kunde AS owes 500.00 to a company outside the VAT register: light 0.25 × 750 × 1.5 ×
    1.25 = 351.5625 → 351.56; heavy 0.50 × 750 × 1.5 × 1.25 = 703.125 → 703.12 (never
    703.13), so 351.56 more on day 43."""
    company_without_vat(story)
    cli_business(story.run)
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *COLLECTOR)
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;1;500;0", date="2026-02-16"
    )
    story.ok("collection", "send", "1", date="2026-03-05")
    steps = story.days("2026-04-16", start="2026-03-05")
    assert steps[-1] == ("2026-04-16", 1, "hand_over", "2026-04-30", "351.56")
    assert story.days("2026-05-29") == [("2026-05-29", 1, "heavy_salaer", None, "351.56")]
    assert story.balances()["2910"] == "-703.12"
    story.ledger_whole()


def test_an_agreement_override_says_the_claims_come_from_vat_liable_business(
    story: Story,
) -> None:
    """The same company with claims_from_vat_business=yes: no addition, 300.00."""
    company_without_vat(story)
    steps = handed_over_from(story, *COLLECTOR, "claims_from_vat_business=yes")
    assert steps[-1] == ("2026-04-16", 1, "hand_over", "2026-04-30", "300.00")
    story.ledger_whole()


def business_with_compensation(story: Story) -> None:
    """Kunde AS, invoice 1 of 2500.00 due 03-02 in case 1 from 03-05; the agreement claims
    standard compensation (account 3901) and names a collector; automatic hand-over."""
    cli_company(story.run)
    cli_business(story.run)
    story.ok(
        "collection",
        "agreement",
        "set",
        "automatic_handover=yes",
        "standard_compensation=yes",
        "compensation_account=3901",
        *COLLECTOR,
    )
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2026-02-16"
    )
    story.ok("collection", "send", "1", date="2026-03-05")


def test_a_business_debtor_owes_standard_compensation_once_and_salaer_less_it(
    story: Story,
) -> None:
    """Kunde AS, invoice 1 of 2500.00 due 03-02 (late from 03-03: 2026 H1, 460.00). With the
    notice on 03-24 (fee 37.50): compensation 460.00 - 37.50 = 422.50, booked on 3900. At
    hand-over light salær 300.00 × 1.5 = 450.00 less 422.50 = 27.50; on day 43 heavy 900.00
    less 422.50, so 450.00 more. Compensation is charged once."""
    business_with_compensation(story)
    steps = story.days("2026-04-16", start="2026-03-05")
    assert steps[1] == ("2026-03-24", 1, "send_notice", "2026-04-07", "460.00")
    assert steps[-1] == ("2026-04-16", 1, "hand_over", "2026-04-30", "27.50")
    assert story.charges() == [
        (1, "fee", "37.50", "2026-03-24"),
        (1, "compensation", "422.50", "2026-03-24"),
        (1, "salaer", "27.50", "2026-04-16"),
    ]
    assert story.balances()["3901"] == "-422.50"
    history = {e["kind"]: e["text"] for e in story.ok("collection", "case", "1")["history"]}
    assert "standard compensation 2026 H1 460.00" in history["send_notice"]
    assert "less reminder and notice fees already charged" in history["send_notice"]
    assert "less standard compensation 422.50" in history["hand_over"]
    notice = story.text("2026-03-24/case-1-collection_notice.pdf")
    assert "460,00" in notice  # the notice's costs: fee 37.50 + compensation 422.50
    # The notice's own fee is the law's fee (inkassoforskriften § 1-2), 37.50: the
    # compensation is added to the costs under its own name and section, never as the fee.
    words = " ".join(notice.split())
    assert "Gebyr for dette varselet, kr 37,50, er lagt til" in words
    assert "Standardkompensasjon, kr 422,50, er lagt til" in words
    assert "forsinkelsesrenteloven § 3a" in words
    assert story.days("2026-05-29") == [("2026-05-29", 1, "heavy_salaer", None, "450.00")]
    assert story.days("2026-07-31") == []
    assert [c[1] for c in story.charges()].count("compensation") == 1
    story.ledger_whole()


def test_a_consumer_owes_no_standard_compensation(story: Story) -> None:
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok(
        "collection", "agreement", "set", "automatic_handover=yes", "standard_compensation=yes"
    )
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2026-02-16"
    )
    story.ok("collection", "send", "1", date="2026-03-05")
    story.days("2026-04-16", start="2026-03-05")
    assert [c[1] for c in story.charges()] == ["fee", "fee"]  # notice fee, own demand fee
    story.ledger_whole()


def test_closing_the_case_cancels_the_compensation_like_a_fee(story: Story) -> None:
    """After the notice of 03-24 the creditor closes the case: the fee 37.50 and the
    compensation 422.50 are cancelled (3900 and 3901 back to 0), the invoice stays open."""
    business_with_compensation(story)
    story.days("2026-03-24", start="2026-03-05")
    assert story.ok("collection", "close", "1", date="2026-03-25")["state"] == "closed"
    balances = story.balances()
    assert (balances["3900"], balances["3901"], balances["1500"]) == ("0.00", "0.00", "2500.00")
    story.ledger_whole()


def test_a_payment_covers_the_compensation_with_the_costs(story: Story) -> None:
    """In collection a payment pays costs first: 487.50 paid to the KID on 04-20 covers the
    fee 37.50, the compensation 422.50 and the salær 27.50; the principal stays open."""
    business_with_compensation(story)
    story.days("2026-04-16", start="2026-03-05")
    story.ok("payments", "register", "--amount", "487.50", "--kid", "0000000018", date="2026-04-20")
    case = story.ok("collection", "case", "1", date="2026-04-20")
    assert (case["fees_open"], case["salaer_open"], case["remaining"]) == (
        "0.00",
        "0.00",
        "2500.00",
    )
    story.ledger_whole()
