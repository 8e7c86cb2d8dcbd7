"""Issue 12, payments: a payment counts on the day the bank received it (inkassoloven § 9
(2)). Paid in time, what the collection notice asked (principal and notice fee), a later
hand-over is undone: the salær is cancelled (§ 17), the payment pays principal and fee,
the case stands as after the notice and its interest follows with an interest note.
Heavy salær charged after the principal was paid is cancelled the same way. Also (item 13):
bank dates far from the business date are refused, OCR's two-digit years read in a century
window, the unknown-account hint names its command, and the reliable e-mail mark expires.

Invoice 1 of 2500.00 (due 03-02) in case 1 from 03-05: reminder 03-09, notice 03-24 (fee
37.50, deadline Tuesday 04-07), listed 04-08, handed over on Thursday 04-16 with light
salær 300.00 (demand deadline 04-30). Interest at the 2026 H1 rate of 12.00 %."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update

from fordring.adapters.bank.camt054_writer import write_camt054
from fordring.adapters.db.engine import normalise_url
from fordring.adapters.db.tables import customer
from fordring.domain.bank_files import BankTransaction
from tests.builders import OTHER_ORGNR
from tests.scenarios.bankfiles import (
    CLIENT_ACCOUNT,
    COMPANY_ACCOUNT,
    Paid,
    bank_file,
    ocr_file,
    what_paid,
)
from tests.scenarios.story import Story, debtor_case
from tests.smtp_server import Mailbox, smtp_server

pytestmark = pytest.mark.e2e

COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")
CLIENT = (
    "pay_to=client_account",
    f"client_account={CLIENT_ACCOUNT}",
    "collector_name=Demo Inkasso AS",
    "collector_orgnr=974760673",
)
KID = "0000000018"
ASKED = "2537.50"  # what the notice asked: principal 2500.00 and notice fee 37.50
SALAER = (1, "salaer", "300.00", "2026-04-16")


def handed_over(story: Story, *settings: str) -> None:
    """Case 1 handed over on 04-16 (the run has done every day up to then)."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *settings)
    steps = story.days("2026-04-16", start="2026-03-05")
    assert [(s.day, s.step, s.fee) for s in steps][-2:] == [
        ("2026-04-08", "put_on_list", "0.00"),
        ("2026-04-16", "hand_over", "300.00"),
    ]
    assert story.state(1) == "in_collection"


def undone(story: Story) -> None:
    """After the payment in time: back where the notice left it, the salær cancelled, the
    principal and fee paid; the next run sends the interest note: 2500.00 × 12 % × 36/365
    (03-03 to the bank date 04-07) = 29.59; once that is paid, the case closes as paid and
    the collector has nothing of it."""
    assert story.state(1) == "notified"
    history = story.ok("collection", "case", "1", date="2026-04-17")["history"]
    (undo,) = [e for e in history if e["kind"] == "handover_undone"]
    assert "deadline 2026-04-07" in undo["text"] and "salær 300.00 cancelled" in undo["text"]
    assert "§ 9 (2)" in undo["text"]
    assert story.ok("payments", "show", "1", date="2026-04-17")["principal"] == "2500.00"
    assert what_paid(story.rows("payment")[0]) == ("2500.00", "0.00", "37.50", "0.00", "0.00")
    case = story.ok("collection", "case", "1", date="2026-04-17")
    assert (case["remaining"], case["fees_open"], case["salaer_open"]) == ("0.00", "0.00", "0.00")
    assert story.run_on("2026-04-17") == [
        ("2026-04-17", 1, "send_interest_note", "2026-05-04", "29.59")
    ]
    assert story.charges() == [
        (1, "fee", "37.50", "2026-03-24"),
        (1, "salaer", "0.00", "2026-04-16"),  # cancelled by the correcting voucher
        (1, "interest", "29.59", "2026-04-17"),
    ]
    assert [c["open_amount"] for c in story.rows("charge") if c["kind"] == "salaer"] == [0]
    # The interest note claims no salær: the cancelled charge no longer counts.
    note = story.text("2026-04-17/case-1-interest_note.pdf")
    assert "Rentenota" in note and "Inndrivingskostnader" not in note
    korr = [v for v in story.ok("ledger", "vouchers") if v["type"] == "KORR"]
    assert [(v["date"], v["text"]) for v in korr] == [
        ("2026-04-16", "Sak 1: betalt innen fristen 2026-04-07")
    ]
    story.ok("payments", "register", "--amount", "29.59", "--kid", KID, date="2026-04-20")
    assert story.run_on("2026-04-20") == [("2026-04-20", 1, "close_settled", None, "0.00")]
    assert story.days("2026-06-30") == []  # no heavy salær, nothing more
    balances = story.balances()
    assert (balances["2910"], balances["1500"], balances["8055"]) == ("0.00", "0.00", "-29.59")
    assert "7790" not in balances  # the salær is not moved to the creditor's cost either


def test_paid_on_the_deadline_by_ocr_imported_after_the_handover_undoes_it(
    story: Story, tmp_path: Path
) -> None:
    """Kari pays 2537.50 on the notice's deadline 04-07 (the OCR record's bank date); the
    file comes in on 04-17, after Thursday's hand-over."""
    handed_over(story, *COLLECTOR)
    paid = bank_file(tmp_path / "ocr-0407.txt", "ocr", [Paid(ASKED, KID, "2026-04-07")])
    story.ok("payments", "import", str(paid), date="2026-04-17")
    undone(story)
    story.ledger_whole()


def test_paid_on_the_deadline_registered_by_hand_after_the_handover_undoes_it(
    story: Story,
) -> None:
    """The same payment, registered on 04-17 with `payments register --date 2026-04-07`."""
    handed_over(story, *COLLECTOR)
    paid = story.ok(
        "payments",
        "register",
        "--amount",
        ASKED,
        "--kid",
        KID,
        "--date",
        "2026-04-07",
        date="2026-04-17",
    )
    assert [a["amount"] for a in paid["applied"]] == ["2500.00", "37.50"]
    assert paid["order"] == ["principal", "interest", "costs"]
    undone(story)
    story.ledger_whole()


def test_paid_one_day_after_the_deadline_the_handover_and_salaer_stand(story: Story) -> None:
    """2537.50 received on 04-08, the day after the deadline: the hand-over stands and the
    payment pays by the collection order (costs, interest, principal), salær first."""
    handed_over(story, *COLLECTOR)
    paid = story.ok(
        "payments",
        "register",
        "--amount",
        ASKED,
        "--kid",
        KID,
        "--date",
        "2026-04-08",
        date="2026-04-17",
    )
    assert paid["order"] == ["costs", "interest", "principal"]
    assert story.state(1) == "in_collection"
    assert "handover_undone" not in [kind for _, kind in story.history(1)]
    row = story.rows("payment")[0]
    assert (row["salaer"], row["fees"]) == (300, 37.5)
    assert story.balances()["2910"] == "-300.00"
    assert SALAER in story.charges()
    story.ledger_whole()


def test_a_partial_payment_in_time_leaves_the_handover_standing(story: Story) -> None:
    """2000.00 received on 04-07 does not cover the 2537.50 the notice asked: the case
    stays in collection with its salær."""
    handed_over(story, *COLLECTOR)
    story.ok(
        "payments",
        "register",
        "--amount",
        "2000",
        "--kid",
        KID,
        "--date",
        "2026-04-07",
        date="2026-04-17",
    )
    assert story.state(1) == "in_collection"
    assert story.ok("collection", "case", "1", date="2026-04-17")["salaer_open"] == "0.00"
    assert story.balances()["2910"] == "-300.00"
    assert story.run_on("2026-04-17") == []
    story.ledger_whole()


def test_two_payments_in_time_together_cover_the_notice(story: Story) -> None:
    """1000.00 on 04-01 (registered in time, before the notice's deadline) and 1537.50 on
    04-07 (registered after the hand-over): together they cover the notice, so the
    hand-over is undone."""
    handed_over(story, *COLLECTOR)
    story.ok("payments", "register", "--amount", "1000", "--kid", KID, "--date", "2026-04-01")
    story.ok(
        "payments",
        "register",
        "--amount",
        "1537.50",
        "--kid",
        KID,
        "--date",
        "2026-04-07",
        date="2026-04-17",
    )
    assert story.state(1) == "notified"
    case = story.ok("collection", "case", "1", date="2026-04-17")
    assert (case["remaining"], case["fees_open"], case["salaer_open"]) == ("0.00", "0.00", "0.00")
    assert story.balances()["2910"] == "0.00"
    story.ledger_whole()


def test_paid_in_time_to_the_client_account_the_collector_keeps_nothing(
    story: Story, tmp_path: Path
) -> None:
    """With the client account on the notice, Kari pays 2537.50 to it on 04-07; the file
    comes on 04-17. The hand-over is undone, and Monday's settlement pays all 2537.50 out
    to Test AS: the collector keeps no salær."""
    handed_over(story, *CLIENT)
    paid = ocr_file(
        tmp_path / "klientkonto-0407.txt",
        [Paid(ASKED, KID, "2026-04-07")],
        account=CLIENT_ACCOUNT,
    )
    story.ok("payments", "import", str(paid), date="2026-04-17")
    assert story.state(1) == "notified"
    story.days("2026-04-20")
    (settlement,) = story.ok("settlement", "list", date="2026-04-20")
    assert (settlement["received"], settlement["kept"], settlement["paid_out"]) == (
        ASKED,
        "0.00",
        ASKED,
    )
    assert story.balances()["2910"] == "0.00"
    story.ledger_whole()


def test_an_unmatched_payment_in_time_matched_by_hand_undoes_the_handover(
    story: Story, tmp_path: Path
) -> None:
    """Kari pays 2537.50 on 04-07 with a mistyped KID; the file comes on 04-17 and the
    payment waits in the queue until it is matched to case 1 by hand that day."""
    handed_over(story, *COLLECTOR)
    paid = bank_file(tmp_path / "ocr-0407.txt", "ocr", [Paid(ASKED, "0000009993", "2026-04-07")])
    story.ok("payments", "import", str(paid), date="2026-04-17")
    assert story.state(1) == "in_collection"
    story.ok("payments", "match", "1", "case:1", date="2026-04-17")
    undone(story)
    story.ledger_whole()


# --- item 13: bank dates far from the business date, the unknown account's hint ----------


def test_an_ocr_date_with_a_two_digit_year_far_off_is_refused_naming_the_record(
    story: Story, tmp_path: Path
) -> None:
    """An OCR record dated 07.04.92 is read as 1992 (not 2092) and, being more than a year
    from the business date, refuses the whole file naming its line: nothing is booked, and
    the run goes on as if the file had not come."""
    handed_over(story, *COLLECTOR)
    paid = bank_file(
        tmp_path / "ocr.txt",
        "ocr",
        [Paid("100.00", KID, "2026-04-15"), Paid(ASKED, KID, "1992-04-07")],
    )
    story.refused(
        "payments",
        "import",
        str(paid),
        date="2026-04-17",
        says="line 5: date: 1992-04-07 is more than a year from the business date 2026-04-17",
    )
    assert story.run_on("2026-04-17") == []
    assert story.rows("payment") == [] and story.rows("bank_file") == []
    story.ledger_whole()


@pytest.mark.parametrize("day", ["2025-04-16", "2027-04-18"])
def test_a_camt_payment_more_than_a_year_off_is_refused(
    story: Story, tmp_path: Path, day: str
) -> None:
    """A camt.054 entry booked more than a year before or after the business date."""
    handed_over(story, *COLLECTOR)
    paid = bank_file(
        tmp_path / "camt.xml",
        "camt054 001.08",
        [Paid("1.00", KID, "2026-04-16"), Paid(ASKED, KID, day)],
    )
    story.refused(
        "payments",
        "import",
        str(paid),
        date="2026-04-17",
        says=f"Ntry 2 / TxDtls 1: date: {day} is more than a year",
    )
    story.ledger_whole()


def test_a_payment_registered_more_than_a_year_off_is_refused(story: Story) -> None:
    """`payments register --date` a year and a day before the business date: exit 2, the
    field named, nothing written; a year before exactly is taken."""
    handed_over(story, *COLLECTOR)
    register = ("payments", "register", "--amount", "100", "--kid", KID, "--date")
    story.refused(*register, "2025-04-16", date="2026-04-17", says="date: 2025-04-16 is more")
    story.ok(*register, "2026-04-16", date="2026-04-17")
    assert story.run_on("2026-04-17") == []
    story.ledger_whole()


def test_a_payment_to_an_unknown_account_names_the_command_that_fixes_it(
    story: Story, tmp_path: Path
) -> None:
    handed_over(story, *COLLECTOR)
    paid = ocr_file(tmp_path / "ocr.txt", [Paid(ASKED, KID, "2026-04-16")], account=CLIENT_ACCOUNT)
    story.refused(
        "payments",
        "import",
        str(paid),
        date="2026-04-17",
        says=f"`fordring collection agreement set client_account={CLIENT_ACCOUNT}`",
    )
    story.ok(
        "collection", "agreement", "set", f"client_account={CLIENT_ACCOUNT}", date="2026-04-17"
    )
    story.ok("payments", "import", str(paid), date="2026-04-17")
    assert story.run_on("2026-04-17") == []
    story.ledger_whole()


# --- item 13: the reliable e-mail mark expires ----------------------------------------------


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    with smtp_server() as (box, port):
        monkeypatch.setenv("FORDRING_SMTP_URL", f"smtp://127.0.0.1:{port}?from=faktura@test.no")
        yield box


@pytest.mark.parametrize(
    ("marked_on", "notice_by"),
    [
        ("2025-03-25", "email"),  # holds until 2026-03-25: the notice of 03-24 is in time
        ("2025-03-24", "paper"),  # 12 months are up on the notice's day
        ("2024-11-01", "paper"),
    ],
)
def test_the_reliable_email_mark_lasts_twelve_months_then_notices_go_on_paper(
    story: Story, mailbox: Mailbox, marked_on: str, notice_by: str
) -> None:
    """Kari's address is marked reliable on MARKED_ON; the reminder (03-09) may go to any
    address, the collection notice (03-24) to a reliable one only while the mark holds
    (inkassoloven § 3 a: an address the debtor has recently used)."""
    debtor_case(story, "consumer")
    story.ok(
        "customer",
        "change",
        "10000",
        "--email",
        "kari@kunde.example",
        "--email-reliable",
        date=marked_on,
    )
    shown = story.ok("customer", "show", "10000", date="2026-03-05")
    assert shown["email_reliable_since"] == marked_on
    story.days("2026-03-31", start="2026-03-05")
    by = {d["kind"]: d["channel"] for d in story.ok("deliveries", "list", date="2026-03-31")}
    assert by == {"reminder": "email", "collection_notice": notice_by}
    subjects = [m["Subject"] for m in mailbox.messages]
    assert ("Inkassovarsel fra Test AS" in subjects) is (notice_by == "email")
    story.ledger_whole()


def test_the_agreements_period_decides_and_a_new_address_drops_the_mark(
    story: Story, mailbox: Mailbox
) -> None:
    """Marked on 2025-01-10 with `reliable_email_months=18`: it holds until 2026-07-10, so
    the notice goes by e-mail; `customer show` says until when."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "reliable_email_months=18")
    story.ok(
        "customer",
        "change",
        "10000",
        "--email",
        "kari@kunde.example",
        "--email-reliable",
        date="2025-01-10",
    )
    story.ok("customer", "change", "10000", "--phone", "+4791234567", date="2026-01-01")
    shown = story.ok("customer", "show", "10000", date="2026-03-05")
    assert (shown["email_reliable_since"], shown["email_reliable_until"]) == (
        "2025-01-10",  # changing another detail does not renew the mark
        "2026-07-10",
    )
    story.days("2026-03-31", start="2026-03-05")
    by = {d["kind"]: d["channel"] for d in story.ok("deliveries", "list", date="2026-03-31")}
    assert by == {"reminder": "email", "collection_notice": "email"}
    story.refused(
        "collection",
        "agreement",
        "set",
        "reliable_email_months=0",
        date="2026-03-31",
        says="reliable_email_months",
    )
    # A new address is not one the debtor has used: changing it drops the mark.
    moved = story.ok("customer", "change", "10000", "--email", "kari@ny.example")
    assert (moved["email_reliable"], moved["email_reliable_since"]) == (False, None)
    story.ledger_whole()


def test_a_mark_from_before_its_date_was_kept_does_not_hold(story: Story, mailbox: Mailbox) -> None:
    """A mark set before migration 0009 has no date: the notice goes on paper until
    the creditor marks the address again."""
    debtor_case(story, "consumer")
    story.ok("customer", "change", "10000", "--email", "kari@kunde.example", "--email-reliable")
    engine = create_engine(normalise_url(story.database_url))
    with engine.begin() as connection:
        connection.execute(update(customer).values(email_reliable_since=None))
    engine.dispose()
    shown = story.ok("customer", "show", "10000", date="2026-03-05")
    assert (shown["email_reliable"], shown["email_reliable_until"]) == (True, None)
    story.days("2026-03-31", start="2026-03-05")
    by = {d["kind"]: d["channel"] for d in story.ok("deliveries", "list", date="2026-03-31")}
    assert by == {"reminder": "email", "collection_notice": "paper"}
    story.ledger_whole()


# --- item 1: heavy salær charged after the principal was paid -------------------------------


def heavy_charged(story: Story) -> None:
    """Case 1 handed over on 04-16 (deadline 04-30); the run charges heavy salær (300.00
    more) on 05-29, the deadline exceeded by more than 28 days."""
    handed_over(story, *COLLECTOR)
    assert story.days("2026-05-31") == [("2026-05-29", 1, "heavy_salaer", None, "300.00")]


def test_paid_in_full_before_the_heavy_salaer_day_cancels_the_heavy_part(
    story: Story, tmp_path: Path
) -> None:
    """Kari pays 2902.43 on 05-20 (fee 37.50, light salær 300.00, interest 2500.00 × 12 % ×
    79/365 = 64.93, principal 2500.00); the OCR file comes on 06-01. The principal was paid
    before 05-29, so the heavy part is cancelled (the light salær stays: the hand-over was
    lawful), and the case closes as paid."""
    heavy_charged(story)
    paid = bank_file(tmp_path / "ocr-0520.txt", "ocr", [Paid("2902.43", KID, "2026-05-20")])
    story.ok("payments", "import", str(paid), date="2026-06-01")
    history = story.ok("collection", "case", "1", date="2026-06-01")["history"]
    (undo,) = [e for e in history if e["kind"] == "heavy_salaer_undone"]
    assert "salær 300.00 cancelled" in undo["text"] and "2026-05-29" in undo["text"]
    row = story.rows("payment")[0]
    assert what_paid(row) == ("2500.00", "64.93", "37.50", "300.00", "0.00")
    assert story.run_on("2026-06-01") == [("2026-06-01", 1, "close_settled", None, "0.00")]
    assert story.days("2026-07-31") == []
    balances = story.balances()
    assert (balances["2910"], balances["1500"]) == ("-300.00", "0.00")
    story.ledger_whole()


def test_paid_before_the_heavy_day_without_the_interest_the_heavy_salaer_stands(
    story: Story,
) -> None:
    """2837.50 on 05-20 pays costs and interest first (in collection), leaving 64.93 of
    principal open on 05-29: the heavy salær was owed."""
    heavy_charged(story)
    story.ok(
        "payments",
        "register",
        "--amount",
        "2837.50",
        "--kid",
        KID,
        "--date",
        "2026-05-20",
        date="2026-06-01",
    )
    assert "heavy_salaer_undone" not in [kind for _, kind in story.history(1)]
    assert story.balances()["2910"] == "-600.00"
    story.ledger_whole()


def test_a_camt_payment_valued_on_the_deadline_and_booked_the_next_day_is_in_time(
    story: Story, tmp_path: Path
) -> None:
    """camt.054 `ValDt` 04-07 (the deadline), `BookgDt` 04-08: the earlier date counts, so
    the hand-over of 04-16 is undone when the file comes on 04-17."""
    handed_over(story, *COLLECTOR)
    paid = BankTransaction(
        where="Ntry 1",
        account=COMPANY_ACCOUNT,
        amount=Decimal(ASKED),
        booked_on=date(2026, 4, 8),
        kid=KID,
        archive_ref="ARK000001",
        value_on=date(2026, 4, 7),
    )
    camt = tmp_path / "camt.xml"
    camt.write_bytes(
        write_camt054(
            [paid],
            message_id="CAMT-VAL",
            created=datetime.fromisoformat("2026-04-17T06:00:00"),
            version="001.08",
            account=COMPANY_ACCOUNT,
        )
    )
    story.ok("payments", "import", str(camt), date="2026-04-17")
    assert story.rows("payment")[0]["received_on"] == date(2026, 4, 7)
    undone(story)
    story.ledger_whole()


def test_own_collection_paid_in_time_cancels_the_demand_fee(story: Story) -> None:
    """Without a collector the creditor's own demand of 04-16 charged 3/20 × 750 = 112.50;
    paid in time, that fee is cancelled and the case stands as after the notice."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", "automatic_handover=yes")
    steps = story.days("2026-04-16", start="2026-03-05")
    assert steps[-1] == ("2026-04-16", 1, "hand_over", "2026-04-30", "112.50")
    story.ok(
        "payments",
        "register",
        "--amount",
        ASKED,
        "--kid",
        KID,
        "--date",
        "2026-04-07",
        date="2026-04-17",
    )
    assert story.state(1) == "notified"
    history = story.ok("collection", "case", "1", date="2026-04-17")["history"]
    (undo,) = [e for e in history if e["kind"] == "handover_undone"]
    assert "fee 112.50 cancelled" in undo["text"]
    assert story.balances()["3900"] == "-37.50"  # the notice fee only
    assert story.run_on("2026-04-17") == [
        ("2026-04-17", 1, "send_interest_note", "2026-05-04", "29.59")
    ]
    story.ledger_whole()
