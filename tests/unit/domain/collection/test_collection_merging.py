"""Merging claims (issue 12): a new claim joins the debtor's case in collection with salær
counted once on the combined claim, or joins the debtor's other hand-over of the day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CaseStatus, CloseReason
from fordring.domain.collection.case_facts import CaseFacts, ChargeKind, Claim, SentLetter, StepKind
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.merging import (
    MergedCase,
    combined,
    into_collection,
    merges_into,
    merging_applies,
    same_day,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import after, wake_on
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.fees import EarlierLetter, LawLetterKind

BOOK = rate_book()
COLLECTOR = Agreement(automatic_handover=True, collector_name="Inkasso AS")
TODAY = date(2026, 4, 9)
OLD_DEMAND = SentLetter(LetterKind.PAYMENT_DEMAND, date(2026, 3, 5), date(2026, 3, 19))
NOTICE = SentLetter(LetterKind.COLLECTION_NOTICE, date(2026, 3, 17), date(2026, 3, 31))
NOTICE_FEE = EarlierLetter(LawLetterKind.INKASSOVARSEL, date(2026, 3, 17), date(2026, 3, 31), True)


def in_collection(salaer: str = "300.00") -> CaseFacts:
    """Case 1: 2500.00 in collection since 03-05 with SALAER charged."""
    return CaseFacts(
        1,
        CaseStatus(CaseState.IN_COLLECTION),
        (Claim(1, date(2026, 1, 19), Decimal("2500.00")),),
        charges_open=Decimal(salaer),
        letters=(OLD_DEMAND,),
        charged=((ChargeKind.SALAER, Decimal(salaer)),),
        collector_name="Inkasso AS",
    )


def handed_over(case_id: int = 2, invoice_id: int = 2, principal: str = "8000.00") -> CaseFacts:
    """A listed case whose hand-over is due today, with a notice fee of 37.50 charged."""
    return CaseFacts(
        case_id,
        CaseStatus(CaseState.LISTED),
        (Claim(invoice_id, date(2026, 2, 23), Decimal(principal), (NOTICE_FEE,)),),
        charges_open=Decimal("37.50"),
        list_sent_on=date(2026, 4, 7),
        letters=(NOTICE,),
        charged=((ChargeKind.FEE, Decimal("37.50")),),
    )


def test_merging_needs_a_collector_and_a_case_in_collection_by_a_collector() -> None:
    assert merging_applies(COLLECTOR) and not merging_applies(Agreement())
    assert merges_into(in_collection())
    for state in (CaseState.OBJECTED, CaseState.LEGAL, CaseState.CLOSED, CaseState.LISTED):
        assert not merges_into(replace(in_collection(), status=CaseStatus(state)))
    # In collection by the creditor itself (no salær): the new claim is handed over alone.
    own = replace(in_collection(), charged=((ChargeKind.FEE, Decimal(112)),), collector_name=None)
    assert not merges_into(own)


def test_the_combined_case_has_every_claim_and_charge() -> None:
    facts = combined(in_collection(), [handed_over()])
    assert [c.invoice_id for c in facts.claims] == [1, 2]
    assert facts.open_principal == Decimal("10500.00")
    assert facts.charges_open == Decimal("337.50")
    assert facts.charged_of(ChargeKind.SALAER) == Decimal("300.00")
    assert facts.status.state is CaseState.IN_COLLECTION


def test_salaer_is_the_cap_on_the_combined_claim_less_what_was_charged() -> None:
    """10500.00 is in the band up to 50 000: light 1.60 × 750 = 1200.00, less 300.00."""
    merge = into_collection(
        in_collection(), 1, [MergedCase(handed_over(), 2)], TODAY, COLLECTOR, BOOK
    )
    action = merge.action
    assert (action.step, action.case_id, action.letter_kind) == (
        StepKind.MERGE,
        1,
        LetterKind.PAYMENT_DEMAND,
    )
    assert action.deadline is not None and action.deadline.deadline == date(2026, 4, 23)
    assert [(c.invoice_id, c.kind, c.amount) for c in action.other_charges] == [
        (2, ChargeKind.SALAER, Decimal("900.00"))
    ]
    assert "less 300.00 salær already charged on case 1" in action.other_charges[0].reason
    (closed,) = merge.closed
    assert closed.case_id == 2 and closed.letter_kind is None and not closed.charges
    assert closed.status.state is CaseState.CLOSED
    assert closed.status.closed_reason is CloseReason.MERGED
    assert "merged into case 1" in closed.reason


def test_no_salaer_when_the_case_already_carries_more() -> None:
    """Heavy salær 600.00 already on case 1; the combined 3000.00 has a light cap of 600.00."""
    merge = into_collection(
        in_collection("600.00"),
        1,
        [MergedCase(handed_over(principal="500.00"), 2)],
        TODAY,
        COLLECTOR,
        BOOK,
    )
    assert (
        merge.action.other_charges == () and merge.action.letter_kind is LetterKind.PAYMENT_DEMAND
    )
    assert "no more salær" in merge.action.reason


def test_heavy_salaer_counts_from_the_new_demands_deadline() -> None:
    """The old demand's deadline 03-19 gave heavy salær from 04-17; after the merge the newest
    demand's deadline 04-23 gives it from 05-22."""
    merge = into_collection(
        in_collection(), 1, [MergedCase(handed_over(), 2)], TODAY, COLLECTOR, BOOK
    )
    later = after(merge.facts, merge.action, TODAY)
    assert wake_on(later, COLLECTOR, BOOK) == date(2026, 5, 22)


def test_hand_overs_of_one_debtor_on_the_same_day_make_one() -> None:
    """2500.00 and 8000.00 handed over together: one light salær of 1200.00, not 300 + 600."""
    first = handed_over(1, 1, "2500.00")
    merge = same_day(MergedCase(first, 1), [MergedCase(handed_over(), 2)], TODAY, COLLECTOR, BOOK)
    assert merge is not None
    assert merge.action.step is StepKind.HAND_OVER and merge.action.case_id == 1
    assert merge.action.status.state is CaseState.IN_COLLECTION
    assert [c.amount for c in merge.action.other_charges] == [Decimal("1200.00")]
    assert "case 2 merged in" in merge.action.reason
    assert [c.case_id for c in merge.closed] == [2]


def test_the_merged_demands_deadline_follows_the_agreements_holiday_weeks() -> None:
    """Sent Monday 2026-12-14, 14 days end on 12-28 in the Christmas week: with
    holiday_deadlines the deadline is the first banking day after it, as for every letter."""
    agreement = replace(COLLECTOR, holiday_deadlines=True)
    merge = into_collection(
        in_collection(), 1, [MergedCase(handed_over(), 2)], date(2026, 12, 14), agreement, BOOK
    )
    assert merge.action.deadline is not None
    assert merge.action.deadline.deadline == date(2027, 1, 4)
