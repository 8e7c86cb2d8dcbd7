"""Issue 12, the engine: salær follows the collector the case was handed to, heavy salær
only on a principal not paid, and a small remainder written off instead of pursued."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CaseStatus, CloseReason
from fordring.domain.collection.case_facts import CaseFacts, ChargeKind, Claim, SentLetter, StepKind
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import after, next_action, paid_in_all, wake_on
from fordring.domain.law.builtin_rates import rate_book

BOOK = rate_book()
COLLECTOR = Agreement(automatic_handover=True, collector_name="Inkasso AS")
OWN = Agreement(automatic_handover=True)
DUE = date(2026, 1, 5)
DEMAND = SentLetter(LetterKind.PAYMENT_DEMAND, date(2026, 2, 19), date(2026, 3, 5))
HEAVY_DAY = date(2026, 4, 3)


def in_collection(collector: str | None, **changes: object) -> CaseFacts:
    facts = CaseFacts(
        1,
        CaseStatus(CaseState.IN_COLLECTION),
        (Claim(7, DUE, Decimal(5000)),),
        charges_open=Decimal(600),
        letters=(DEMAND,),
        charged=((ChargeKind.SALAER, Decimal(600)),),
        collector_name=collector,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def test_heavy_salaer_goes_to_the_collector_recorded_on_the_case_not_the_agreements() -> None:
    own_case = in_collection(None, charges_open=Decimal(0), charged=())
    assert next_action(own_case, HEAVY_DAY, COLLECTOR, BOOK) is None
    theirs = in_collection("Inkasso AS")
    action = next_action(theirs, HEAVY_DAY, OWN, BOOK)
    assert action is not None and action.step is StepKind.HEAVY_SALAER


def test_the_hand_over_records_its_collector_so_the_case_wakes_for_heavy_salaer() -> None:
    listed = CaseFacts(
        1,
        CaseStatus(CaseState.LISTED),
        (Claim(7, DUE, Decimal(5000)),),
        approved_on=date(2026, 2, 19),
    )
    action = next_action(listed, date(2026, 2, 19), COLLECTOR, BOOK)
    assert action is not None and action.collector == "Inkasso AS"
    later = after(listed, action, date(2026, 2, 19))
    assert later.collector_name == "Inkasso AS"
    assert wake_on(later, OWN, BOOK) == HEAVY_DAY


def test_no_heavy_salaer_once_the_payments_reach_the_principal() -> None:
    """5 000 handed over; 5 030 paid: 600 salær, 30 interest, 4 400 principal (costs
    first), so 600 of the principal is open but more than the principal has been paid."""
    paid = in_collection(
        "Inkasso AS",
        claims=(Claim(7, DUE, Decimal(600), reductions=((date(2026, 3, 20), Decimal(4400)),)),),
        charges_open=Decimal(0),
        charged=((ChargeKind.SALAER, Decimal(600)), (ChargeKind.INTEREST, Decimal(30))),
    )
    assert paid_in_all(paid) == Decimal(5030)
    assert next_action(paid, HEAVY_DAY, COLLECTOR, BOOK) is None
    short = replace(
        paid,
        claims=(Claim(7, DUE, Decimal(3000), reductions=((date(2026, 3, 20), Decimal(1400)),)),),
        charged=((ChargeKind.SALAER, Decimal(600)),),
    )
    action = next_action(short, HEAVY_DAY, COLLECTOR, BOOK)
    assert action is not None and action.step is StepKind.HEAVY_SALAER


def test_a_remainder_below_the_threshold_is_written_off_and_the_case_closed() -> None:
    agreement = replace(COLLECTOR, small_remainder_write_off=Decimal(50))
    left = in_collection(
        "Inkasso AS",
        claims=(
            Claim(7, DUE, Decimal("27.94"), reductions=((date(2026, 3, 20), Decimal("4972.06")),)),
        ),
        charges_open=Decimal(0),
    )
    action = next_action(left, date(2026, 3, 20), agreement, BOOK)
    assert action is not None and action.step is StepKind.WRITE_OFF_REMAINDER
    assert action.status.state is CaseState.CLOSED
    assert action.status.closed_reason is CloseReason.WRITTEN_OFF
    assert action.charge_total == 0
    # off by default, never without a payment, never on a replayed day before one
    assert next_action(left, date(2026, 3, 20), COLLECTOR, BOOK) is None
    unpaid = in_collection(
        "Inkasso AS", claims=(Claim(7, DUE, Decimal(20)),), charges_open=Decimal(0), charged=()
    )
    assert next_action(unpaid, date(2026, 3, 20), agreement, BOOK) is None
    replayed = replace(left, changes_on=date(2026, 3, 25))
    found = next_action(replayed, date(2026, 3, 20), agreement, BOOK)
    assert found is None or found.step is not StepKind.WRITE_OFF_REMAINDER
