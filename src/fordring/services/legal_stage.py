"""The creditor's letters of the legal stage (issue 12): a new payment demand once the last
one is more than 6 months old (inkassoloven § 11), and the notice of enforcement
(tvangsfullbyrdelsesloven § 4-18). The action asks for the letter; the daily run sends it
that day (or at its next run) through the delivery chain, like every case letter."""

from __future__ import annotations

from dataclasses import replace

from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.history import EventKind
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import RuleViolation
from fordring.domain.law.deadlines import legal_steps_latest
from fordring.services.case_lookup import numbered_case
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope


def ask_new_demand(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> CaseStatus:
    """Legal steps were not taken within 6 months of the payment demand: a new demand,
    with a new deadline and no new salær or fee, is sent by the next run (§ 11)."""
    return _ask(number, scope, uow_factory, CaseState.IN_COLLECTION)


def ask_enforcement_notice(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> CaseStatus:
    """The written notice before a request for enforcement (§ 4-18): sent by the next run,
    with 14 days to pay; for a case handed to legal collection."""
    return _ask(number, scope, uow_factory, CaseState.LEGAL)


def _ask(
    number: int,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    state: CaseState,
) -> CaseStatus:
    today, actor = scope.business_date, str(scope.actor)
    letter = (
        "a new payment demand" if state is CaseState.IN_COLLECTION else "a notice of enforcement"
    )
    with uow_factory(scope) as uow:
        case_id, status, facts = numbered_case(uow, number, today)
        if status.state is not state:
            raise RuleViolation(f"case: a case that is {status.state} cannot get {letter}")
        if status.letter_asked_on is not None:
            raise RuleViolation(
                f"case: {letter} was asked for on {status.letter_asked_on} and is sent by "
                "the next run"
            )
        if facts.open_principal <= 0:
            raise RuleViolation("case: no principal is left to claim")
        demand = facts.last_letter(LetterKind.PAYMENT_DEMAND)
        if state is CaseState.IN_COLLECTION and demand is not None:
            latest = legal_steps_latest(demand.day)
            if today <= latest:
                raise RuleViolation(
                    f"case: the payment demand of {demand.day} may be used for legal steps "
                    f"until {latest} (inkassoloven § 11); a new demand only after that"
                )
        changed = replace(status, letter_asked_on=today)
        uow.collection.save_status(case_id, changed)
        if state is CaseState.IN_COLLECTION:
            kind, letter_kind = EventKind.NEW_DEMAND, LetterKind.PAYMENT_DEMAND
        else:
            kind, letter_kind = EventKind.ENFORCEMENT_NOTICE, LetterKind.ENFORCEMENT_NOTICE
        uow.collection.add_events(
            [case_id],
            today,
            actor,
            kind,
            f"{letter} asked for: the run sends it",
            {"letter": letter_kind.value},
        )
        uow.commit()
    return changed
