"""Payments that come in bank files (Nets OCR giro written by `netsgiro`, camt.054 001.02
and 001.08): matched by the case KID and split by the law's order, left unmatched for a
person to match, keep or refund, taken back by the bank's reversal; and files refused
whole (read before, or malformed) with nothing written.

Interest at the 2026 H1 rate of 12.00 %; Test AS's account is 8601 11 17947."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.builders import OTHER_ORGNR, cli_company, cli_consumer
from tests.scenarios.bankfiles import (
    FORMATS,
    Paid,
    bank_file,
    ocr_file,
    ocr_text,
    postings,
    what_paid,
)
from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e

CASE_KID = "00000000018"  # case 1 of three invoices: one digit longer than an invoice KID
KID = "0000000018"  # invoice 1, and case 1 when it holds invoice 1 alone
UNKNOWN_KID = "0000009993"  # a valid MOD10 KID that no invoice or case has
COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")


def closed_reasons(story: Story) -> list[tuple[str, str | None]]:
    return [(r["state"], r["closed_reason"]) for r in story.rows("collection_case")]


def open_amounts(story: Story, day: str, *numbers: int) -> list[str]:
    return [story.ok("invoice", "show", str(n), date=day)["open_amount"] for n in numbers]


# --- 1 and 11. A consolidated case paid in two bank files, in collection ------------------


def three_invoices_in_collection(story: Story) -> None:
    """Kari's invoices 1 (1250.00, due 03-02), 2 (500.00, due 02-26) and 3 (312.50, due
    02-28), all issued 02-12 and sent together on 03-05: case 1 under one case KID. One
    consolidated notice on 03-24 with one fee of 37.50 for the letter (issue 12), shared
    22.73 + 9.09 + 5.68 pro rata to open principal, listed 04-08, handed over on 04-16 with
    light salær 300.00 for the claim of 2062.50."""
    cli_company(story.run)
    cli_consumer(story.run)
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *COLLECTOR)
    for amount, due in (("1000", "2026-03-02"), ("400", "2026-02-26"), ("250", "2026-02-28")):
        line = f"Vare;1;{amount};25"
        story.ok(
            "invoice",
            "create",
            "--customer",
            "10000",
            "--line",
            line,
            "--due",
            due,
            date="2026-02-12",
        )
    sent = story.ok("collection", "send", "1", "2", "3", date="2026-03-05")
    assert [(c["case"], c["invoices"], c["kid"]) for c in sent["cases"]] == [
        (1, [1, 2, 3], CASE_KID)
    ]
    steps = story.days("2026-04-19", start="2026-03-05")
    assert [(s.day, s.step, s.fee) for s in steps] == [
        ("2026-03-09", "send_reminder", "0.00"),
        ("2026-03-24", "send_notice", "37.50"),
        ("2026-04-08", "put_on_list", "0.00"),
        ("2026-04-16", "hand_over", "300.00"),
    ]
    demand = story.text("2026-04-16/case-1-payment_demand.pdf")
    for row in (
        "1 Vare 02.03.2026 1 250,00 1 250,00 22,73 18,49",
        "2 Vare 26.02.2026 500,00 500,00 9,09 8,05",
        "3 Vare 28.02.2026 312,50 312,50 5,68 4,83",
    ):
        assert row in demand
    assert (
        f"Å betale 2 431,37 Beløp Til konto KID Betales innen 2 431,37 8601 11 17947 {CASE_KID}"
        in demand
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_consolidated_case_is_paid_in_two_bank_files_by_the_laws_order(
    story: Story, tmp_path: Path, fmt: str
) -> None:
    """On Monday 04-20 a file brings 925.00 to the case KID. In collection the law's
    order is costs, interest, principal: the notice's one fee (37.50) and the salær
    (300.00), then the interest accrued to 04-20, charged as it is paid (invoice 2: 500.00
    × 53 days = 8.71; 3: 312.50 × 51 days = 5.24; 1: 1250.00 × 49 days = 20.14), then the
    principal oldest due first: invoice 2 whole (due 02-26), 53.41 of invoice 3 (due 02-28),
    nothing of invoice 1 (due 03-02, the oldest by number). The case stays in collection.
    On 04-24 a second file brings what `collection case` says is owed that day, 1511.07
    (1509.09 principal and 1.98 more interest), and that day's run closes the case as paid.
    A camt.054 file, either version, does exactly what the OCR file does."""
    three_invoices_in_collection(story)
    payer = "" if fmt == "ocr" else "Kari Nordmann"
    first = bank_file(
        tmp_path / "innbetalinger-0420",
        fmt,
        [Paid("925.00", CASE_KID, "2026-04-20", payer_name=payer)],
    )
    if fmt != "ocr":  # the KID where DOMAIN § 10 puts it, in the version's namespace
        xml = first.read_text(encoding="utf-8")
        assert f"urn:iso:std:iso:20022:tech:xsd:camt.054.{fmt.split()[1]}" in xml
        assert f"<CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{CASE_KID}<" in xml
    report = story.ok("payments", "import", str(first), date="2026-04-20")
    assert (report["format"], report["payments"], report["total"]) == (
        fmt.split()[0],
        1,
        "925.00",
    )
    assert (report["matched_by"], report["unmatched"], report["interest_charged"]) == (
        {"case_kid": 1},
        0,
        "34.09",
    )
    row = story.ok("payments", "show", "1", date="2026-04-20")
    assert (row["status"], row["channel"], row["kid"], row["payer"], row["case"]) == (
        "matched",
        "direct",
        CASE_KID,
        payer,
        1,
    )
    assert what_paid(row) == ("553.41", "34.09", "37.50", "300.00", "0.00")
    assert story.charges()[4:] == [
        (2, "interest", "8.71", "2026-04-20"),
        (3, "interest", "5.24", "2026-04-20"),
        (1, "interest", "20.14", "2026-04-20"),
    ]
    interest = [("1500", "8.71"), ("1500", "5.24"), ("1500", "20.14"), ("8055", "-34.09")]
    assert postings(story, 6) == sorted(interest)
    assert postings(story, 7) == sorted(
        [
            ("1920", "925.00"),
            ("1500", "-500.00"),  # invoice 2
            ("1500", "-53.41"),  # invoice 3
            ("1500", "-22.73"),  # the notice's one fee, in its three shares
            ("1500", "-9.09"),
            ("1500", "-5.68"),
            ("1500", "-300.00"),  # the salær
            ("1500", "-8.71"),  # the interest charged now
            ("1500", "-5.24"),
            ("1500", "-20.14"),
        ]
    )
    assert open_amounts(story, "2026-04-20", 1, 2, 3) == ["1250.00", "0.00", "259.09"]
    assert story.days("2026-04-23") == []
    case = story.ok("collection", "case", "1", date="2026-04-24")
    assert (case["state"], case["remaining"], case["fees_open"], case["salaer_open"]) == (
        "in_collection",
        "1509.09",
        "0.00",
        "0.00",
    )
    # 259.09 and 1250.00 × 12 % × 4/365 (04-21 to 04-24) = 0.34 + 1.64
    assert (case["interest_accrued"], case["owed"]) == ("1.98", "1511.07")

    second = bank_file(
        tmp_path / "innbetalinger-0424",
        fmt,
        [Paid("1511.07", CASE_KID, "2026-04-24", payer_name=payer)],
        number=2,
    )
    assert story.ok("payments", "import", str(second), date="2026-04-24")["interest_charged"] == (
        "1.98"
    )
    row = story.ok("payments", "show", "2", date="2026-04-24")
    assert what_paid(row) == ("1509.09", "1.98", "0.00", "0.00", "0.00")
    assert postings(story, 9) == sorted(
        [
            ("1920", "1511.07"),
            ("1500", "-259.09"),  # invoice 3
            ("1500", "-1250.00"),  # invoice 1
            ("1500", "-0.34"),  # the interest charged now
            ("1500", "-1.64"),
        ]
    )
    assert story.days("2026-04-24") == [("2026-04-24", 1, "close_settled", None, "0.00")]
    assert closed_reasons(story) == [("closed", "paid")]
    assert story.days("2026-06-30") == []  # no heavy salær on a closed case
    assert [r["payment"] for r in story.ok("payments", "list", "--unmatched")] == []
    balances = story.balances()
    assert (balances["1920"], balances["1500"], balances["2910"]) == (
        "2436.07",
        "0.00",
        "-300.00",
    )
    assert (balances["3900"], balances["8055"]) == ("-37.50", "-36.07")
    story.ledger_whole()


# --- 5. The unmatched queue ------------------------------------------------------------------


def test_a_payment_with_an_unknown_kid_waits_until_it_is_matched_by_hand(
    story: Story, tmp_path: Path
) -> None:
    """After the reminder, 2500.00 comes in with a KID that passes its check digit but
    belongs to nothing: unmatched, booked 1920 / 2990. The queue suggests case 1 and
    invoice 1 (same amount). Matched by hand to invoice 1 on 03-16 (2990 / 1500), the
    invoice is paid and that day's run closes the case; 2990 is back to zero."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    paid = ocr_file(tmp_path / "ocr.txt", [Paid("2500.00", UNKNOWN_KID, "2026-03-13")])
    report = story.ok("payments", "import", str(paid), date="2026-03-13")
    assert (report["matched"], report["unmatched"]) == (0, 1)
    assert postings(story, 2) == [("1920", "2500.00"), ("2990", "-2500.00")]
    (waiting,) = story.ok("payments", "list", "--unmatched", date="2026-03-13")
    assert (waiting["payment"], waiting["status"], waiting["kid"], waiting["case"]) == (
        1,
        "unmatched",
        UNKNOWN_KID,
        None,
    )
    assert what_paid(waiting) == ("0.00",) * 5
    assert [(s["item"], s["customer"], s["owed"], s["why"]) for s in waiting["suggestions"]] == [
        ("case 1", "Kari Nordmann", "2500.00", "same amount"),
        ("invoice 1", "Kari Nordmann", "2500.00", "same amount"),
    ]
    assert story.days("2026-03-13") == []  # the case does not know of it
    assert open_amounts(story, "2026-03-13", 1) == ["2500.00"]

    matched = story.ok("payments", "match", "1", "1", date="2026-03-16")
    assert (matched["payment"], matched["voucher"], matched["case"]) == (1, 3, 1)
    assert [(a["to"], a["amount"]) for a in matched["applied"]] == [("invoice 1", "2500.00")]
    assert postings(story, 3) == [("1500", "-2500.00"), ("2990", "2500.00")]
    row = story.ok("payments", "show", "1", date="2026-03-16")
    assert (row["status"], row["matched_by"], row["case"], row["invoices"]) == (
        "matched",
        "manual",
        1,
        [1],
    )
    assert story.ok("payments", "list", "--unmatched", date="2026-03-16") == []
    story.refused(
        "payments",
        "match",
        "1",
        "1",
        date="2026-03-16",
        says="is matched, not unmatched",
        exit_code=1,
    )
    # Booked on the day the money came (03-14): the catch-up run closes the case that day.
    assert story.days("2026-03-16") == [("2026-03-14", 1, "close_settled", None, "0.00")]
    assert closed_reasons(story) == [("closed", "paid")]
    balances = story.balances()
    assert (balances["1920"], balances["2990"], balances["1500"]) == ("2500.00", "0.00", "0.00")
    story.ledger_whole()


def test_the_queue_pays_several_invoices_at_once_keeps_a_credit_and_refunds(
    story: Story, tmp_path: Path
) -> None:
    """One file of 03-13 with three payments no KID names: 3100.00 (a KID of nothing),
    150.00 (a KID failing its check digit: not looked up) and 75.00. By hand: the 3100.00
    pays Kari's invoices 1 (2500.00, in case 1) and 2 (500.00) post mot post, the 100.00
    left is her credit; the 150.00 is kept whole as Per's credit; the 75.00 is paid back
    from the bank. Case 1 closes as paid; 2990 is back to zero, 2900 holds both credits."""
    debtor_case(story, "consumer")
    cli_consumer(story.run, "Per Hansen")
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Vare;1;400;25", date="2026-02-20"
    )
    story.days("2026-03-12", start="2026-03-05")
    paid = ocr_file(
        tmp_path / "ocr.txt",
        [
            Paid("3100.00", UNKNOWN_KID, "2026-03-13"),
            Paid("150.00", "0000009994", "2026-03-13"),
            Paid("75.00", UNKNOWN_KID, "2026-03-13"),
        ],
    )
    report = story.ok("payments", "import", str(paid), date="2026-03-13")
    assert (report["payments"], report["total"], report["unmatched"]) == (3, "3325.00", 3)
    waiting = story.ok("payments", "list", "--unmatched", date="2026-03-13")
    assert [(r["payment"], r["amount"], r["suggestions"]) for r in waiting] == [
        (1, "3100.00", []),
        (2, "150.00", []),
        (3, "75.00", []),
    ]
    assert story.balances()["2990"] == "-3325.00"

    story.refused(
        "payments",
        "match",
        "1",
        "1",
        "2",
        "case:1",
        date="2026-03-16",
        says="match one case, or one or more invoices",
    )
    matched = story.ok("payments", "match", "1", "1", "2", date="2026-03-16")
    assert [(a["to"], a["amount"]) for a in matched["applied"]] == [
        ("invoice 1", "2500.00"),
        ("invoice 2", "500.00"),
    ]
    assert (matched["voucher"], matched["overpayment"]) == (6, "100.00")
    assert postings(story, 6) == [
        ("1500", "-2500.00"),
        ("1500", "-500.00"),
        ("2900", "-100.00"),
        ("2990", "3100.00"),
    ]
    kept = story.ok("payments", "keep", "2", "--customer", "10001", date="2026-03-16")
    assert kept == {"payment": 2, "customer": 10001, "voucher": 7}
    assert postings(story, 7) == [("2900", "-150.00"), ("2990", "150.00")]
    refund = story.ok("payments", "refund", "3", date="2026-03-16")
    assert (refund["refunded"], refund["voucher"]) == ("75.00", 8)
    assert postings(story, 8) == [("1920", "-75.00"), ("2990", "75.00")]

    rows = story.ok("payments", "list", date="2026-03-16")
    assert [(r["payment"], r["status"], r["customer"], r["invoices"]) for r in rows] == [
        (1, "matched", 10000, [1, 2]),
        (2, "credit", 10001, []),
        (3, "refunded", None, []),
    ]
    assert [what_paid(r) for r in rows[:2]] == [
        ("3000.00", "0.00", "0.00", "0.00", "100.00"),
        ("0.00", "0.00", "0.00", "0.00", "150.00"),
    ]
    assert rows[2]["refunded"] == "75.00"
    credits = [p for p in story.rows("posting") if p["account"] == "2900"]
    assert sorted((p["customer_id"], f"{p['amount']:.2f}") for p in credits) == [
        (1, "-100.00"),
        (2, "-150.00"),
    ]
    # Matched on 03-16, booked on 03-13 when the money came: the catch-up run closes the
    # case on the first day it runs that sees the payment.
    assert story.days("2026-03-16") == [("2026-03-13", 1, "close_settled", None, "0.00")]
    assert open_amounts(story, "2026-03-16", 1, 2) == ["0.00", "0.00"]
    balances = story.balances()
    assert (balances["2990"], balances["2900"], balances["1920"]) == ("0.00", "-250.00", "3250.00")
    assert story.ok("payments", "list", "--unmatched", date="2026-03-16") == []
    story.ledger_whole()


# --- 7 and 8. Files refused whole ------------------------------------------------------------


def test_a_file_read_before_is_refused_and_nothing_changes(story: Story, tmp_path: Path) -> None:
    """The OCR file of 03-13 is booked once. Imported again, as a copy under another name,
    or as a different file reusing its transmission number, it is refused with exit code 2
    naming the file it was read as, and no row or file changes. A camt.054 message id is
    held to the same rule."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    first = ocr_file(tmp_path / "OCR.D130326.txt", [Paid("1000.00", KID, "2026-03-13")])
    story.ok("payments", "import", str(first), date="2026-03-13")
    said = "already imported on 2026-03-13 as 'OCR.D130326.txt' (ocr 00008080-1000001"
    story.refused("payments", "import", str(first), date="2026-03-13", says=said)
    copy = shutil.copyfile(first, tmp_path / "kopi.txt")
    story.refused("payments", "import", str(copy), date="2026-03-16", says=said)
    same_number = ocr_file(tmp_path / "annen.txt", [Paid("500.00", KID, "2026-03-16")])
    assert same_number.read_bytes() != first.read_bytes()
    story.refused("payments", "import", str(same_number), date="2026-03-16", says=said)
    assert [(r["payment"], r["amount"]) for r in story.ok("payments", "list")] == [(1, "1000.00")]

    camt = bank_file(tmp_path / "camt.xml", "camt054 001.08", [Paid("500.00", KID, "2026-03-16")])
    story.ok("payments", "import", str(camt), date="2026-03-16")
    again = bank_file(tmp_path / "camt-2.xml", "camt054 001.02", [Paid("1.00", KID, "2026-03-17")])
    story.refused(
        "payments",
        "import",
        str(again),
        date="2026-03-17",
        says="already imported on 2026-03-16 as 'camt.xml' (camt054 CAMT-1",
    )
    rows = story.ok("payments", "list", date="2026-03-17")
    assert [(r["payment"], r["amount"], r["principal"]) for r in rows] == [
        (1, "1000.00", "1000.00"),
        (2, "500.00", "500.00"),
    ]
    assert open_amounts(story, "2026-03-17", 1) == ["1000.00"]
    assert story.balances()["1920"] == "1500.00"
    story.ledger_whole()


def test_a_malformed_file_is_refused_whole_naming_the_line(story: Story, tmp_path: Path) -> None:
    """Two good payments, then a transmission end (line 8) whose total says 3600.00 where
    the transactions add up to 3500.00: the file is refused, naming line 8 and the field,
    and nothing is booked, not even the good payments. So is a file for an account that is
    neither Test AS's nor a client account. The corrected file is then read as usual."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    payments = [Paid("1000.00", KID, "2026-03-13"), Paid("2500.00", UNKNOWN_KID, "2026-03-13")]
    good = ocr_text(payments)
    lines = good.splitlines()
    end = lines[-1]
    assert end.startswith("NY000089") and end[24:41] == "00000000000350000"
    lines[-1] = end[:24] + "00000000000360000" + end[41:]
    bad = tmp_path / "ocr.txt"
    bad.write_text("\n".join(lines) + "\n", encoding="iso-8859-1")
    story.refused(
        "payments",
        "import",
        str(bad),
        date="2026-03-13",
        says="line 8: transmission end: total amount: says 3600.00 but the transactions add "
        "up to 3500.00",
    )
    elsewhere = ocr_file(tmp_path / "other.txt", payments, account="12345678903")
    story.refused(
        "payments",
        "import",
        str(elsewhere),
        date="2026-03-13",
        says="line 3: account: 12345678903 is neither Test AS's account 86011117947",
    )
    assert story.rows("payment") == [] and story.rows("bank_file") == []

    bad.write_text(good, encoding="iso-8859-1")
    report = story.ok("payments", "import", str(bad), date="2026-03-13")
    assert (report["payments"], report["matched"], report["unmatched"]) == (2, 1, 1)
    balances = story.balances()
    assert (balances["1920"], balances["2990"], balances["1500"]) == (
        "3500.00",
        "-2500.00",
        "1500.00",
    )
    story.ledger_whole()


# --- 9. Reversals ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_reversal_takes_back_a_payment_and_the_case_claims_it_again(
    story: Story, tmp_path: Path, fmt: str
) -> None:
    """Kari pays 1000.00 on 03-13 after the reminder. On 03-16 the bank reverses it (OCR
    type 18, reversal with KID; camt.054 CdtDbtInd DBIT) in a file that also reverses 75.00
    for a KID we never received: the payment's voucher is reversed (KORR), the invoice is
    open for 2500.00 again and the case is told; the unknown reversal waits in the queue
    (KORR 2990 / 1920). The notice of 03-24 claims the whole 2500.00."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    paid = bank_file(tmp_path / "bank-1", fmt, [Paid("1000.00", KID, "2026-03-13")])
    story.ok("payments", "import", str(paid), date="2026-03-13")
    assert story.days("2026-03-13") == []
    assert open_amounts(story, "2026-03-13", 1) == ["1500.00"]
    reversals = bank_file(
        tmp_path / "bank-2",
        fmt,
        [
            Paid("1000.00", KID, "2026-03-16", reversal=True),
            Paid("75.00", UNKNOWN_KID, "2026-03-16", reversal=True),
        ],
        number=2,
    )
    report = story.ok("payments", "import", str(reversals), date="2026-03-16")
    assert (report["payments"], report["reversed"], report["total"]) == (2, 1, "0.00")
    rows = story.ok("payments", "list", date="2026-03-16")
    assert [(r["payment"], r["amount"], r["status"], r["matched_by"], r["case"]) for r in rows] == [
        (1, "1000.00", "reversed", "case_kid", 1),
        (2, "-1000.00", "matched", "reversal", 1),
        (3, "-75.00", "unmatched", "", None),
    ]
    assert what_paid(rows[1]) == ("-1000.00", "0.00", "0.00", "0.00", "0.00")
    (voucher,) = [v for v in story.ok("ledger", "vouchers") if v["reverses"] == 2]
    assert (voucher["number"], voucher["type"], voucher["date"]) == (3, "KORR", "2026-03-16")
    assert postings(story, 2) == [("1500", "-1000.00"), ("1920", "1000.00")]
    assert postings(story, 3) == [("1500", "1000.00"), ("1920", "-1000.00")]
    assert postings(story, 4) == [("1920", "-75.00"), ("2990", "75.00")]
    assert open_amounts(story, "2026-03-16", 1) == ["2500.00"]
    assert story.history(1)[-1] == ("2026-03-16", "payment_reversed")
    assert [r["payment"] for r in story.ok("payments", "list", "--unmatched")] == [3]
    assert story.days("2026-03-24") == [("2026-03-24", 1, "send_notice", "2026-04-07", "37.50")]
    assert "Å betale 2 537,50" in story.text("2026-03-24/case-1-collection_notice.pdf")
    balances = story.balances()
    assert (balances["1920"], balances["2990"], balances["1500"]) == ("-75.00", "75.00", "2537.50")
    story.ledger_whole()


def test_a_credit_note_the_payer_deducted_waits_negative_in_the_queue_never_paying(
    story: Story, tmp_path: Path
) -> None:
    """Kari has invoice 1 (2500.00) and invoice 2 (625.00). Her bank pays invoice 1 less a
    credit note with invoice 2's KID: OCR amount item 1 with sign "-" (the OCR giro system
    manual, field 11), 625.00 unsigned in field 12. Only 1875.00 reached the account: the
    credit note is money out, waiting in the queue for a person (KORR 2990 / 1920), and
    pays nothing on invoice 2 (it was booked as a payment of 625.00 before)."""
    debtor_case(story, "consumer")
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Vare;1;500;25", date="2026-03-02"
    )
    paid = ocr_file(
        tmp_path / "ocr.txt",
        [
            Paid("2500.00", KID, "2026-03-13"),
            Paid("625.00", "0000000026", "2026-03-13", sign="-"),
        ],
    )
    report = story.ok("payments", "import", str(paid), date="2026-03-13")
    assert (report["payments"], report["total"], report["credit_notes"]) == (2, "2500.00", 1)
    rows = story.ok("payments", "list", date="2026-03-13")
    assert [(r["payment"], r["amount"], r["status"], r["invoices"]) for r in rows] == [
        (1, "2500.00", "matched", [1]),
        (2, "-625.00", "unmatched", []),
    ]
    assert open_amounts(story, "2026-03-13", 1, 2) == ["0.00", "625.00"]
    assert postings(story, 4) == [("1920", "-625.00"), ("2990", "625.00")]
    balances = story.balances()
    assert (balances["1920"], balances["2990"]) == ("1875.00", "625.00")
    story.ledger_whole()


def test_a_reversal_of_the_payment_that_closed_the_case_reopens_it(
    story: Story, tmp_path: Path
) -> None:
    """Kari pays the whole 2500.00 on 03-13 and that day's run closes the case as paid.
    On 03-16 the bank reverses the payment: the invoice is open for 2500.00 again, so the
    case must go on (docs/design.md: the reversal reopens what it paid and "the case is
    told"): the notice follows on 03-24."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    story.ok(
        "payments",
        "import",
        str(ocr_file(tmp_path / "ocr-1.txt", [Paid("2500.00", KID, "2026-03-13")])),
        date="2026-03-13",
    )
    assert story.days("2026-03-13") == [("2026-03-13", 1, "close_settled", None, "0.00")]
    reversal = ocr_file(
        tmp_path / "ocr-2.txt",
        [Paid("2500.00", KID, "2026-03-16", reversal=True)],
        transmission="1000002",
    )
    assert story.ok("payments", "import", str(reversal), date="2026-03-16")["reversed"] == 1
    assert open_amounts(story, "2026-03-16", 1) == ["2500.00"]
    assert story.state(1) != "closed"
    assert ("2026-03-24", 1, "send_notice", "2026-04-07", "37.50") in story.days("2026-03-24")
    story.ledger_whole()


def test_a_payment_matched_by_hand_days_later_bears_interest_to_the_day_it_was_paid(
    story: Story, tmp_path: Path
) -> None:
    """Case 1 handed over on 04-16; on Friday 04-17 Kari pays exactly what she owes that
    day, 2875.31 (2500.00, fee 37.50, salær 300.00, interest 2500.00 × 12 % × 46/365 =
    37.81), with a mistyped KID. Matched by hand to case 1 on Monday 04-20, it must pay
    interest up to 04-17, the day she paid (forsinkelsesrenteloven § 3, DOMAIN § 6: up to
    and including the payment date), so nothing is left and the case closes as paid."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *COLLECTOR)
    story.days("2026-04-17", start="2026-03-05")
    assert story.ok("collection", "case", "1", date="2026-04-17")["owed"] == "2875.31"
    paid = ocr_file(tmp_path / "ocr.txt", [Paid("2875.31", UNKNOWN_KID, "2026-04-17")])
    assert story.ok("payments", "import", str(paid), date="2026-04-17")["unmatched"] == 1
    story.days("2026-04-19")
    story.ok("payments", "match", "1", "case:1", date="2026-04-20")
    row = story.ok("payments", "show", "1", date="2026-04-20")
    assert what_paid(row) == ("2500.00", "37.81", "37.50", "300.00", "0.00")
    assert story.days("2026-04-20") == [("2026-04-20", 1, "close_settled", None, "0.00")]
    story.ledger_whole()


def test_a_part_payment_after_the_notice_bears_interest_to_its_day_the_rest_runs_on(
    story: Story, tmp_path: Path
) -> None:
    """Case 1 handed over on 04-16; on 04-17 Kari pays 2000.00 of the 2875.31 she owes:
    costs and interest to that day first (37.50 + 300.00 + 37.81), 1624.69 off the
    principal. On 04-20 the case shows 875.31 left and interest accrued only on that,
    from 04-18: 875.31 × 12 % × 3/365 = 0.86 (the case read looks at the payments on its
    invoice for that)."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *COLLECTOR)
    story.days("2026-04-17", start="2026-03-05")
    kid = str(story.ok("collection", "case", "1", date="2026-04-17")["kid"])
    paid = ocr_file(tmp_path / "ocr.txt", [Paid("2000.00", kid, "2026-04-17")])
    assert story.ok("payments", "import", str(paid), date="2026-04-17")["matched"] == 1
    shown = story.ok("collection", "case", "1", date="2026-04-20")
    assert (shown["remaining"], shown["interest_accrued"], shown["owed"]) == (
        "875.31",
        "0.86",
        "876.17",
    )
