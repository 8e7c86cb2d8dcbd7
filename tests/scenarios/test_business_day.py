"""The business day as one service: the same day again changes nothing, and what the day
queued (letters, the collection list) leaves only after the day commits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.story import Story, consumer_case

pytestmark = pytest.mark.e2e


def _mail(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_running_the_same_business_day_again_changes_nothing(
    story: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Case 1 through reminder, notice and Tuesday 04-14's collection list (e-mailed to a
    pickup folder): running 04-14 again books, writes and sends nothing more."""
    pickup = tmp_path / "mail"
    monkeypatch.setenv("FORDRING_MAIL_PICKUP", str(pickup))
    consumer_case(story)
    story.ok("collection", "agreement", "set", "list_email=kreditor@test.no")
    first = story.ok("run", "--to", "2026-04-14", date="2026-03-05")
    assert [x["cases"] for x in first["collection_lists"]] == [[1]]
    assert first["collection_lists"][0]["pdf"].endswith("2026-04-14/collection-list.pdf")
    assert first["deliveries"]["failed"] == 0
    sent = _mail(pickup)
    assert len(sent) == 1 and b"Inkassoliste 2026-04-14" in next(iter(sent.values()))
    before = story.snapshot()
    again = story.ok("run", date="2026-04-14")
    assert again["already_run_to"] == "2026-04-14"
    assert again["steps"] == [] and again["collection_lists"] == []
    assert again["deliveries"] == {"sent": {}, "failed": 0, "print_batches": []}
    assert again["documents"] == []
    assert story.snapshot() == before
    assert _mail(pickup) == sent
    story.ledger_whole()


def test_the_list_is_queued_in_the_day_and_sent_by_the_delivery(story: Story) -> None:
    """The list of 04-14 is a delivery like the letters: queued that day, taken by the
    delivery step into the outbox, shown in `deliveries list`."""
    consumer_case(story)
    story.ok("run", "--to", "2026-04-14", date="2026-03-05")
    (lst,) = [d for d in story.ok("deliveries", "list") if d["kind"] == "collection_list"]
    assert (lst["document"], lst["customer"], lst["queued_on"]) == (
        "collection list 2026-04-14",
        None,
        "2026-04-14",
    )
    assert (lst["state"], lst["channel"]) == ("sent", "paper")
    assert lst["attempts"][0]["detail"].endswith("2026-04-14/collection-list.pdf")
    assert "2026-04-14/collection-list.pdf" in story.letters()
