"""What the letters say (issue 12, items 3 and 9), read from the PDFs the daily run made:
each period of late interest on the payment demand, only what is open now, the interest a
notice does not yet claim, the warning of heavy salær, the collector's address and e-mail,
the own demand fee as a collection cost, and whose account the debtor pays to.

Unless a story says otherwise: invoice 1 of 2500.00 due 2026-03-02 in case 1, the 2026 H1
rate of 12.00 %, notice fee 37.50."""

from __future__ import annotations

import email
import io
import json
from email.message import Message
from pathlib import Path

import pypdf
import pytest

from tests.builders import OTHER_ORGNR, cli_company
from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e

COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")
ADDRESS = (
    "collector_street=Postboks 1 Sentrum",
    "collector_postcode=0101",
    "collector_city=Oslo",
    "collector_phone=22 00 00 00",
    "collector_email=post@inkasso.no",
    "collector_web=inkasso.no",
)
NOTICE = "2026-03-24/case-1-collection_notice.pdf"
DEMAND = "2026-04-16/case-1-payment_demand.pdf"


def handed_over(story: Story, *settings: str, language: str = "nb") -> None:
    """Case 1 of Kari (in LANGUAGE): reminder 03-09, notice 03-24, listed 04-08, in
    collection with the payment demand on Thursday 04-16 (deadline 04-30)."""
    debtor_case(story, "consumer")
    if language != "nb":
        story.ok("customer", "change", "10000", "--language", language)
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *settings)
    steps = story.days("2026-04-16", start="2026-03-05")
    assert [(s.day, s.step) for s in steps][-1] == ("2026-04-16", "hand_over")


# --- item 3: each interest period on the demand (inkassoloven § 10 (2) d) ----------------


def two_invoices_over_new_year(story: Story, language: str) -> str:
    """Kari's invoices 1 (2500.00) and 2 (500.00), issued 2025-11-17 and due 12-01, in one
    case; the demand of 2026-01-15 counts interest at 12.25 % (2025 H2) and 12.00 %
    (2026 H1). The demand's text."""
    cli_company(story.run)
    story.ok(
        "customer", "add", "--name", "Kari Nordmann", "--consumer", "--address", "Vei 3",
        "--postcode", "0565", "--city", "Oslo", "--language", language,
    )  # fmt: skip
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *COLLECTOR)
    for amount in ("2000", "400"):
        line = f"Time;1;{amount};25"
        story.ok("invoice", "create", "--customer", "10000", "--line", line, date="2025-11-17")
    story.ok("collection", "send", "1", "2", date="2025-12-04")
    steps = story.days("2026-01-15", start="2025-12-04")
    assert [(s.day, s.step) for s in steps][-1] == ("2026-01-15", "hand_over")
    return story.text("2026-01-15/case-1-payment_demand.pdf")


def test_the_demand_lists_each_half_years_interest_per_invoice_summing_to_its_interest(
    story: Story,
) -> None:
    """12-02..12-31 (30 days at 12.25 %) and 01-01..01-15 (15 days at 12.00 %), for each
    invoice: 2500.00 → 25.17 + 12.33, 500.00 → 5.03 + 2.47; 45.00 in all, the amount
    the demand claims as late interest."""
    demand = two_invoices_over_new_year(story, "nb")
    assert "Faktura Av beløp Fra Til og med Dager Rentesats Renter" in demand
    for line in (
        "1 2 500,00 02.12.2025 31.12.2025 30 12,25 % 25,17",
        "1 2 500,00 01.01.2026 15.01.2026 15 12,00 % 12,33",
        "2 500,00 02.12.2025 31.12.2025 30 12,25 % 5,03",  # invoice 2, on 500.00
        "2 500,00 01.01.2026 15.01.2026 15 12,00 % 2,47",
        "Sum forsinkelsesrente 45,00",
        "Forsinkelsesrente 45,00",
    ):
        assert line in demand
    # Not one rate "from the due date" for the whole time (what the demand said before).
    assert "12,00 % per år fra 02.12.2025" not in demand
    story.ledger_whole()


def test_an_english_demand_lists_the_same_periods(story: Story) -> None:
    demand = two_invoices_over_new_year(story, "en")
    assert "Invoice On amount From To (incl.) Days Rate Interest" in demand
    assert "1 2,500.00 2 Dec 2025 31 Dec 2025 30 12.25% 25.17" in demand
    assert "2 500.00 1 Jan 2026 15 Jan 2026 15 12.00% 2.47" in demand
    assert "Total interest 45.00" in demand and "Late-payment interest 45.00" in demand
    assert "calculated day by day at the rate of each half-year" in demand
    story.ledger_whole()


# --- item 9: what is open now -------------------------------------------------------------


def test_after_a_payment_that_covered_the_fee_the_interest_note_asks_only_for_the_interest(
    story: Story,
) -> None:
    """Notice only: the notice of 03-16 carries the fee 37.50; Kari pays its 2537.50 on
    03-17. Interest 2500.00 × 12 % × 15/365 (03-03 to 03-17) = 12.33 is all that is left:
    the interest note asks 12.33, not 12.33 + the fee she paid (49.83)."""
    debtor_case(story, "consumer", flow="notice_only")
    steps = story.days("2026-03-16", start="2026-03-05")
    assert [(s.day, s.step, s.fee) for s in steps] == [("2026-03-16", "send_notice", "37.50")]
    story.ok("payments", "register", "--amount", "2537.50", "--invoice", "1", date="2026-03-17")
    assert [s.step for s in story.run_on("2026-03-17")] == ["send_interest_note"]
    note = story.text("2026-03-17/case-1-interest_note.pdf")
    assert "Hovedstol 0,00 Gebyrer 0,00 Forsinkelsesrente 12,33 Å betale 12,33" in note
    assert "49,83" not in note
    case = story.ok("collection", "case", "1", date="2026-03-17")
    assert (case["fees_open"], case["interest_open"]) == ("0.00", "12.33")
    story.ledger_whole()


def test_a_replayed_days_letter_asks_for_what_was_open_that_day(story: Story) -> None:
    """The run lags: Kari pays the principal on 03-30 and the notice fee on 04-02, both
    registered before the run does 03-25..04-02. The interest note of 03-30 asks for the
    fee still open that day with the interest (37.50 + 23.01 = 60.51), as a run on the day
    would have; the fee paid on 04-02 is not there yet."""
    debtor_case(story, "consumer")
    story.days("2026-03-24", start="2026-03-05")
    story.ok("payments", "register", "--amount", "2500", "--invoice", "1", date="2026-03-30")
    story.ok("payments", "register", "--amount", "37.50", "--invoice", "1", date="2026-04-02")
    steps = story.days("2026-04-02")
    assert [(s.day, s.step, s.fee) for s in steps] == [
        ("2026-03-30", "send_interest_note", "23.01")
    ]
    note = story.text("2026-03-30/case-1-interest_note.pdf")
    assert "Gebyrer 37,50 Forsinkelsesrente 23,01 Å betale 60,51" in note
    story.ledger_whole()


def test_the_notice_says_interest_runs_from_which_day_at_which_rate_and_how_much_so_far(
    story: Story,
) -> None:
    """The notice of 03-24: 12.00 % a year from 03-03; 2500.00 × 12 % × 22/365 = 18.08 to
    date, not part of the amount asked, 0.82 a day more (2500.00 × 12 % / 365)."""
    debtor_case(story, "consumer")
    story.days("2026-03-24", start="2026-03-05")
    notice = story.text(NOTICE)
    assert "Forsinkelsesrenten er beregnet med 12,00 % per år fra 03.03.2026" in notice
    assert "Per 24.03.2026 er forsinkelsesrenten kr 18,08" in notice
    assert "kommer i tillegg til beløpet ovenfor: betaler du det, får du en rentenota" in notice
    assert "øker med kr 0,82 per dag" in notice
    assert "Å betale 2 537,50" in notice  # the interest is told, not asked for
    assert "Gebyrer 37,50 Å betale" in notice  # no "Forsinkelsesrente 0,00" beside it
    story.ledger_whole()


def test_an_english_notice_says_the_same(story: Story) -> None:
    debtor_case(story, "consumer")
    story.ok("customer", "change", "10000", "--language", "en")
    story.days("2026-03-24", start="2026-03-05")
    notice = story.text(NOTICE)
    assert "12.00% a year from 3 Mar 2026" in notice
    assert "On 24 Mar 2026 the late-payment interest is NOK 18.08" in notice
    assert "grows by NOK 0.82 a day" in notice
    assert "It comes in addition to the amount above: if you pay that, an interest note" in notice
    story.ledger_whole()


def test_the_collectors_demand_warns_of_heavy_salaer_and_gives_the_interest_per_day(
    story: Story,
) -> None:
    """Light salær 300.00; not paid within 28 days after the deadline 04-30, i.e. by 05-28,
    it becomes 600.00 (inkassoforskriften § 2-3). Interest 0.82 a day after 04-16."""
    handed_over(story, *COLLECTOR)
    demand = story.text(DEMAND)
    assert "Er kravet ikke betalt innen 28.05.2026 (28 dager etter fristen)" in demand
    assert "øker inkassosalæret til kr 600,00 (inkassoforskriften § 2-3)" in demand
    assert "Renter løper videre med kr 0,82 per dag etter 16.04.2026" in demand
    # And the day after the 28 days is the day heavy salær comes.
    assert story.days("2026-05-29")[-1][2:] == ("heavy_salaer", None, "300.00")
    story.ledger_whole()


def test_an_english_demand_warns_the_same(story: Story) -> None:
    handed_over(story, *COLLECTOR, language="en")
    demand = story.text(DEMAND)
    assert "If the claim is not paid by 28 May 2026 (28 days after the deadline)" in demand
    assert "the collection costs rise to NOK 600.00" in demand
    assert "by NOK 0.82 a day after 16 Apr 2026" in demand
    story.ledger_whole()


def test_the_creditors_own_demand_has_no_salaer_warning_and_its_fee_is_a_collection_cost(
    story: Story,
) -> None:
    """No collector: the own demand fee 3/20 × 750 = 112.50 stands as
    "Inndrivingskostnader", the notice fee 37.50 alone as "Gebyrer"; no salær, no
    warning of heavy salær."""
    handed_over(story)
    demand = story.text(DEMAND)
    assert "Gebyrer 37,50" in demand and "Inndrivingskostnader 112,50" in demand
    assert "Hovedstol 2 500,00 Gebyrer 37,50 Forsinkelsesrente 36,99" in demand
    assert "Å betale 2 686,99" in demand  # 2500.00 + 37.50 + 36.99 + 112.50
    assert "inkassosalær" not in demand.lower()
    assert "kr 0,82 per dag" in demand
    story.ledger_whole()


# --- item 9: the collector's address, its e-mail and the legal export -----------------------


def mails(folder: Path) -> list[Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def pdf_text(message: Message) -> str:
    (part,) = [p for p in message.walk() if p.get_filename()]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    pages = pypdf.PdfReader(io.BytesIO(payload)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_collectors_letters_give_its_address_and_contacts_and_its_mail_is_from_it(
    story: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kari's e-mail is reliable (inkassoloven § 3a): her letters go by e-mail. The demand
    comes from Inkasso AS (its name on the From line, replies to post@inkasso.no), and
    shows its postal address, phone, e-mail and web address; the creditor's own letters
    come from Test AS."""
    pickup = tmp_path / "mail"
    monkeypatch.setenv("FORDRING_MAIL_PICKUP", str(pickup))
    debtor_case(story, "consumer")
    story.ok("customer", "change", "10000", "--email", "kari@example.no", "--email-reliable")
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *COLLECTOR, *ADDRESS)
    story.days("2026-04-16", start="2026-03-05")
    by_subject = {m["Subject"]: m for m in mails(pickup)}
    demand = by_subject["Betalingsoppfordring fra Inkasso AS"]
    assert demand["From"] == "Inkasso AS <fordring@localhost>"
    assert demand["Reply-To"] == "post@inkasso.no"
    text = pdf_text(demand)
    assert text.startswith("Inkasso AS Postboks 1 Sentrum 0101 Oslo Kari Nordmann")
    assert (
        "Inkasso AS · Postboks 1 Sentrum · 0101 Oslo · Org.nr. 988 077 917 · post@inkasso.no"
        " · Tlf. 22 00 00 00 · inkasso.no"
    ) in text
    notice = by_subject["Inkassovarsel fra Test AS"]
    assert notice["From"] == "Test AS <fordring@localhost>"
    assert "Inkasso AS" not in pdf_text(notice)
    story.ledger_whole()


def test_the_legal_claim_names_the_collectors_address(story: Story, tmp_path: Path) -> None:
    handed_over(story, *COLLECTOR, *ADDRESS)
    story.days("2026-05-04")
    claim_file = tmp_path / "claim.json"
    story.ok("collection", "legal", "1", "-o", str(claim_file), date="2026-05-04")
    collector = json.loads(claim_file.read_text(encoding="utf-8"))["collector"]
    assert collector == {
        "name": "Inkasso AS",
        "street": "Postboks 1 Sentrum",
        "postcode": "0101",
        "city": "Oslo",
        "country": "NO",
        "orgnr": OTHER_ORGNR,
        "email": "post@inkasso.no",
        "phone": "22 00 00 00",
        "web": "inkasso.no",
    }
    story.ledger_whole()


def test_a_collector_setting_that_is_not_an_address_is_refused(story: Story) -> None:
    debtor_case(story, "consumer")
    for setting, says in (
        ("collector_postcode=12345", "collector_postcode"),
        ("collector_email=post.inkasso.no", "collector_email"),
        ("collector_phone=ring oss", "collector_phone"),
    ):
        story.refused("collection", "agreement", "set", setting, date="2026-03-05", says=says)


# --- item 9: whose account ------------------------------------------------------------------


def test_the_creditors_letters_say_the_account_is_its_own_written_4_2_5(story: Story) -> None:
    """The reminder, the notice and the own demand: "Kontoen 8601 11 17947 tilhører Test
    AS", the account in the payment box written the same way."""
    handed_over(story)
    for letter in ("2026-03-09/case-1-reminder.pdf", NOTICE, DEMAND):
        text = story.text(letter)
        assert "Kontoen 8601 11 17947 tilhører Test AS." in text, letter
        assert "8601.11.17947" not in text
    story.ledger_whole()


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("nb", "Kontoen 1503 20 80119 er klientkontoen til Inkasso AS, som tar imot betalingen"),
        ("en", "Account 1503 20 80119 is the client account (klientkonto) of Inkasso AS, which"),
    ],
)
def test_paid_to_the_client_account_the_letters_say_it_is_the_collectors(
    story: Story, language: str, says: str
) -> None:
    """pay_to=client_account: the creditor's notice and the collector's demand say the
    account is Inkasso AS's client account (klientkonto)."""
    client = ("pay_to=client_account", "client_account=15032080119")
    handed_over(story, *COLLECTOR, *client, language=language)
    for letter in (NOTICE, DEMAND):
        assert says in story.text(letter), letter
    story.ledger_whole()


# --- who writes: the collector recorded on the case (issue 12, item 10) ------------------


def test_a_new_demand_comes_from_the_collector_that_has_the_case_not_a_later_one(
    story: Story,
) -> None:
    """Handed to Inkasso AS on 04-16; Kari objects on 04-20, the creditor moves to another
    collector on 04-21 and resumes the case on 04-22: the new demand is Inkasso AS's, which
    has the claim, and names no other collector."""
    handed_over(story, *COLLECTOR)
    story.ok("collection", "object", "1", date="2026-04-20")
    story.ok("collection", "agreement", "set", "collector_name=Ny Inkasso AS", date="2026-04-21")
    story.ok("collection", "resume", "1", date="2026-04-22")
    assert [s.step for s in story.days("2026-04-22")] == ["send_stage_letter"]
    demand = story.text("2026-04-22/case-1-payment_demand.pdf")
    assert "Inkasso AS" in demand and "Ny Inkasso AS" not in demand
    story.ledger_whole()


def test_a_case_the_creditor_collected_itself_keeps_its_letters_when_a_collector_comes_later(
    story: Story,
) -> None:
    """Handed over in own collection on 04-16; a collector is named on 04-21; the new
    demand after the objection is still the creditor's own (no salær, no collector)."""
    handed_over(story)
    story.ok("collection", "object", "1", date="2026-04-20")
    story.ok("collection", "agreement", "set", *COLLECTOR, date="2026-04-21")
    story.ok("collection", "resume", "1", date="2026-04-22")
    assert [s.step for s in story.days("2026-04-22")] == ["send_stage_letter"]
    demand = story.text("2026-04-22/case-1-payment_demand.pdf")
    assert "Inkasso AS" not in demand and "Inkassosalær" not in demand
    assert "Test AS" in demand
    story.ledger_whole()
