"""Reminder, notice and own-collection demand fees: timing, the per-claim maximum of
inkassoforskriften § 1-3, and amounts by sending date (sats) and due date (fraction)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.fees import (
    EarlierLetter,
    FeeHistory,
    LawLetterKind,
    letter_fee,
)

BOOK = rate_book()
D = Decimal
day = date.fromisoformat


def fee(
    letter: LawLetterKind, due: str, sent: str, history: FeeHistory | None = None
) -> tuple[bool, Decimal]:
    decision = letter_fee(letter, due=day(due), sent=day(sent), book=BOOK, history=history)
    return decision.allowed, decision.amount


@pytest.mark.parametrize(
    ("letter", "sent", "allowed", "amount"),
    [
        (LawLetterKind.PURRING, "2025-02-23", False, "0.00"),  # day 13: no fee
        (LawLetterKind.PURRING, "2025-02-24", True, "35.00"),  # day 14: fee
        (LawLetterKind.INKASSOVARSEL, "2025-02-23", False, "0.00"),
        (LawLetterKind.INKASSOVARSEL, "2025-02-24", True, "35.00"),
        (
            LawLetterKind.BETALINGSOPPFORDRING,
            "2025-02-23",
            False,
            "0.00",
        ),  # even after a missed deadline
        (LawLetterKind.BETALINGSOPPFORDRING, "2025-02-24", True, "105.00"),  # 3/20 of 700
    ],
)
def test_fee_only_from_day_14_after_due(
    letter: LawLetterKind, sent: str, allowed: bool, amount: str
) -> None:
    history = (
        FeeHistory(deadline_missed=True) if letter is LawLetterKind.BETALINGSOPPFORDRING else None
    )
    assert fee(letter, "2025-02-10", sent, history) == (allowed, D(amount))


def test_a_refused_fee_says_how_many_days_and_from_when() -> None:
    decision = letter_fee(
        LawLetterKind.PURRING, due=day("2025-02-10"), sent=day("2025-02-23"), book=BOOK
    )
    assert "13 days" in decision.reason
    assert "2025-02-24" in decision.reason
    assert decision.explanation.notes == (decision.reason,)


def test_an_allowed_fee_explains_why_and_how_much() -> None:
    decision = letter_fee(
        LawLetterKind.PURRING, due=day("2025-02-10"), sent=day("2025-03-01"), book=BOOK
    )
    assert decision.explanation.notes == ("sent 19 days after the due date (at least 14)",)
    assert [line.text for line in decision.explanation.lines] == [
        "1/20 (due 2025-02-10) × inkassosats 700.00 (sent 2025-03-01)"
    ]


@pytest.mark.parametrize(
    ("due", "sent", "amount"),
    [
        ("2015-03-01", "2015-03-20", "65.00"),  # 1/10 of 650
        ("2016-03-01", "2016-03-20", "67.00"),  # 1/10 of 670
        ("2016-12-10", "2017-01-05", "70.00"),  # sats of the sending day (700), not the due day
        ("2020-09-15", "2020-09-29", "70.00"),  # 1/10 before the 2020 cut
        ("2020-09-30", "2020-10-20", "70.00"),  # due before the cut: old fraction though sent after
        ("2020-10-01", "2020-10-15", "35.00"),  # due on the cut: 1/20
        ("2025-02-10", "2025-03-01", "35.00"),
        ("2025-12-20", "2026-01-05", "37.50"),  # 1/20 of 750 (UNCONFIRMED sats)
    ],
)
def test_fee_amount_uses_sats_of_sending_day_and_fraction_of_due_date(
    due: str, sent: str, amount: str
) -> None:
    assert fee(LawLetterKind.PURRING, due, sent) == (True, D(amount))


def test_fee_from_an_unconfirmed_sats_is_flagged() -> None:
    decision = letter_fee(
        LawLetterKind.PURRING, due=day("2025-12-20"), sent=day("2026-01-05"), book=BOOK
    )
    assert not decision.explanation.confirmed
    assert letter_fee(
        LawLetterKind.PURRING, due=day("2025-12-01"), sent=day("2025-12-20"), book=BOOK
    ).explanation.confirmed


MISSED = {"first_reminder_deadline_missed": True}


@pytest.mark.parametrize(
    ("letter", "history", "allowed", "why"),
    [
        # a second fee only after the first reminder's 14-day deadline was missed (§ 1-3)
        (LawLetterKind.PURRING, FeeHistory(reminder_fees=1, **MISSED), True, "missed the 14-day"),
        (LawLetterKind.PURRING, FeeHistory(reminder_fees=1), False, "second fee needs"),
        (
            LawLetterKind.INKASSOVARSEL,
            FeeHistory(reminder_fees=1, **MISSED),
            True,
            "missed the 14-day",
        ),
        (LawLetterKind.INKASSOVARSEL, FeeHistory(reminder_fees=1), False, "second fee needs"),
        # at most 2 reminder fees, or 1 reminder fee + 1 notice fee
        (
            LawLetterKind.PURRING,
            FeeHistory(reminder_fees=2, **MISSED),
            False,
            "2 reminder fees already",
        ),
        (LawLetterKind.INKASSOVARSEL, FeeHistory(reminder_fees=2, **MISSED), False, "at most 2"),
        (
            LawLetterKind.PURRING,
            FeeHistory(reminder_fees=3, **MISSED),
            False,
            "3 reminder fees already",
        ),
        (
            LawLetterKind.PURRING,
            FeeHistory(notice_fees=1, deadline_missed=True),
            False,
            "notice fee",
        ),
        (
            LawLetterKind.INKASSOVARSEL,
            FeeHistory(notice_fees=1, deadline_missed=True),
            False,
            "notice",
        ),
        (
            LawLetterKind.PURRING,
            FeeHistory(demand_fees=1, deadline_missed=True),
            False,
            "demand fee",
        ),
    ],
)
def test_second_fee_and_the_per_claim_maximum(
    letter: LawLetterKind, history: FeeHistory, allowed: bool, why: str
) -> None:
    decision = letter_fee(
        letter, due=day("2025-02-10"), sent=day("2025-04-20"), book=BOOK, history=history
    )
    assert (decision.allowed, decision.amount) == (allowed, D("35.00") if allowed else 0)
    assert why in decision.reason


@pytest.mark.parametrize(
    ("due", "amount"),
    [("2018-05-01", "210.00"), ("2020-10-01", "105.00"), ("2025-02-10", "105.00")],
)
def test_own_collection_demand_fee_after_a_missed_deadline(due: str, amount: str) -> None:
    sent = (day(due) + timedelta(days=40)).isoformat()
    history = FeeHistory(notice_fees=1, deadline_missed=True)
    assert fee(LawLetterKind.BETALINGSOPPFORDRING, due, sent, history) == (True, D(amount))


def test_no_demand_fee_before_a_deadline_is_missed() -> None:
    assert fee(
        LawLetterKind.BETALINGSOPPFORDRING, "2025-02-10", "2025-03-20", FeeHistory(notice_fees=1)
    ) == (False, D("0.00"))


def test_only_one_demand_fee() -> None:
    history = FeeHistory(notice_fees=1, demand_fees=1, deadline_missed=True)
    assert fee(LawLetterKind.BETALINGSOPPFORDRING, "2025-02-10", "2025-04-20", history) == (
        False,
        D("0.00"),
    )


def test_history_counts_a_deadline_as_missed_only_after_its_last_day() -> None:
    first = EarlierLetter(
        LawLetterKind.PURRING, day("2025-02-24"), day("2025-03-10"), fee_charged=True
    )
    on_deadline = FeeHistory.of([first], on=day("2025-03-10"))
    after = FeeHistory.of([first], on=day("2025-03-11"))
    assert not on_deadline.first_reminder_deadline_missed
    assert after.first_reminder_deadline_missed
    assert after.reminder_fees == 1


def test_history_ignores_a_deadline_shorter_than_14_days() -> None:
    first = EarlierLetter(
        LawLetterKind.PURRING, day("2025-02-24"), day("2025-03-07"), fee_charged=True
    )
    history = FeeHistory.of([first], on=day("2025-04-01"))
    assert not history.first_reminder_deadline_missed
    assert fee(LawLetterKind.PURRING, "2025-02-10", "2025-04-01", history) == (False, D("0.00"))


def test_fee_free_reminder_deadline_counts_for_the_demand_fee() -> None:
    reminder = EarlierLetter(
        LawLetterKind.PURRING, day("2025-02-17"), day("2025-03-03"), fee_charged=False
    )
    history = FeeHistory.of([reminder], on=day("2025-03-04"))
    assert history.reminder_fees == 0
    assert history.deadline_missed


# --- property: whatever is sent, fees never exceed § 1-3's caps ---------------------------

letters = st.lists(
    st.tuples(st.sampled_from(list(LawLetterKind)), st.integers(0, 40), st.integers(1, 30)),
    max_size=8,
)


@settings(deadline=None)
@given(st.dates(date(2020, 10, 1), date(2025, 12, 1)), letters)
def test_fees_never_exceed_their_caps(
    due: date, plan: list[tuple[LawLetterKind, int, int]]
) -> None:
    sent_letters: list[EarlierLetter] = []
    charged: list[tuple[LawLetterKind, Decimal]] = []
    sent = due
    for letter, gap, deadline_days in plan:
        sent += timedelta(days=gap)
        decision = letter_fee(
            letter, due=due, sent=sent, book=BOOK, history=FeeHistory.of(sent_letters, on=sent)
        )
        assert decision.explanation.total == decision.amount
        if decision.allowed:
            charged.append((letter, decision.amount))
        deadline = sent + timedelta(days=deadline_days)
        sent_letters.append(EarlierLetter(letter, sent, deadline, decision.allowed))
    kinds = [k for k, _ in charged]
    reminders, notices = (
        kinds.count(LawLetterKind.PURRING),
        kinds.count(LawLetterKind.INKASSOVARSEL),
    )
    demands = kinds.count(LawLetterKind.BETALINGSOPPFORDRING)
    assert demands <= 1
    assert reminders + notices <= 2
    assert notices <= 1
    assert (reminders, notices) in {(0, 0), (1, 0), (2, 0), (0, 1), (1, 1)}
    sats = BOOK.inkassosats.at(sent).value
    for letter, amount in charged:
        cap = D("0.15") if letter is LawLetterKind.BETALINGSOPPFORDRING else D("0.05")
        assert amount <= cap * sats
    assert sum((a for _, a in charged), D(0)) <= (2 * D("0.05") + D("0.15")) * sats


def test_a_claim_due_on_2020_10_01_gets_one_twentieth() -> None:
    """Issue 12 (readings settled): the 2020 change applies to claims falling due from
    2020-10-01, that day included; the day before keeps 1/10."""
    for letter in (LawLetterKind.PURRING, LawLetterKind.INKASSOVARSEL):
        on_the_day = letter_fee(letter, due=day("2020-10-01"), sent=day("2020-10-15"), book=BOOK)
        assert on_the_day.amount == D("35.00")
        assert on_the_day.explanation.lines[0].text.startswith("1/20 (due 2020-10-01)")
        day_before = letter_fee(letter, due=day("2020-09-30"), sent=day("2020-10-14"), book=BOOK)
        assert day_before.amount == D("70.00")
