"""Near-duplicates (issue 14, 9): a bank file sent again under a new transmission number or
message id is a new file, but each of its payments looks like one booked before (the same
bank reference, amount and day). They are held for a person, never booked by themselves:
dropped when the file was a repeat, released (booked as the import would have) when the
payer really paid twice. A payment with its own bank reference is booked as usual.

Kari owes 2500.00 on invoice 1 (KID 0000000018), in collection since 03-05."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.bankfiles import FORMATS, Paid, bank_file
from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e

KID = "0000000018"


def _booked(story: Story) -> list[tuple[int, str, str]]:
    return [(r["payment"], r["amount"], r["status"]) for r in story.ok("payments", "list")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_sent_again_under_a_new_id_is_held_and_dropped_booking_nothing(
    story: Story, tmp_path: Path, fmt: str
) -> None:
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    paid = [Paid("1000.00", KID, "2026-03-13"), Paid("200.00", KID, "2026-03-13")]
    story.ok("payments", "import", str(bank_file(tmp_path / "f1", fmt, paid)), date="2026-03-13")
    balances = story.balances()
    report = story.ok(
        "payments",
        "import",
        str(bank_file(tmp_path / "f2", fmt, paid, number=2)),
        date="2026-03-14",
    )
    assert (report["payments"], report["held"], report["matched"]) == (2, 2, 0)
    assert story.balances() == balances  # nothing booked twice
    assert _booked(story) == [(1, "1000.00", "matched"), (2, "200.00", "matched")]
    held = story.ok("payments", "held")
    assert [(h["held"], h["amount"], h["like_payment"], h["status"]) for h in held] == [
        (1, "1000.00", 1, "held"),
        (2, "200.00", 2, "held"),
    ]
    assert "looks like payment 1: the same bank reference" in held[0]["reason"]
    listed = story.run("payments", "list", date="2026-03-14", json=False).output
    assert "2 more held, not booked" in listed

    for number in ("1", "2"):
        dropped = story.ok("payments", "drop", number, date="2026-03-16")
        assert (dropped["status"], dropped["decided_on"], dropped["payment"]) == (
            "dropped",
            "2026-03-16",
            None,
        )
    assert story.ok("payments", "held") == []
    assert story.balances() == balances
    story.refused("payments", "release", "1", date="2026-03-16", says="is dropped", exit_code=1)
    story.ledger_whole()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_held_payment_released_is_booked_as_the_import_would_have(
    story: Story, tmp_path: Path, fmt: str
) -> None:
    """Kari's bank really paid 1000.00 twice (the bank's second transfer has its own
    reference in the next file, booked; a third file repeats it and is held). Released,
    the held payment is matched by its KID and pays the invoice like any other."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    first = [Paid("1000.00", KID, "2026-03-13", archive_ref="000000001")]
    story.ok("payments", "import", str(bank_file(tmp_path / "f1", fmt, first)), date="2026-03-13")
    other = [Paid("1000.00", KID, "2026-03-13", archive_ref="000000002")]
    report = story.ok(
        "payments",
        "import",
        str(bank_file(tmp_path / "f2", fmt, other, number=2)),
        date="2026-03-13",
    )
    assert (report["held"], report["matched"]) == (0, 1)  # its own reference: a payment
    report = story.ok(
        "payments",
        "import",
        str(bank_file(tmp_path / "f3", fmt, other, number=3)),
        date="2026-03-14",
    )
    assert report["held"] == 1
    released = story.ok("payments", "release", "1", date="2026-03-16")
    assert (released["status"], released["payment"], released["like_payment"]) == (
        "released",
        3,
        2,
    )
    assert _booked(story) == [
        (1, "1000.00", "matched"),
        (2, "1000.00", "matched"),
        (3, "1000.00", "matched"),
    ]
    assert story.ok("invoice", "show", "1", date="2026-03-16")["open_amount"] == "0.00"
    assert story.balances()["2900"] == "-500.00"  # 3000.00 paid on 2500.00: the rest is credit
    story.refused("payments", "drop", "1", date="2026-03-16", says="is released", exit_code=1)
    story.ledger_whole()


def test_a_reversal_sent_again_is_held_and_takes_back_nothing_more(
    story: Story, tmp_path: Path
) -> None:
    """The bank reverses one of Kari's two payments of 1000.00 and then sends the reversal
    again under a new transmission number: taken back once; the repeat is held."""
    debtor_case(story, "consumer")
    story.days("2026-03-12", start="2026-03-05")
    two = [
        Paid("1000.00", KID, "2026-03-13", archive_ref="000000001"),
        Paid("1000.00", KID, "2026-03-13", archive_ref="000000002"),
    ]
    story.ok("payments", "import", str(bank_file(tmp_path / "f1", "ocr", two)), date="2026-03-13")
    back = [Paid("1000.00", KID, "2026-03-16", reversal=True, archive_ref="000000003")]
    reversed_ = story.ok(
        "payments",
        "import",
        str(bank_file(tmp_path / "f2", "ocr", back, number=2)),
        date="2026-03-16",
    )
    assert reversed_["reversed"] == 1
    again = story.ok(
        "payments",
        "import",
        str(bank_file(tmp_path / "f3", "ocr", back, number=3)),
        date="2026-03-16",
    )
    assert (again["reversed"], again["held"]) == (0, 1)
    assert [h["amount"] for h in story.ok("payments", "held")] == ["-1000.00"]
    assert story.ok("invoice", "show", "1", date="2026-03-16")["open_amount"] == "1500.00"
    story.ledger_whole()
