"""A payment in time (domain/collection/in_time.py; inkassoloven § 9 (2))."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.case_facts import CaseFacts, Claim, SentLetter
from fordring.domain.collection.in_time import handover_after, notice_covered
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseState

NOTICE = SentLetter(LetterKind.COLLECTION_NOTICE, date(2026, 3, 24), date(2026, 4, 7))
DEMAND = SentLetter(LetterKind.PAYMENT_DEMAND, date(2026, 4, 16), date(2026, 4, 30))


def facts(state: CaseState = CaseState.IN_COLLECTION, *letters: SentLetter) -> CaseFacts:
    return CaseFacts(
        1,
        CaseStatus(state),
        (Claim(1, date(2026, 3, 2), Decimal("2500.00")),),
        letters=letters or (NOTICE, DEMAND),
    )


def test_a_payment_on_the_deadline_day_came_in_time_for_a_later_handover() -> None:
    assert handover_after(facts(), date(2026, 4, 7)) == (NOTICE, DEMAND)
    assert handover_after(facts(), date(2026, 3, 30)) == (NOTICE, DEMAND)


def test_a_payment_the_day_after_the_deadline_is_late() -> None:
    assert handover_after(facts(), date(2026, 4, 8)) is None


def test_only_a_case_in_collection_after_a_notice_has_a_handover_to_undo() -> None:
    assert handover_after(facts(CaseState.LISTED, NOTICE), date(2026, 4, 7)) is None
    assert handover_after(facts(CaseState.IN_COLLECTION, NOTICE), date(2026, 4, 7)) is None
    assert handover_after(facts(CaseState.LEGAL), date(2026, 4, 7)) is None


def test_the_notice_is_covered_by_principal_and_fees_interest_not_needed() -> None:
    principal, fee = Decimal("2500.00"), Decimal("37.50")
    assert notice_covered(principal, fee, Decimal("2537.50"), Decimal(0))
    assert notice_covered(principal, fee, Decimal("2037.50"), Decimal("500.00"))  # credit note
    assert not notice_covered(principal, fee, Decimal("2537.49"), Decimal(0))
