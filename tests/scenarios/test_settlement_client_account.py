"""The collector's client account: payments the debtor makes to it are the creditor's
money held by the collector (1575), settled (oppgjør) on the banking day after they came
in. The collector keeps the salær; the rest is paid out to the creditor's account.

Invoice 1 of 2500.00 (due 03-02) is in case 1 from 03-05, with the agreement's pay-to set
to the client account of Demo Inkasso AS: notice 03-24 (fee 37.50), listed 04-08, handed
over on Thursday 04-16 with the payment demand and light salær of 300.00."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from tests.scenarios.bankfiles import CLIENT_ACCOUNT, Paid, ocr_file, postings, what_paid
from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e

KID = "0000000018"
CLIENT = (
    "pay_to=client_account",
    f"client_account={CLIENT_ACCOUNT}",
    "collector_name=Demo Inkasso AS",
    "collector_orgnr=974760673",
)
DEMAND = "2026-04-16/case-1-payment_demand.pdf"


def case_letters(story: Story) -> list[str]:
    """The letters to the debtor (the outbox also holds settlement statements)."""
    return [name for name in story.letters() if not name.startswith("settlements/")]


def handed_over(story: Story) -> None:
    """Case 1 in collection from 04-16 with the client account on its letters; the run has
    done every day up to 04-16."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *CLIENT)
    steps = story.days("2026-04-16", start="2026-03-05")
    assert [(s.day, s.step, s.fee) for s in steps] == [
        ("2026-03-09", "send_reminder", "0.00"),
        ("2026-03-24", "send_notice", "37.50"),
        ("2026-04-08", "put_on_list", "0.00"),
        ("2026-04-16", "hand_over", "300.00"),
    ]
    demand = story.text(DEMAND)
    assert "Demo Inkasso AS" in demand and "Org.nr. 974 760 673" in demand
    assert f"2 874,49 1503 20 80119 {KID} 30.04.2026" in demand  # amount, account, KID


def test_a_friday_payment_to_the_client_account_is_settled_on_monday(
    story: Story, tmp_path: Path
) -> None:
    """Kari pays all she owes on Friday 04-17 to the client account: 2875.31 (principal
    2500.00, fee 37.50, salær 300.00, interest 2500.00 × 12 % × 46/365 = 37.81, charged
    as she pays). It is booked to 1575, and that day's run closes the case. Saturday's
    and Sunday's runs settle nothing; Monday's makes settlement 1: 2875.31 received,
    300.00 kept by the collector (its salær), 2575.31 paid out to Test AS (OPPG: 1920
    and 2910 against 1575). The statement's PDF and CSV are in the outbox, and are written
    again by `settlement show 1 --pdf --csv`."""
    handed_over(story)
    paid = ocr_file(
        tmp_path / "klientkonto-0417.txt",
        [Paid("2875.31", KID, "2026-04-17")],
        account=CLIENT_ACCOUNT,
    )
    report = story.ok("payments", "import", str(paid), date="2026-04-17")
    assert (report["payments"], report["matched_by"], report["interest_charged"]) == (
        1,
        {"case_kid": 1},
        "37.81",
    )
    row = story.ok("payments", "show", "1", date="2026-04-17")
    assert (row["channel"], row["status"], row["case"], row["settlement"]) == (
        "client",
        "matched",
        1,
        None,
    )
    assert what_paid(row) == ("2500.00", "37.81", "37.50", "300.00", "0.00")
    assert postings(story, 4) == [("1500", "37.81"), ("8055", "-37.81")]  # the interest
    assert postings(story, 5) == [
        ("1500", "-2500.00"),
        ("1500", "-300.00"),
        ("1500", "-37.50"),
        ("1500", "-37.81"),
        ("1575", "2875.31"),
    ]
    assert story.days("2026-04-17") == [("2026-04-17", 1, "close_settled", None, "0.00")]
    assert [(r["state"], r["closed_reason"]) for r in story.rows("collection_case")] == [
        ("closed", "paid")
    ]
    before = story.balances()
    assert (before["1575"], before["2910"]) == ("2875.31", "-300.00")
    assert "1920" not in before  # nothing has reached Test AS's bank yet

    for weekend_day in ("2026-04-18", "2026-04-19"):
        assert story.ok("run", date=weekend_day)["settlements"] == []
    assert story.ok("settlement", "list") == []
    monday = story.ok("run", date="2026-04-20")
    assert monday["steps"] == []
    assert [(s["settlement"], s["day"], s["payments"]) for s in monday["settlements"]] == [
        (1, "2026-04-20", 1)
    ]
    assert [(s["received"], s["kept"], s["paid_out"]) for s in monday["settlements"]] == [
        ("2875.31", "300.00", "2575.31")
    ]
    (listed,) = story.ok("settlement", "list")
    assert (listed["settlement"], listed["day"], listed["paid_out"]) == (1, "2026-04-20", "2575.31")
    assert story.ok("payments", "show", "1", date="2026-04-20")["settlement"] == 1
    assert postings(story, 6) == [("1575", "-2875.31"), ("1920", "2575.31"), ("2910", "300.00")]
    after = story.balances()
    assert (after["1575"], after["1920"], after["2910"]) == ("0.00", "2575.31", "0.00")
    assert story.ok("run", date="2026-04-21")["settlements"] == []  # settled once

    (tmp_path / "o.csv").write_text("kept\n")
    story.refused(
        "settlement",
        "show",
        "1",
        "--pdf",
        str(tmp_path / "o.pdf"),
        "--csv",
        str(tmp_path / "o.csv"),
        date="2026-04-21",
        says="csv: " + str(tmp_path / "o.csv") + " exists; add --force",
    )
    assert not (tmp_path / "o.pdf").exists()  # checked before anything is written
    shown = story.ok(
        "settlement",
        "show",
        "1",
        "--pdf",
        str(tmp_path / "o.pdf"),
        "--csv",
        str(tmp_path / "o.csv"),
        "--force",
        date="2026-04-21",
    )
    assert (shown["creditor"], shown["collector"], shown["day"]) == (
        "Test AS",
        "Demo Inkasso AS",
        "2026-04-20",
    )
    assert (shown["received"], shown["principal"], shown["interest"], shown["fees"]) == (
        "2875.31",
        "2500.00",
        "37.81",
        "37.50",
    )
    assert (shown["salaer"], shown["kept"], shown["paid_out"]) == ("300.00", "300.00", "2575.31")
    assert [(p["case"], p["kid"], p["amount"], p["paid_out"]) for p in shown["payments"]] == [
        (1, KID, "2875.31", "2575.31")
    ]
    stored = [Path(shown["pdf"]), Path(shown["csv"])]
    assert [p.relative_to(story.outbox).as_posix() for p in stored] == [
        "settlements/923609016/oppgjor-1.pdf",
        "settlements/923609016/oppgjor-1.csv",
    ]
    assert (tmp_path / "o.csv").read_bytes() == stored[1].read_bytes()
    pdf = pypdf.PdfReader(tmp_path / "o.pdf")
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Demo Inkasso AS" in text and "Test AS" in text and "2 575,31" in text
    content = (tmp_path / "o.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert header[:3] == ["mottatt", "kid", "betaler"] and header[-1] == "utbetalt"
    assert len(rows) == 1 and rows[0][:2] == ["2026-04-17", KID]  # no totals row
    columns = {
        name: sum(Decimal(r[header.index(name)].replace(",", ".")) for r in rows)
        for name in ("beløp", "hovedstol", "renter", "gebyr", "salær", "utbetalt")
    }
    assert {k: f"{v:.2f}" for k, v in columns.items()} == {
        "beløp": shown["received"],
        "hovedstol": shown["principal"],
        "renter": shown["interest"],
        "gebyr": shown["fees"],
        "salær": shown["kept"],
        "utbetalt": shown["paid_out"],
    }
    assert case_letters(story)[-1] == DEMAND  # no letter after the demand: paid in full
    story.ledger_whole()


def test_a_payment_on_maundy_thursday_is_settled_on_the_tuesday_after_easter(
    story: Story,
) -> None:
    """Before the hand-over, the notice already shows the client account. Kari pays the
    notice's 2537.50 to it on Thursday 04-02 (Skjærtorsdag): the principal and the fee.
    04-02, Good Friday 04-03, the weekend and Easter Monday 04-06 are no banking days, so
    the runs settle nothing and send no letter until Tuesday 04-07: settlement 1, all paid
    out (the collector has no salær to keep), and the interest note (issue 12: letters only
    on banking days)."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", *CLIENT)
    story.days("2026-04-01", start="2026-03-05")
    notice = story.text("2026-03-24/case-1-collection_notice.pdf")
    assert f"2 537,50 1503 20 80119 {KID}" in notice
    paid = story.ok(
        "payments",
        "register",
        "--amount",
        "2537.50",
        "--kid",
        KID,
        "--to",
        "client",
        date="2026-04-02",
    )
    assert [a["amount"] for a in paid["applied"]] == ["2500.00", "37.50"]
    assert postings(story, paid["voucher"]) == [
        ("1500", "-2500.00"),
        ("1500", "-37.50"),
        ("1575", "2537.50"),
    ]
    # 2500.00 × 12 % × 31/365 (03-03 to 04-02) = 25.479… → 25.48
    assert story.days("2026-04-02") == []  # Maundy Thursday: the interest note waits
    for day in ("2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06"):
        assert story.ok("run", "--to", day, date=day)["settlements"] == [], day
    tuesday = story.ok("run", "--to", "2026-04-07", date="2026-04-07")
    assert [(s["day"], s["step"], s["deadline"], s["fee"]) for s in tuesday["steps"]] == [
        ("2026-04-07", "send_interest_note", "2026-04-21", "25.48")
    ]
    assert [
        (s["settlement"], s["day"], s["received"], s["kept"], s["paid_out"])
        for s in tuesday["settlements"]
    ] == [(1, "2026-04-07", "2537.50", "0.00", "2537.50")]
    assert story.ok("payments", "show", "1", date="2026-04-07")["settlement"] == 1
    (voucher,) = [v for v in story.ok("ledger", "vouchers") if v["type"] == "OPPG"]
    assert voucher["date"] == "2026-04-07"
    assert postings(story, voucher["number"]) == [("1575", "-2537.50"), ("1920", "2537.50")]
    balances = story.balances()
    assert (balances["1575"], balances["1920"]) == ("0.00", "2537.50")
    assert balances["1500"] == "25.48"  # the interest note waits
    story.ledger_whole()


def test_unmatched_client_account_payments_are_settled_only_once_kept_as_credit(
    story: Story, tmp_path: Path
) -> None:
    """On Friday 03-13 two payments with a KID of nothing reach the client account
    (1575 / 2990): the collector holds them, and Monday's run settles nothing. On Monday
    03-16 one (150.00) is kept as Kari's credit, the other (20.00) is paid back from the
    client account (2990 / 1575). Tuesday's run settles the kept one: 150.00, all paid
    out, as the customer's credit; the refunded one is never settled."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", *CLIENT)
    story.days("2026-03-12", start="2026-03-05")
    paid = ocr_file(
        tmp_path / "klientkonto.txt",
        [Paid("150.00", "0000009993", "2026-03-13"), Paid("20.00", "0000009993", "2026-03-13")],
        account=CLIENT_ACCOUNT,
    )
    assert story.ok("payments", "import", str(paid), date="2026-03-13")["unmatched"] == 2
    assert postings(story, 2) == [("1575", "150.00"), ("2990", "-150.00")]
    waiting = story.ok("payments", "list", "--unmatched", date="2026-03-13")
    assert [(r["payment"], r["channel"]) for r in waiting] == [(1, "client"), (2, "client")]
    for day in ("2026-03-13", "2026-03-14", "2026-03-15", "2026-03-16"):
        assert story.ok("run", "--to", day, date=day)["settlements"] == [], day

    story.ok("payments", "keep", "1", "--customer", "10000", date="2026-03-16")
    assert postings(story, 4) == [("2900", "-150.00"), ("2990", "150.00")]
    assert story.ok("payments", "refund", "2", date="2026-03-16")["refunded"] == "20.00"
    assert postings(story, 5) == [("1575", "-20.00"), ("2990", "20.00")]
    tuesday = story.ok("run", "--to", "2026-03-17", date="2026-03-17")
    assert [
        (s["settlement"], s["payments"], s["received"], s["kept"], s["paid_out"])
        for s in tuesday["settlements"]
    ] == [(1, 1, "150.00", "0.00", "150.00")]
    shown = story.ok("settlement", "show", "1", date="2026-03-17")
    assert [(p["amount"], p["credit"], p["customer"]) for p in shown["payments"]] == [
        ("150.00", "150.00", 10000)
    ]
    rows = story.ok("payments", "list", date="2026-03-17")
    assert [(r["payment"], r["status"], r["settlement"]) for r in rows] == [
        (1, "credit", 1),
        (2, "refunded", None),
    ]
    assert postings(story, 6) == [("1575", "-150.00"), ("1920", "150.00")]
    balances = story.balances()
    assert (balances["1575"], balances["2990"], balances["2900"], balances["1920"]) == (
        "0.00",
        "0.00",
        "-150.00",
        "150.00",
    )
    story.ledger_whole()


def test_a_payment_reversed_before_it_is_settled_nets_to_nothing_and_the_run_goes_on(
    story: Story, tmp_path: Path
) -> None:
    """Kari pays 1000.00 to the client account on Friday 03-13 and the bank reverses it the
    same day. Monday's run has nothing to pay out (design.md: the reversal "nets with the
    payment in the next settlement"); it must finish, and the notice of 03-24 must still
    go out for the whole 2500.00."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", *CLIENT)
    story.days("2026-03-12", start="2026-03-05")
    paid = ocr_file(
        tmp_path / "betaling.txt", [Paid("1000.00", KID, "2026-03-13")], account=CLIENT_ACCOUNT
    )
    story.ok("payments", "import", str(paid), date="2026-03-13")
    reversal = ocr_file(
        tmp_path / "tilbakeforing.txt",
        [Paid("1000.00", KID, "2026-03-13", reversal=True)],
        account=CLIENT_ACCOUNT,
        transmission="1000002",
    )
    assert story.ok("payments", "import", str(reversal), date="2026-03-13")["reversed"] == 1
    steps = story.days("2026-03-24")
    assert ("2026-03-24", 1, "send_notice", "2026-04-07", "37.50") in steps
    assert story.balances()["1575"] == "0.00"
    assert [s["paid_out"] for s in story.ok("settlement", "list")] in ([], ["0.00"])
    story.ledger_whole()


def test_a_bank_reversal_of_an_unmatched_client_payment_takes_nothing_from_the_creditor(
    story: Story, tmp_path: Path
) -> None:
    """150.00 with a KID of nothing reaches the client account on Friday 03-13 and waits
    in the queue (1575 / 2990); on Monday 03-16 the bank takes it back. The creditor never
    had it, so no settlement may take it from them: Tuesday's run pays nothing out (before
    issue 13 the reversal's counter row was 'matched' and settled as -150.00)."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", *CLIENT)
    story.days("2026-03-12", start="2026-03-05")
    paid = ocr_file(
        tmp_path / "klientkonto.txt",
        [Paid("150.00", "0000009993", "2026-03-13")],
        account=CLIENT_ACCOUNT,
    )
    assert story.ok("payments", "import", str(paid), date="2026-03-13")["unmatched"] == 1
    reversal = ocr_file(
        tmp_path / "tilbakeforing.txt",
        [Paid("150.00", "0000009993", "2026-03-16", reversal=True)],
        account=CLIENT_ACCOUNT,
        transmission="1000002",
    )
    assert story.ok("payments", "import", str(reversal), date="2026-03-16")["reversed"] == 1
    tuesday = story.ok("run", "--to", "2026-03-17", date="2026-03-17")
    assert [s["paid_out"] for s in tuesday["settlements"]] in ([], ["0.00"])
    balances = story.balances()
    assert (balances["1575"], balances["2990"]) == ("0.00", "0.00")
    rows = story.ok("payments", "list", date="2026-03-17")
    assert [(r["payment"], r["status"], r["settlement"]) for r in rows] == [
        (1, "reversed", None),
        (2, "reversed", None),
    ]
    story.ledger_whole()
