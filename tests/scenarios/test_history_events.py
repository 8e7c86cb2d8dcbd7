"""Case history events carry a kind and a structured payload beside their text (issue 13,
docs/events.md): what a webhook will send, shown by `collection case --json`.

Kari's invoice 1 of 2500.00 (due 03-02) is case 1 from 03-05 with KID 0000000018; the
reminder goes on 03-09 (deadline 03-23), the notice with a fee of 37.50 on 03-24
(deadline 04-07)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.scenarios.story import Story, debtor_case

pytestmark = pytest.mark.e2e


def events(story: Story, date: str) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = story.ok("collection", "case", "1", date=date)["history"]
    return history


def test_the_run_s_letters_say_their_letter_deadline_and_fee_in_the_payload(
    story: Story,
) -> None:
    debtor_case(story, "consumer")
    story.days("2026-03-25", start="2026-03-05")
    found = events(story, "2026-03-25")
    assert [(e["kind"], e["payload"]) for e in found[:1]] == [
        ("registered", {"kid": "0000000018", "invoices": [1]}),
    ]
    reminder, notice = found[1]["payload"], found[2]["payload"]
    assert (found[1]["kind"], found[2]["kind"]) == ("send_reminder", "send_notice")
    assert isinstance(reminder.pop("letter_id"), int) and isinstance(notice.pop("letter_id"), int)
    assert reminder == {"state": "reminded", "letter": "reminder", "deadline": "2026-03-23"}
    assert notice == {
        "state": "notified",
        "letter": "collection_notice",
        "deadline": "2026-04-07",
        "charged": {"fee": "37.50"},
    }
    assert "deadline 2026-04-07" in found[2]["text"]  # the text for people stays


def test_a_payment_and_a_pause_say_what_was_paid_and_which_states(story: Story) -> None:
    debtor_case(story, "consumer")
    story.ok("payments", "register", "--amount", "500", "--invoice", "1", date="2026-03-06")
    story.ok("collection", "pause", "1", "--reason", "talks", date="2026-03-06")
    payment, pause = events(story, "2026-03-06")[-2:]
    assert (payment["kind"], payment["actor"]) == ("payment", "payment")
    assert payment["payload"] == {"amount": "500.00", "paid": {"principal": "500.00"}}
    assert (pause["kind"], pause["payload"]) == (
        "pause",
        {"from": "registered", "to": "paused", "reason": "talks"},
    )


def test_the_human_history_is_unchanged_by_the_payload(story: Story) -> None:
    debtor_case(story, "consumer")
    shown = story.run("collection", "case", "1", date="2026-03-05", json=False)
    assert "registered" in shown.output and "payload" not in shown.output
