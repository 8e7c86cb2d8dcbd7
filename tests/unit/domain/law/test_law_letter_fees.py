"""One fee per letter (inkassoforskriften § 1-2), the per-claim limits of § 1-3 per claim,
and the øre spread of the one fee over the claims that carry it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.fees import EarlierLetter, FeeDecision, FeeHistory, LawLetterKind
from fordring.domain.law.letter_fees import ClaimOnLetter, letter_fees, spread_ore

BOOK = rate_book()
SENT = date(2026, 3, 24)
NOTICE_FEE_CHARGED = FeeHistory.of(
    [EarlierLetter(LawLetterKind.INKASSOVARSEL, date(2026, 1, 5), date(2026, 1, 19), True)], on=SENT
)


def claim(
    invoice: int,
    principal: str,
    due: date = date(2026, 3, 2),
    history: FeeHistory | None = None,
) -> ClaimOnLetter:
    return ClaimOnLetter(invoice, due, Decimal(principal), history or FeeHistory())


def shares(decided: tuple[tuple[int, FeeDecision], ...]) -> dict[int, str]:
    return {i: f"{d.amount:.2f}" for i, d in decided if d.allowed}


def test_three_invoices_on_one_notice_share_one_fee_pro_rata_to_open_principal() -> None:
    decided = letter_fees(
        LawLetterKind.INKASSOVARSEL,
        [claim(1, "1250.00"), claim(2, "500.00"), claim(3, "312.50")],
        sent=SENT,
        book=BOOK,
    )
    assert shares(decided) == {1: "22.73", 2: "9.09", 3: "5.68"}  # 37.50 = 750 × 1/20
    assert "one inkassovarsel fee of 37.50" in decided[0][1].reason
    assert decided[0][1].explanation.total == Decimal("22.73")


def test_an_invoice_whose_history_forbids_a_fee_carries_none_and_the_others_share_it() -> None:
    decided = letter_fees(
        LawLetterKind.INKASSOVARSEL,
        [claim(1, "1000", history=NOTICE_FEE_CHARGED), claim(2, "1000"), claim(3, "1000")],
        sent=SENT,
        book=BOOK,
    )
    assert shares(decided) == {2: "18.75", 3: "18.75"}
    assert "a notice fee was already charged" in decided[0][1].reason


def test_no_fee_when_no_invoice_may_carry_one() -> None:
    late = [claim(n, "1000", due=date(2026, 3, 20)) for n in (1, 2)]  # sent 4 days after due
    assert shares(letter_fees(LawLetterKind.INKASSOVARSEL, late, sent=SENT, book=BOOK)) == {}


def test_invoices_with_different_fee_fractions_share_the_lower_fee() -> None:
    """Due 2020-09-30 gives 1/10 (75.00 in 2026), due 2020-10-01 gives 1/20 (37.50): the
    letter carries the lower fee, kinder to the debtor."""
    decided = letter_fees(
        LawLetterKind.INKASSOVARSEL,
        [claim(1, "1000", due=date(2020, 9, 30)), claim(2, "1000", due=date(2020, 10, 1))],
        sent=SENT,
        book=BOOK,
    )
    assert shares(decided) == {1: "18.75", 2: "18.75"}
    assert "the lowest of their fees" in decided[0][1].reason


def test_one_own_collection_demand_fee_for_a_demand_on_two_invoices() -> None:
    missed = FeeHistory(notice_fees=1, deadline_missed=True)
    decided = letter_fees(
        LawLetterKind.BETALINGSOPPFORDRING,
        [claim(1, "2000", history=missed), claim(2, "1000", history=missed)],
        sent=date(2026, 4, 16),
        book=BOOK,
    )
    assert shares(decided) == {1: "75.00", 2: "37.50"}  # 112.50 = 750 × 3/20


def test_a_letter_on_one_invoice_keeps_that_invoices_own_decision() -> None:
    ((_, decision),) = letter_fees(
        LawLetterKind.INKASSOVARSEL, [claim(1, "10")], sent=SENT, book=BOOK
    )
    assert decision.amount == Decimal("37.50") and "one" not in decision.reason


@given(
    st.integers(min_value=0, max_value=100_000),
    st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=30),
)
def test_the_shares_sum_exactly_to_the_fee_in_whole_ore(ore: int, weights: list[int]) -> None:
    total = Decimal(ore) / 100
    parts = spread_ore(total, [Decimal(w) / 100 for w in weights])
    assert sum(parts, Decimal(0)) == total
    assert all(p == p.quantize(Decimal("0.01")) and p >= 0 for p in parts)
    if ore >= len(weights):
        assert all(p > 0 for p in parts)


def test_spread_refuses_weights_that_are_not_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        spread_ore(Decimal("1.00"), [Decimal(1), Decimal(0)])


def test_a_paid_invoice_of_the_case_is_not_on_the_letter_and_carries_nothing() -> None:
    decided = letter_fees(
        LawLetterKind.INKASSOVARSEL, [claim(1, "0"), claim(2, "800")], sent=SENT, book=BOOK
    )
    assert shares(decided) == {2: "37.50"}
    assert decided[0][1].reason.startswith("nothing of this invoice is open")
    assert (
        decided[1][1].reason
        == letter_fees(LawLetterKind.INKASSOVARSEL, [claim(2, "800")], sent=SENT, book=BOOK)[0][
            1
        ].reason
    )  # the letter is about invoice 2 alone: its own decision
