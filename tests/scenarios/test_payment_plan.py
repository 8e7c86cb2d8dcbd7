"""A payment plan (nedbetalingsavtale) on a case in collection (issue 19): accepted at once
inside the agreement's limits with the salær addition for more than 4 instalments, paid by
KID in bank files instalment by instalment until the case closes as paid; and a missed
instalment: a reminder, the plan broken, the case resuming its steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import OTHER_ORGNR
from tests.scenarios.bankfiles import Paid, ocr_file
from tests.scenarios.story import Story, consumer_case

pytestmark = pytest.mark.e2e

KID = "0000000018"  # invoice 1, and case 1 holding it alone
COLLECTOR = ("collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}")


@pytest.fixture
def in_collection(story: Story) -> Story:
    """Kari's invoice 1 (2500.00, due 03-02) in case 1: reminded 03-09, notice 03-24 with
    its fee 37.50, listed 04-08, handed over to Inkasso AS on 04-16 with light salær 300.00."""
    consumer_case(story)
    story.ok("collection", "agreement", "set", "automatic_handover=yes", *COLLECTOR)
    steps = story.days("2026-04-17", start="2026-03-05")
    assert [(s.day, s.step, s.fee) for s in steps] == [
        ("2026-03-09", "send_reminder", "0.00"),
        ("2026-03-24", "send_notice", "37.50"),
        ("2026-04-08", "put_on_list", "0.00"),
        ("2026-04-16", "hand_over", "300.00"),
    ]
    return story


INSTALMENTS = [
    ("2026-05-04", "661.00"),
    ("2026-06-04", "661.00"),
    ("2026-07-06", "661.00"),
    ("2026-08-04", "661.00"),
    ("2026-09-04", "661.00"),
    ("2026-10-05", "657.50"),
]


def plan_letters(story: Story, kind: str) -> list[str]:
    """The case's letters of a plan `kind` on paper (Kari has no e-mail address)."""
    return [x for x in story.letters() if x.endswith(f"/case-1-{kind}.pdf")]


def pay(story: Story, tmp_path: Path, n: int, day: str, amount: str) -> None:
    """A Nets OCR giro file of one payment to the case KID, imported on its day."""
    path = ocr_file(tmp_path / f"ocr-{n}", [Paid(amount, KID, day)], transmission=f"100000{n}")
    assert story.ok("payments", "import", str(path), date=day)["payments"] == 1


def test_a_plan_of_six_instalments_is_paid_by_kid_until_the_case_closes_as_paid(
    in_collection: Story, tmp_path: Path
) -> None:
    """On 04-17 Kari proposes 6 instalments from 05-04: inside the limits (a consumer, at most
    6 months, each at least 500), so it runs at once. More than 4 instalments, and the creditor
    says Kari was told what it costs (--debtor-told): the salær cap
    rises by 1.5 × inkassosats 750 = 1125.00 (forskriften § 2-4), booked as salær; the plan
    pays 2500.00 + 37.50 + 300.00 + 1125.00 = 3962.50, 661.00 a month and 657.50 last. The
    steps stop; each instalment comes by KID in a bank file on its day; the last pays what
    `collection case` says is owed that day (the interest charged as the payments came), and
    the next run closes the case as paid and completes the plan. The ledger balances."""
    story = in_collection
    out = story.ok(
        "collection", "plan", "propose", "1", "--instalments", "6", "--first", "2026-05-04",
        "--debtor-told", date="2026-04-17",
    )  # fmt: skip
    assert (out["outcome"], out["state"], out["total"], out["addition"]) == (
        "accepted",
        "running",
        "3962.50",
        "1125.00",
    )
    assert [(i["due_on"], i["amount"]) for i in out["instalments"]] == INSTALMENTS
    assert story.state(1) == "plan"
    (addition,) = [c for c in story.rows("charge") if c["charged_on"].isoformat() == "2026-04-17"]
    assert (addition["kind"], str(addition["amount"])) == ("salaer", "1125.00")
    accepted = story.ok("collection", "case", "1", date="2026-04-17")["history"][-1]
    assert accepted["kind"] == "plan_accepted"
    assert "inkassoforskriften § 2-4" in accepted["text"]
    assert accepted["payload"]["addition"] == "1125.00"
    # Proposing the same again changes nothing.
    again = story.ok(
        "collection", "plan", "propose", "1", "--instalments", "6", "--first", "2026-05-04",
        "--debtor-told", date="2026-04-17",
    )  # fmt: skip
    assert again["repeated"] is True
    assert "letter_id" in accepted["payload"]  # the confirmation is a letter (issue 19)
    for n, (day, amount) in enumerate(INSTALMENTS[:-1], start=1):
        assert story.days(day) == []  # no letter, fee or hand-over step while the plan runs
        pay(story, tmp_path, n, day, amount)
    # The confirmation went with the first run's delivery after the plan, once (the same
    # proposal again wrote none): every instalment, the addition, what is owed, the KID.
    (confirmation,) = plan_letters(story, "plan_confirmation")
    said = story.text(confirmation)
    assert "Bekreftelse på nedbetalingsavtale" in said
    for day, amount in INSTALMENTS:
        y, m, d = day.split("-")
        assert f"{d}.{m}.{y} {amount.replace('.', ',')}" in said
    assert "Sum etter avtalen 3 962,50" in said
    assert "Tillegget for nedbetalingsavtale, kr 1 125,00" in said
    assert KID in said and "Inkasso AS" in said
    assert "påminnelse med en frist på 14 dager" in said
    assert plan_letters(story, "plan_reminder") == []
    last_day = INSTALMENTS[-1][0]
    assert story.days(last_day) == []
    owed = story.ok("collection", "case", "1", date=last_day)["owed"]
    pay(story, tmp_path, 6, last_day, owed)
    assert [(s.day, s.step) for s in story.days("2026-10-06")] == [
        ("2026-10-06", "close_settled"),
        ("2026-10-06", "plan_complete"),
    ]
    assert story.rows("collection_case")[0]["closed_reason"] == "paid"
    kinds = [kind for _, kind in story.history(1)]
    assert kinds[-2:] == ["close_settled", "plan_completed"]
    assert story.ok("collection", "plan", "show", "1", date=last_day)[0]["state"] == "completed"
    assert story.ledger_whole()["receivables_balance"] == "0.00"


@pytest.mark.parametrize("heavy", ["no", "yes"])
def test_a_missed_instalment_gets_a_reminder_then_the_plan_breaks_and_the_steps_resume(
    in_collection: Story, tmp_path: Path, heavy: str
) -> None:
    """3 instalments from 05-04 (no addition: not more than 4), 946.00, 946.00 and 945.50.
    The first is paid on its day; the second (06-04) is not: the run of 06-05 reminds Kari
    with the agreement's 14 days (deadline 06-19). Still unpaid, the run of 06-20 breaks the
    plan and the case is in collection again; its steps go on from where they stood. Heavy
    salær (the demand's deadline long passed) only where the agreement turns on
    heavy_salaer_after_broken_plan: by default a broken plan gives it up (docs/law.md)."""
    story = in_collection
    story.ok("collection", "agreement", "set", f"heavy_salaer_after_broken_plan={heavy}")
    out = story.ok(
        "collection", "plan", "propose", "1", "--instalments", "3", "--first", "2026-05-04",
        date="2026-04-17",
    )  # fmt: skip
    assert (out["outcome"], out["addition"]) == ("accepted", "0.00")
    assert [i["amount"] for i in out["instalments"]] == ["946.00", "946.00", "945.50"]
    assert story.days("2026-05-04") == []
    pay(story, tmp_path, 1, "2026-05-04", "946.00")
    steps = story.days("2026-06-20")
    assert [(s.day, s.step, s.deadline) for s in steps] == [
        ("2026-06-05", "plan_remind", "2026-06-19"),
        ("2026-06-20", "plan_break", None),
    ]
    assert story.run_on("2026-06-20") == []  # the same day again changes nothing
    # The confirmation and the reminder, each once in the outbox (issue 19): the reminder
    # names the missed instalment, what is behind, the deadline, charges no fee.
    assert len(plan_letters(story, "plan_confirmation")) == 1
    (reminder,) = plan_letters(story, "plan_reminder")
    said = story.text(reminder)
    assert "Påminnelse om avdrag" in said
    assert "avdrag nr. 2 på kr 946,00, som forfalt 04.06.2026" in said
    assert "Du er nå kr 946,00 på etterskudd med avdragene" in said
    assert "innen 19.06.2026" in said
    assert "faller nedbetalingsavtalen bort" in said
    assert "det er ikke lagt til gebyr" in said
    reminded = [c for c in story.rows("charge") if c["charged_on"].isoformat() == "2026-06-05"]
    assert reminded == []  # no fee, no salær for the plan's reminder
    assert story.state(1) == "in_collection"
    kinds = [kind for _, kind in story.history(1)]
    assert kinds[-4:] == ["plan_accepted", "payment", "plan_reminder", "plan_broken"]
    assert story.ok("collection", "plan", "show", "1", date="2026-06-20")[0]["state"] == "broken"
    resumed = story.days("2026-06-22")
    expected = [("2026-06-21", "heavy_salaer")] if heavy == "yes" else []
    assert [(s.day, s.step) for s in resumed] == expected
    assert story.ledger_whole()["ok"]
