"""An objection stops every step; resumed, the case gets its stage's letter again with a
new deadline (no fee, no salær) before anything else, and heavy salær counts from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CaseStatus, CloseReason, apply_event
from fordring.domain.collection.case_facts import CaseFacts, ChargeKind, Claim, SentLetter, StepKind
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps import after, next_action, wake_on
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.fees import EarlierLetter, LawLetterKind

BOOK = rate_book()
COLLECTOR = Agreement(automatic_handover=True, collector_name="Inkasso AS")
DUE = date(2026, 1, 5)
DEMAND = SentLetter(LetterKind.PAYMENT_DEMAND, date(2026, 2, 19), date(2026, 3, 5))
NOTICE = SentLetter(LetterKind.COLLECTION_NOTICE, date(2026, 2, 2), date(2026, 2, 16))
NOTICE_FEE = EarlierLetter(LawLetterKind.INKASSOVARSEL, date(2026, 2, 2), date(2026, 2, 16), True)


def in_collection(status: CaseStatus) -> CaseFacts:
    return CaseFacts(
        1,
        status,
        (Claim(7, DUE, Decimal(5000), (NOTICE_FEE,)),),
        charges_open=Decimal("637.50"),
        letters=(NOTICE, DEMAND),
        charged=((ChargeKind.FEE, Decimal("37.50")), (ChargeKind.SALAER, Decimal(600))),
        collector_name="Inkasso AS",
    )


def test_an_objected_case_does_nothing_until_its_claim_is_time_barred() -> None:
    objected = apply_event(CaseStatus(CaseState.IN_COLLECTION), CaseEvent.OBJECT, date(2026, 3, 1))
    facts = in_collection(objected)
    assert wake_on(facts, COLLECTOR, BOOK) == date(2029, 1, 6)  # due 2026-01-05 + 3 years
    assert next_action(facts, date(2029, 1, 5), COLLECTOR, BOOK) is None
    closed = next_action(facts, date(2029, 1, 6), COLLECTOR, BOOK)
    assert closed is not None and closed.step is StepKind.CLOSE_TIME_BARRED
    assert closed.status.closed_reason is CloseReason.TIME_BARRED


def test_resumed_in_collection_a_new_demand_comes_first_and_heavy_salaer_counts_from_it() -> None:
    objected = apply_event(CaseStatus(CaseState.IN_COLLECTION), CaseEvent.OBJECT, date(2026, 3, 1))
    resumed = apply_event(objected, CaseEvent.RESUME, date(2026, 5, 4))
    assert resumed == CaseStatus(CaseState.IN_COLLECTION, letter_asked_on=date(2026, 5, 4))
    facts = in_collection(resumed)
    # heavy salær would be due from 2026-04-03 on the first demand; the new demand comes first
    assert wake_on(facts, COLLECTOR, BOOK) == date(2026, 5, 4)
    action = next_action(facts, date(2026, 5, 4), COLLECTOR, BOOK)
    assert action is not None and action.step is StepKind.SEND_STAGE_LETTER
    assert action.letter_kind is LetterKind.PAYMENT_DEMAND and action.charges == ()
    assert action.deadline and action.deadline.deadline == date(2026, 5, 18)
    assert action.status == CaseStatus(CaseState.IN_COLLECTION)
    later = after(facts, action, date(2026, 5, 4))
    assert wake_on(later, COLLECTOR, BOOK) == date(2026, 6, 16)  # 05-18 + 29 days
    heavy = next_action(later, date(2026, 6, 16), COLLECTOR, BOOK)
    assert heavy is not None and heavy.step is StepKind.HEAVY_SALAER


def test_a_listed_case_resumes_notified_and_gets_the_notice_again_without_a_fee() -> None:
    objected = apply_event(CaseStatus(CaseState.LISTED), CaseEvent.OBJECT, date(2026, 2, 18))
    resumed = apply_event(objected, CaseEvent.RESUME, date(2026, 3, 2))
    assert resumed.state is CaseState.NOTIFIED
    facts = CaseFacts(1, resumed, (Claim(7, DUE, Decimal(5000), (NOTICE_FEE,)),), letters=(NOTICE,))
    action = next_action(facts, date(2026, 3, 2), COLLECTOR, BOOK)
    assert action is not None and action.letter_kind is LetterKind.COLLECTION_NOTICE
    assert action.fee_total == 0 and action.deadline is not None
    later = after(facts, action, date(2026, 3, 2))
    assert wake_on(later, COLLECTOR, BOOK) == date(2026, 3, 17)  # listed after the new deadline


def test_a_case_resumed_before_any_letter_owes_no_letter_again() -> None:
    objected = apply_event(CaseStatus(CaseState.REGISTERED), CaseEvent.OBJECT, date(2026, 1, 6))
    resumed = apply_event(objected, CaseEvent.RESUME, date(2026, 1, 9))
    assert resumed == CaseStatus(CaseState.REGISTERED)


def test_the_letter_again_is_never_two_letters_of_a_kind_on_one_day() -> None:
    status = CaseStatus(CaseState.IN_COLLECTION, letter_asked_on=date(2026, 2, 19))
    facts = in_collection(status)
    assert wake_on(facts, COLLECTOR, BOOK) == date(2026, 2, 20)
