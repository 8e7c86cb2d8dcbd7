"""`ledger reverse` goes through the posting service: what the reversed voucher derived
(a fee open on the case, a payment matched and waiting for settlement) is undone with
it, and `ledger check` proves payments and settlements agree with the postings (issue 13).

Invoice 1 of 2500.00 (due 03-02) is in case 1 from 03-05 (KID 0000000018): the reminder
goes on 03-09, the collection notice (inkassovarsel) with a fee of 37.50 on 03-24."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, update

from fordring.adapters.db.engine import normalise_url
from fordring.adapters.db.tables import payment
from tests.scenarios.bankfiles import Paid, ocr_file, postings
from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e

KID = "0000000018"
CLIENT = ("pay_to=client_account", "client_account=15032080119", "collector_name=Inkasso AS")


def paid_to_client_account(story: Story) -> Any:
    """Case 1 with the client account; Kari pays 1250.00 to it on Friday 03-13."""
    debtor_case(story, "consumer")
    story.ok("collection", "agreement", "set", *CLIENT)
    story.days("2026-03-12", start="2026-03-05")
    return story.ok(
        "payments", "register", "--amount", "1250.00", "--kid", KID, "--to", "client",
        date="2026-03-13",
    )  # fmt: skip


def vouchers_of_type(story: Story, code: str) -> list[int]:
    return [v["number"] for v in story.ok("ledger", "vouchers") if v["type"] == code]


def test_reversing_the_notice_fee_voucher_cancels_the_fee_and_the_ledger_stays_whole(
    story: Story,
) -> None:
    """The notice's fee of 37.50 is booked on 03-24 (RG: 1500 / 3900). The creditor
    reverses that voucher on 03-25: the fee is no longer open on the case (its open amount
    follows the postings), the case's history says so, and `ledger check` passes."""
    debtor_case(story, "consumer")
    story.days("2026-03-24", start="2026-03-05")
    (fee_voucher,) = vouchers_of_type(story, "RG")
    (fee,) = story.rows("charge")
    assert (fee["kind"], f"{fee['open_amount']:.2f}") == ("fee", "37.50")

    reversal = story.ok("ledger", "reverse", str(fee_voucher), date="2026-03-25")
    assert postings(story, reversal["number"]) == sorted(
        (a, f"{-float(b):.2f}") for a, b in postings(story, fee_voucher)
    )
    (fee,) = story.rows("charge")
    assert f"{fee['open_amount']:.2f}" == "0.00"
    assert ("2026-03-25", "reversal") in story.history(1)
    assert story.balances()["1500"] == "2500.00"
    story.ledger_whole()
    # Reversed once: a second reversal of the same voucher is refused (exit 1, a conflict).
    done = story.run("ledger", "reverse", str(fee_voucher), date="2026-03-25")
    assert done.exit_code == 1 and "reversed already" in done.output


def test_reversing_a_client_account_payment_takes_it_back_and_nothing_is_settled(
    story: Story,
) -> None:
    """Kari pays 1250.00 to the client account on Friday 03-13 (1575 / 1500). The voucher
    is reversed the same day: the payment is taken back (reversed, with a counter row of
    -1250.00), the invoice is open for 2500.00 again, and Monday's settlement pays nothing
    out: 1575 ends at 0.00, not -1250.00, and `ledger check` passes."""
    paid = paid_to_client_account(story)
    assert postings(story, paid["voucher"]) == [("1500", "-1250.00"), ("1575", "1250.00")]

    story.ok("ledger", "reverse", str(paid["voucher"]), date="2026-03-13")
    shown = story.ok("payments", "show", "1", date="2026-03-13")
    assert shown["status"] == "reversed"
    assert story.balances()["1575"] == "0.00"
    assert [i["open_amount"] for i in story.ok("invoice", "list")] == ["2500.00"]

    monday = story.ok("run", "--to", "2026-03-16", date="2026-03-16")
    assert [s["paid_out"] for s in monday["settlements"]] in ([], ["0.00"])
    balances = story.balances()
    assert balances["1575"] == "0.00"
    assert balances.get("1920", "0.00") == "0.00"  # nothing reached Test AS
    story.ledger_whole()


def test_ledger_check_fails_when_a_reversed_payment_still_stands(story: Story) -> None:
    """The first failure, staged behind the command line's back: the payment's voucher is
    reversed, but the payment is put back to `matched` and its counter row removed. The
    intermediate account no longer holds what the unsettled payments brought, and
    `ledger check` says so (exit 1)."""
    paid = paid_to_client_account(story)
    story.ok("ledger", "reverse", str(paid["voucher"]), date="2026-03-13")
    engine = create_engine(normalise_url(story.database_url))
    try:
        with engine.begin() as connection:
            connection.execute(payment.delete().where(payment.c.reverses_id.is_not(None)))
            connection.execute(update(payment).values(status="matched"))
    finally:
        engine.dispose()
    done = story.run("ledger", "check")
    assert done.exit_code == 1, done.output
    assert '"payments_agree": false' in done.output


def test_ledger_check_fails_when_a_payment_is_matched_twice(story: Story, tmp_path: Path) -> None:
    """The race of issue 13, staged: a payment of 1000.00 with a KID nobody has waits in
    the queue (1920 / 2990) and is matched to case 1 by hand; it is then put back to
    `unmatched` behind the command line's back and matched again. The money is counted
    twice: the unmatched account (2990) no longer equals the queue, and `ledger check`
    says so."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    unknown = ocr_file(tmp_path / "ocr.txt", [Paid("1000.00", "0000009993", "2026-03-13")])
    assert story.ok("payments", "import", str(unknown), date="2026-03-13")["unmatched"] == 1
    story.ok("payments", "match", "1", "1", date="2026-03-13")
    story.ledger_whole()
    engine = create_engine(normalise_url(story.database_url))
    try:
        with engine.begin() as connection:
            connection.execute(update(payment).values(status="unmatched"))
    finally:
        engine.dispose()
    story.ok("payments", "match", "1", "1", date="2026-03-13")
    done = story.run("ledger", "check")
    assert done.exit_code == 1, done.output
    assert '"payments_agree": false' in done.output


def test_reversing_a_match_by_hand_puts_the_payment_back_in_the_queue(
    story: Story, tmp_path: Path
) -> None:
    """A payment of 1000.00 with a KID nobody has waits in the queue and is matched to case
    1 by hand (2990 / 1500). Reversing that match's voucher puts the payment back in the
    queue, unmatched, and the invoice is open for 2500.00 again; it can be matched anew."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    unknown = ocr_file(tmp_path / "ocr.txt", [Paid("1000.00", "0000009993", "2026-03-13")])
    story.ok("payments", "import", str(unknown), date="2026-03-13")
    matched = story.ok("payments", "match", "1", "1", date="2026-03-13")
    story.ok("ledger", "reverse", str(matched["voucher"]), date="2026-03-13")
    (waiting,) = story.ok("payments", "list", "--unmatched", date="2026-03-13")
    assert (waiting["payment"], waiting["status"], waiting["case"]) == (1, "unmatched", None)
    assert [i["open_amount"] for i in story.ok("invoice", "list")] == ["2500.00"]
    assert story.balances()["2990"] == "-1000.00"
    story.ledger_whole()
    story.ok("payments", "match", "1", "1", date="2026-03-13")
    assert [i["open_amount"] for i in story.ok("invoice", "list")] == ["1500.00"]
    story.ledger_whole()
