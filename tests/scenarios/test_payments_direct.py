"""Money that reaches the creditor's own account, and the creditor's own changes to a claim:
a principal paid after the notice (the interest note follows), credit notes, an
overpayment kept as credit and paid back, and write-offs.

Invoice 1 of 2500.00 (2000 + 25 % VAT, due 03-02) is in case 1 from 03-05; its KID
0000000018 is both the invoice's and the case's (a case of one invoice keeps its KID).
The fee-free reminder goes on 03-09, the notice with a fee of 37.50 on 03-24 (deadline
04-07). Interest at the 2026 H1 rate of 12.00 %."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import OTHER_ORGNR
from tests.scenarios.bankfiles import Paid, ocr_file, postings, what_paid
from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e

KID = "0000000018"
COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")
NOTICE_FEE = (1, "fee", "37.50", "2026-03-24")


def notified(story: Story, *settings: str) -> None:
    """Case 1 with SETTINGS after its notice: the run has done every day up to 03-25."""
    debtor_case(story, "consumer")
    if settings:
        story.ok("collection", "agreement", "set", *settings)
    steps = story.days("2026-03-25", start="2026-03-05")
    assert [(s.day, s.step, s.fee) for s in steps] == [
        ("2026-03-09", "send_reminder", "0.00"),
        ("2026-03-24", "send_notice", "37.50"),
    ]


def closed_reasons(story: Story) -> list[tuple[str, str | None]]:
    return [(r["state"], r["closed_reason"]) for r in story.rows("collection_case")]


# --- 2. The principal paid to the creditor's account after the notice -------------------


def test_the_principal_paid_in_an_ocr_file_leaves_interest_for_the_interest_note(
    story: Story, tmp_path: Path
) -> None:
    """Kari pays exactly the principal, 2500.00, to Test AS's own account with the KID; the
    OCR file of 03-30 books it (1920 / 1500) and pays the invoice only. That day's run
    sends the interest note: 2500.00 × 12 % × 28/365 (03-03 to 03-30) = 23.01, on 8055. She
    pays the note's 60.51 in the file of 04-03 (interest and the notice fee, before
    collection in the order principal, interest, costs), and that day's run closes the case
    as paid."""
    notified(story)
    first = ocr_file(tmp_path / "ocr-0330.txt", [Paid("2500.00", KID, "2026-03-30")])
    report = story.ok("payments", "import", str(first), date="2026-03-30")
    assert (report["format"], report["file_id"], report["payments"], report["total"]) == (
        "ocr",
        "00008080-1000001",
        1,
        "2500.00",
    )
    assert (report["matched_by"], report["unmatched"]) == ({"case_kid": 1}, 0)
    (row,) = story.ok("payments", "list", date="2026-03-30")
    assert (row["payment"], row["channel"], row["status"], row["kid"]) == (
        1,
        "direct",
        "matched",
        KID,
    )
    assert (row["case"], row["invoices"], row["settlement"]) == (1, [1], None)
    assert what_paid(row) == ("2500.00", "0.00", "0.00", "0.00", "0.00")
    assert postings(story, 3) == [("1500", "-2500.00"), ("1920", "2500.00")]
    assert story.run_on("2026-03-30") == [
        ("2026-03-30", 1, "send_interest_note", "2026-04-13", "23.01"),
    ]
    assert story.charges() == [NOTICE_FEE, (1, "interest", "23.01", "2026-03-30")]
    assert story.letters()[-1] == "2026-03-30/case-1-interest_note.pdf"
    note = story.text("2026-03-30/case-1-interest_note.pdf")
    assert "Å betale 60,51" in note and f"60,51 8601 11 17947 {KID} 13.04.2026" in note
    assert story.days("2026-04-02") == []

    second = ocr_file(
        tmp_path / "ocr-0403.txt", [Paid("60.51", KID, "2026-04-03")], transmission="1000002"
    )
    story.ok("payments", "import", str(second), date="2026-04-03")
    paid = story.ok("payments", "show", "2", date="2026-04-03")
    assert (paid["status"], paid["matched_by"]) == ("matched", "case_kid")
    assert what_paid(paid) == ("0.00", "23.01", "37.50", "0.00", "0.00")
    assert postings(story, 5) == [("1500", "-23.01"), ("1500", "-37.50"), ("1920", "60.51")]
    assert story.days("2026-04-03") == [("2026-04-03", 1, "close_settled", None, "0.00")]
    assert closed_reasons(story) == [("closed", "paid")]
    assert story.days("2026-04-30") == []
    balances = story.balances()
    assert (balances["1920"], balances["1500"]) == ("2560.51", "0.00")
    assert (balances["3900"], balances["8055"]) == ("-37.50", "-23.01")
    story.ledger_whole()


def test_the_interest_note_before_the_hand_over_comes_from_the_creditor(story: Story) -> None:
    """The agreement names Inkasso AS, but case 1 was never handed over: Test AS sent the
    reminder and the notice and still collects the claim itself. The interest note after
    Kari pays the principal comes from Test AS too (docs/letters.md: the sender is "the
    collector, or the creditor when it collects its own claims")."""
    notified(story, *COLLECTOR)
    notice = story.text("2026-03-24/case-1-collection_notice.pdf")
    assert notice.startswith("Test AS Storgata 1") and "Inkasso AS" not in notice
    story.ok("payments", "register", "--amount", "2500", "--kid", KID, date="2026-03-30")
    assert [s.step for s in story.days("2026-03-30")] == ["send_interest_note"]
    note = story.text("2026-03-30/case-1-interest_note.pdf")
    assert note.startswith("Test AS Storgata 1") and "Inkasso AS" not in note
    story.ledger_whole()


# --- 3. Credit notes -----------------------------------------------------------------------


def test_a_credit_note_in_full_in_the_reminder_stage_closes_the_case_as_credited(
    story: Story,
) -> None:
    """After the fee-free reminder, Test AS credits invoice 1 in full (credit note 2,
    KN: 3000 and 2700 back, 1500 on invoice 1): that closes the case as credited there and
    then, at no cost; the run has nothing left to do and no notice follows."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    note = story.ok("invoice", "credit", "1", date="2026-03-13")
    assert (note["number"], note["kind"], note["total"], note["voucher"]) == (
        2,
        "credit_note",
        "2500.00",
        2,
    )
    assert postings(story, 2) == [("1500", "-2500.00"), ("2700", "500.00"), ("3000", "2000.00")]
    assert story.history(1)[-1] == ("2026-03-13", "close")
    assert story.days("2026-03-13") == []
    assert closed_reasons(story) == [("closed", "credited")]
    assert story.days("2026-04-30") == []
    assert story.charges() == []
    assert story.letters() == ["2026-03-09/case-1-reminder.pdf"]
    balances = story.balances()
    assert (balances["1500"], balances["3000"], balances["2700"]) == ("0.00", "0.00", "0.00")
    story.ledger_whole()


def test_a_partial_credit_note_lowers_the_claim_the_payment_demand_shows(story: Story) -> None:
    """Half the invoice is credited on 03-26 after the notice (credit note 2 of 1250.00):
    the case goes on for the 1250.00 left. The payment demand of 04-16 claims it, with the
    notice fee, interest (on 2500.00 until the credit, then on 1250.00: 28.35) and light
    salær for a claim of 1250.00 (band up to 2 500: 300.00); paid that day, the case
    closes the next."""
    notified(story, "automatic_handover=yes", *COLLECTOR)
    story.ok("invoice", "credit", "1", "--line", "Time;1;1000;25", date="2026-03-26")
    assert postings(story, 3) == [("1500", "-1250.00"), ("2700", "250.00"), ("3000", "1000.00")]
    case = story.ok("collection", "case", "1", date="2026-03-26")
    assert (case["state"], case["principal"], case["remaining"]) == (
        "notified",
        "2500.00",
        "1250.00",
    )
    assert story.days("2026-04-16") == [
        ("2026-04-08", 1, "put_on_list", None, "0.00"),
        ("2026-04-16", 1, "hand_over", "2026-04-30", "300.00"),
    ]
    demand = story.text("2026-04-16/case-1-payment_demand.pdf")
    assert "1 Time 02.03.2026 2 500,00 1 250,00 37,50 28,35" in demand
    assert "Hovedstol 1 250,00 Gebyrer 37,50 Forsinkelsesrente 28,35" in demand
    assert "Inkassosalær 300,00 Å betale 1 615,85" in demand
    paid = story.ok("payments", "register", "--amount", "1615.85", "--kid", KID, date="2026-04-16")
    assert paid["order"] == ["costs", "interest", "principal"]
    assert [a["amount"] for a in paid["applied"]] == ["1250.00", "37.50", "300.00", "28.35"]
    assert story.days("2026-04-17") == [("2026-04-17", 1, "close_settled", None, "0.00")]
    assert story.state(1) == "closed"
    balances = story.balances()
    assert (balances["1500"], balances["1920"], balances["2910"]) == ("0.00", "1615.85", "-300.00")
    assert (balances["3000"], balances["2700"]) == ("-1000.00", "-250.00")
    story.ledger_whole()


def test_a_credit_note_in_full_on_a_case_in_collection_closes_it_as_credited(
    story: Story,
) -> None:
    """Case 1 handed over on 04-16 (salær 300.00); on 04-20 Test AS credits invoice 1 in
    full. The claim is gone: the next run closes the case as credited, sends no interest
    note, and nothing is left for Kari to pay (design.md: the credited invoice's case is
    "closed as credited")."""
    notified(story, "automatic_handover=yes", *COLLECTOR)
    assert [s.step for s in story.days("2026-04-16")] == ["put_on_list", "hand_over"]
    story.ok("invoice", "credit", "1", date="2026-04-20")
    steps = story.days("2026-04-20")
    assert "send_interest_note" not in [s.step for s in steps]
    assert closed_reasons(story) == [("closed", "credited")]
    assert story.ok("collection", "case", "1", date="2026-04-20")["owed"] == "0.00"
    assert story.letters()[-1] == "2026-04-16/case-1-payment_demand.pdf"
    story.ledger_whole()


# --- 4. An overpayment: the customer's credit, then paid back ----------------------------


def test_an_overpayment_is_the_customers_credit_until_it_is_paid_back(story: Story) -> None:
    """Kari pays 2600.00 for the 2500.00 after the reminder: the invoice is paid, 100.00 is
    her credit on 2900, and the run closes the case as paid. `payments refund` pays the
    100.00 back from the bank (2900 / 1920); a second refund finds nothing left."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    paid = story.ok("payments", "register", "--amount", "2600", "--kid", KID, date="2026-03-13")
    assert (paid["payment"], paid["voucher"], paid["overpayment"]) == (1, 2, "100.00")
    assert [(a["to"], a["amount"]) for a in paid["applied"]] == [("invoice 1", "2500.00")]
    assert postings(story, 2) == [("1500", "-2500.00"), ("1920", "2600.00"), ("2900", "-100.00")]
    credit = [p for p in story.rows("posting") if p["account"] == "2900"]
    assert [(p["customer_id"], f"{p['amount']:.2f}") for p in credit] == [(1, "-100.00")]
    assert story.days("2026-03-13") == [("2026-03-13", 1, "close_settled", None, "0.00")]
    assert closed_reasons(story) == [("closed", "paid")]
    row = story.ok("payments", "show", "1", date="2026-03-13")
    assert (row["status"], row["refunded"]) == ("matched", "0.00")
    assert what_paid(row) == ("2500.00", "0.00", "0.00", "0.00", "100.00")
    assert story.balances()["2900"] == "-100.00"

    refund = story.ok("payments", "refund", "1", date="2026-03-16")
    assert (refund["refunded"], refund["voucher"]) == ("100.00", 3)
    assert postings(story, 3) == [("1920", "-100.00"), ("2900", "100.00")]
    assert story.ok("payments", "show", "1", date="2026-03-16")["refunded"] == "100.00"
    story.refused(
        "payments", "refund", "1", date="2026-03-17", says="left nothing to refund", exit_code=1
    )
    balances = story.balances()
    assert (balances["1920"], balances["2900"], balances["1500"]) == ("2500.00", "0.00", "0.00")
    story.ledger_whole()


# --- 10. Write-offs --------------------------------------------------------------------------


def test_a_tap_write_off_is_a_write_down_and_collection_goes_on(story: Story) -> None:
    """Test AS writes invoice 1 off with TAP on 03-26: 7830 / 1580 (naming the invoice),
    the invoice stays open and the case is not told, so it is listed on 04-08 and handed
    over with the payment demand and salær on 04-16."""
    notified(story, "automatic_handover=yes", *COLLECTOR)
    done = story.ok("invoice", "write-off", "1", date="2026-03-26")
    assert (done["amount"], done["voucher"], done["reported"]) == ("2500.00", 3, False)
    assert postings(story, 3) == [("1580", "-2500.00"), ("7830", "2500.00")]
    provision = [p for p in story.rows("posting") if p["account"] == "1580"]
    assert [(p["customer_id"], p["invoice_id"]) for p in provision] == [(1, 1)]
    assert story.ok("invoice", "show", "1", date="2026-03-26")["open_amount"] == "2500.00"
    assert [kind for _, kind in story.history(1)] == ["registered", "send_reminder", "send_notice"]
    assert story.days("2026-04-16") == [
        ("2026-04-08", 1, "put_on_list", None, "0.00"),
        ("2026-04-16", 1, "hand_over", "2026-04-30", "300.00"),
    ]
    assert story.letters()[-1] == "2026-04-16/case-1-payment_demand.pdf"
    assert "Å betale 2 874,49" in story.text("2026-04-16/case-1-payment_demand.pdf")
    balances = story.balances()
    assert (balances["1500"], balances["1580"], balances["7830"]) == (
        "2837.50",
        "-2500.00",
        "2500.00",
    )
    story.ledger_whole()


def test_a_payment_type_write_off_is_refused_unless_forced_and_then_closes_the_case(
    story: Story,
) -> None:
    """INN is reported to collection as a payment: without --force it is refused and
    nothing is written; UF (an invoice type) is refused even so, and so is a code that is
    no voucher type at all. Forced in the reminder stage, it books 7830 / 1500 on the
    invoice and closes the case as paid there and then (the run has nothing left to do)."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    write_off = ("invoice", "write-off", "1", "--type")
    story.refused(*write_off, "INN", date="2026-03-13", says="or --force if that is what you want")
    story.refused(*write_off, "UF", "--force", date="2026-03-13", says="UF is mapped to invoice")
    story.refused(*write_off, "TAPP", date="2026-03-13", says="'TAPP' is not a voucher type")
    done = story.ok(*write_off, "INN", "--force", "--reason", "Konkurs", date="2026-03-13")
    assert (done["amount"], done["voucher"], done["reported"]) == ("2500.00", 2, True)
    assert postings(story, 2) == [("1500", "-2500.00"), ("7830", "2500.00")]
    assert story.history(1)[-2:] == [("2026-03-13", "write_off"), ("2026-03-13", "close")]
    assert story.days("2026-03-13") == []
    assert closed_reasons(story) == [("closed", "paid")]
    assert story.days("2026-04-30") == []
    assert story.letters() == ["2026-03-09/case-1-reminder.pdf"]
    balances = story.balances()
    assert (balances["1500"], balances["7830"]) == ("0.00", "2500.00")
    story.ledger_whole()


def test_a_forced_payment_type_write_off_after_the_notice_closes_the_case(
    story: Story,
) -> None:
    """Forced INN write-off of invoice 1 on 04-10, after the notice (fee 37.50 charged):
    docs/payments.md says a Payment-mapped type closes the case as paid. The run that day
    should close it, and Kari should not get a letter claiming interest and the fee on a
    claim the creditor gave up."""
    notified(story)
    story.days("2026-04-09")
    story.ok("invoice", "write-off", "1", "--type", "INN", "--force", date="2026-04-10")
    steps = story.days("2026-04-10")
    assert "send_interest_note" not in [s.step for s in steps]
    assert closed_reasons(story) == [("closed", "paid")]
    story.ledger_whole()


def test_a_final_write_off_after_a_tap_write_down_books_the_loss_once(story: Story) -> None:
    """TAP on 03-13 (7830 / 1580: 2500.00 expected loss), then the claim is given up with a
    forced INN write-off on 03-20. The loss on receivables is 2500.00 in all: the final
    write-off should use the provision (1580) rather than book 7830 again."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    story.ok("invoice", "write-off", "1", date="2026-03-13")
    story.ok("invoice", "write-off", "1", "--type", "INN", "--force", date="2026-03-20")
    balances = story.balances()
    assert (balances["1500"], balances["7830"], balances.get("1580", "0.00")) == (
        "0.00",
        "2500.00",
        "0.00",
    )
    story.ledger_whole()
