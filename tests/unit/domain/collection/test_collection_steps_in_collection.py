"""The steps after the collection list: the payment demand (salær or own-collection fee),
heavy salær from day 43, the interest note, and the day a case next needs looking at."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.case_facts import (
    NOW,
    CaseFacts,
    ChargeKind,
    Claim,
    SentLetter,
    StepKind,
)
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import after, next_action, wake_on
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.fees import EarlierLetter, LawLetterKind

BOOK = rate_book()
COLLECTOR = Agreement(automatic_handover=True, collector_name="Inkasso AS")
OWN = Agreement(automatic_handover=True)
DUE = date(2026, 1, 5)
NOTICE = SentLetter(LetterKind.COLLECTION_NOTICE, date(2026, 2, 2), date(2026, 2, 16))
NOTICE_FEE = EarlierLetter(LawLetterKind.INKASSOVARSEL, date(2026, 2, 2), date(2026, 2, 16), True)


def listed(principal: str = "5000", *, business: bool = False) -> CaseFacts:
    return CaseFacts(
        1,
        CaseStatus(CaseState.LISTED),
        (Claim(7, DUE, Decimal(principal), (NOTICE_FEE,)),),
        list_sent_on=date(2026, 2, 17),
        business=business,
        letters=(NOTICE,),
    )


def test_hand_over_sends_the_demand_with_light_salaer_on_the_thursday() -> None:
    facts = listed()
    assert wake_on(facts, COLLECTOR, BOOK) == date(2026, 2, 19)
    assert next_action(facts, date(2026, 2, 18), COLLECTOR, BOOK) is None
    action = next_action(facts, date(2026, 2, 19), COLLECTOR, BOOK)
    assert action is not None and action.step is StepKind.HAND_OVER
    assert action.letter_kind is LetterKind.PAYMENT_DEMAND
    assert action.deadline and action.deadline.deadline == date(2026, 3, 5)
    # 5,000 is in the band up to 10,000: light 0.80 × inkassosats 750 (2026) = 600.00
    assert [(c.kind, c.amount) for c in action.charges] == [(ChargeKind.SALAER, Decimal("600.00"))]


def test_a_business_debtor_pays_one_and_a_half_times_the_salaer() -> None:
    action = next_action(listed(business=True), date(2026, 2, 19), COLLECTOR, BOOK)
    assert action is not None and action.charge_total == Decimal("900.00")


def test_without_a_collector_the_creditor_charges_its_own_demand_fee() -> None:
    action = next_action(listed(), date(2026, 2, 19), OWN, BOOK)
    assert action is not None and action.letter_kind is LetterKind.PAYMENT_DEMAND
    assert [(c.kind, c.amount) for c in action.charges] == [(ChargeKind.FEE, Decimal("112.50"))]


def test_heavy_salaer_is_charged_once_on_day_43_after_the_demand() -> None:
    facts = listed()
    demand_day = date(2026, 2, 19)
    action = next_action(facts, demand_day, COLLECTOR, BOOK)
    assert action is not None
    facts = after(facts, action, demand_day)
    # the demand's deadline 2026-03-05 exceeded by more than 28 days: 2026-04-03, day 43
    assert wake_on(facts, COLLECTOR, BOOK) == date(2026, 4, 3)
    assert (date(2026, 4, 3) - demand_day).days == 43
    assert next_action(facts, date(2026, 4, 2), COLLECTOR, BOOK) is None
    heavy = next_action(facts, date(2026, 4, 3), COLLECTOR, BOOK)
    assert heavy is not None and heavy.step is StepKind.HEAVY_SALAER and heavy.letter_kind is None
    assert heavy.charge_total == Decimal("600.00")  # heavy 1,200.00 less the light 600.00
    facts = after(facts, heavy, date(2026, 4, 3))
    assert next_action(facts, date(2026, 5, 1), COLLECTOR, BOOK) is None
    # nothing more until the claim due 2026-01-05 is time-barred (issue 12, limitation)
    assert wake_on(facts, COLLECTOR, BOOK) == date(2029, 1, 6)


def test_a_paid_principal_after_the_notice_brings_one_interest_note() -> None:
    paid = replace(
        listed(),
        status=CaseStatus(CaseState.NOTIFIED),
        claims=(Claim(7, DUE, Decimal(0), reductions=((date(2026, 2, 10), Decimal(5000)),)),),
        charges_open=Decimal("37.50"),
    )
    assert wake_on(paid, OWN, BOOK) == NOW
    note = next_action(paid, date(2026, 2, 11), OWN, BOOK)
    assert note is not None and note.letter_kind is LetterKind.INTEREST_NOTE
    # 5,000 × 12 % (2026 H1) × 36/365 days (6 January - 10 February) = 59.178... → 59.18
    assert [(c.kind, c.amount) for c in note.charges] == [(ChargeKind.INTEREST, Decimal("59.18"))]
    later = after(paid, note, date(2026, 2, 11))
    assert next_action(later, date(2026, 2, 12), OWN, BOOK) is None  # once


def test_a_claim_paid_in_the_reminder_stage_closes_without_interest() -> None:
    paid = CaseFacts(
        1,
        CaseStatus(CaseState.REMINDED),
        (Claim(7, DUE, Decimal(0), reductions=((date(2026, 2, 10), Decimal(5000)),)),),
    )
    action = next_action(paid, date(2026, 2, 11), OWN, BOOK)
    assert action is not None and action.step is StepKind.CLOSE_SETTLED
    assert action.charge_total == 0


def test_a_payment_dated_after_the_day_looked_at_wakes_the_case_that_day() -> None:
    facts = replace(listed(), changes_on=date(2026, 2, 18))
    assert wake_on(facts, Agreement(), BOOK) == date(2026, 2, 18)


def test_a_notice_more_than_six_months_old_gets_a_new_notice_instead_of_a_hand_over() -> None:
    """The notice of 02-02 is too old on 08-03 (6 months on 08-02): approved that day, the
    case gets a new notice without a fee and is notified again, with a new deadline."""
    facts = replace(listed(), approved_on=date(2026, 8, 3))
    action = next_action(facts, date(2026, 8, 3), COLLECTOR, BOOK)
    assert action is not None and action.step is StepKind.RENEW_NOTICE
    assert action.letter_kind is LetterKind.COLLECTION_NOTICE and action.charges == ()
    assert action.status == CaseStatus(CaseState.NOTIFIED)
    assert action.deadline is not None and action.deadline.deadline == date(2026, 8, 17)
    still_usable = next_action(
        replace(listed(), approved_on=date(2026, 7, 31)), date(2026, 7, 31), COLLECTOR, BOOK
    )
    assert still_usable is not None and still_usable.step is StepKind.HAND_OVER
