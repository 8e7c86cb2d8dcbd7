"""Issue 12, the law tables in the daily run: the salær's VAT addition follows the
company's VAT registration (forskriften § 2-2), and standard compensation for business
debtors (forsinkelsesrenteloven § 3 a), deducted from salær.

Each story hands invoice 1 of 2500.00 (due 03-02) over on Thursday 04-16: reminder 03-09,
notice 03-24, listed 04-08, the list on Tuesday 04-14. Inkassosats 750 (2026)."""

from __future__ import annotations

import pytest

from tests.builders import ACCOUNT, ORGNR, OTHER_ORGNR, cli_business, cli_consumer
from tests.scenarios.story import Story

pytestmark = pytest.mark.e2e

COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")


def company_without_vat(story: Story) -> None:
    """Test AS added with --no-vat: outside the VAT register, it cannot deduct VAT."""
    story.ok(
        "company",
        "add",
        "--orgnr",
        ORGNR,
        "--name",
        "Test AS",
        "--account",
        ACCOUNT,
        "--address",
        "Storgata 1",
        "--postcode",
        "0155",
        "--city",
        "Oslo",
        "--no-vat",
    )


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


def test_an_agreement_override_says_the_claims_come_from_vat_liable_business(
    story: Story,
) -> None:
    """The same company with claims_from_vat_business=yes: no addition, 300.00."""
    company_without_vat(story)
    steps = handed_over_from(story, *COLLECTOR, "claims_from_vat_business=yes")
    assert steps[-1] == ("2026-04-16", 1, "hand_over", "2026-04-30", "300.00")
    story.ledger_whole()
