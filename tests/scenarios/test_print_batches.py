"""Print batches are made once (issue 14, item 3): a document sent after its day's batch
was made, by a retry or a late delivery, goes into a new batch of the day it is sent; the
batch already printed and posted is never made again."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.builders import cli_company
from tests.scenarios.story import Story

pytestmark = pytest.mark.e2e

ADDRESS = ("--address", "Vei 3", "--postcode", "0565", "--city", "Oslo")
MONDAY, WEDNESDAY = "2026-03-02", "2026-03-04"


def _batches(story: Story) -> dict[str, bytes]:
    return {
        str(p.relative_to(story.paper)): p.read_bytes()
        for p in sorted(story.paper.rglob("print-*"))
    }


def _names(pdf: Path) -> list[str]:
    """Who each page of a print batch is to (the recipient's name on the letter)."""
    return [
        name
        for page in PdfReader(pdf).pages
        for name in ("Kari Nordmann", "Ola Nordmann")
        if name in page.extract_text()
    ]


def _monday_and_olas_failed_invoice(story: Story) -> int:
    """Kari's invoice went on paper in Monday's batch; Ola's, with no address, failed and
    his address is fixed since. The failed delivery's id."""
    cli_company(story.run)
    story.ok("customer", "add", "--name", "Kari Nordmann", "--consumer", *ADDRESS)
    story.ok("customer", "add", "--name", "Ola Nordmann", "--consumer")
    for customer in ("10000", "10001"):
        story.ok("invoice", "create", "--customer", customer, "--line", "Time;1;1000;25",
                 "--send", date=MONDAY)  # fmt: skip
    story.ok("customer", "change", "10001", *ADDRESS)
    (failed,) = story.ok("deliveries", "list", "--failed")
    return int(failed["id"])


def test_a_retry_goes_into_a_new_batch_of_the_day_it_is_sent(story: Story) -> None:
    failed = _monday_and_olas_failed_invoice(story)
    monday = _batches(story)
    assert list(monday) == [
        "2026-03-02/print-batch-923609016-1.pdf",
        "2026-03-02/print-manifest-923609016-1.csv",
    ]

    sent = story.ok("deliveries", "retry", str(failed), date=WEDNESDAY)

    assert sent["sent"] == {"paper": 1}
    batch = story.paper / "2026-03-04" / "print-batch-923609016-1.pdf"
    assert sent["print_batches"] == [str(batch)]
    assert _names(batch) == ["Ola Nordmann"]
    assert (story.paper / "2026-03-04" / "invoice-2.pdf").exists()
    assert not (story.paper / "2026-03-02" / "invoice-2.pdf").exists()
    # Monday's batch, printed and posted, is as it was: Kari's letter is not printed again.
    assert {k: v for k, v in _batches(story).items() if k.startswith("2026-03-02")} == monday


def test_a_retry_on_the_same_day_makes_that_days_second_batch(story: Story) -> None:
    failed = _monday_and_olas_failed_invoice(story)
    monday = _batches(story)

    sent = story.ok("deliveries", "retry", str(failed), date=MONDAY)

    second = story.paper / "2026-03-02" / "print-batch-923609016-2.pdf"
    assert sent["print_batches"] == [str(second)]
    assert _names(second) == ["Ola Nordmann"]
    assert _names(story.paper / "2026-03-02" / "print-batch-923609016-1.pdf") == ["Kari Nordmann"]
    assert {k: v for k, v in _batches(story).items() if k in monday} == monday
    # `deliveries list` says which batch each paper document is in (docs/delivery.md).
    listed = {
        d["document"]: (d["post_day"], d["print_batch"]) for d in story.ok("deliveries", "list")
    }
    assert listed == {"invoice 2": (MONDAY, 2), "invoice 1": (MONDAY, 1)}
    human = story.run("deliveries", "list", date=MONDAY, json=False).output
    assert "print batch" in human.splitlines()[0]
    assert f"{MONDAY} #2" in human and f"{MONDAY} #1" in human
    # Delivering again makes no batch, new or old.
    again = story.ok("deliveries", "send", date=MONDAY)
    assert again["print_batches"] == []
    assert len(_batches(story)) == 4


def test_a_letter_whose_day_has_no_batch_yet_joins_its_own_days_post(story: Story) -> None:
    """Not late: the run's letters of a day not delivered yet go in that day's batch, even
    when delivered on a later business date (a catch-up run)."""
    cli_company(story.run)
    story.ok("customer", "add", "--name", "Kari Nordmann", "--consumer", *ADDRESS)
    story.ok("invoice", "create", "--customer", "10000", "--line", "Time;1;1000;25",
             date="2026-02-16")  # fmt: skip
    story.ok("collection", "send", "1", date="2026-03-05")
    story.ok("run", date="2026-03-05")
    done = story.ok("run", "--to", "2026-03-12", date="2026-03-12")  # Monday 03-09's reminder
    assert done["deliveries"]["print_batches"] == [
        str(story.paper / "2026-03-09" / "print-batch-923609016-1.pdf")
    ]
