"""Merging claims (Finanstilsynet rundskriv 1/2018; docs/law.md "Merging claims"): a new
case handed over while the debtor has a case in collection joins that case, and new cases of
one debtor handed over the same day join the oldest, so salær is counted once, on the
combined claim, and the debtor gets one payment demand listing every claim."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CloseReason, apply_event
from fordring.domain.collection.case_facts import Action, CaseFacts, Charge, ChargeKind, StepKind
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps import letter_deadline_for, next_action, salaer
from fordring.domain.law.salaer import SalaerLevel
from fordring.domain.law.tables import RateBook

SOURCE = "Finanstilsynet rundskriv 1/2018"


def merging_applies(agreement: Agreement) -> bool:
    """Claims merge only when a collector collects: the rule limits salær (inkassoloven
    § 17's necessary costs); the creditor's own demand fee is per claim anyway (forskriften
    § 1-2 (3), § 1-3), so merging it would save the debtor nothing."""
    return bool(agreement.collector_name)


def merges_into(f: CaseFacts) -> bool:
    """Whether a new claim joins this case of the debtor's: it is in collection (not
    objected, paused, at the legal stage or closed, whose claims are collected apart) by a
    collector, so it carries salær. A case the creditor collected itself carries none, and
    salær on its principal is not owed (issue 12, item 10): the new claim goes alone. The
    collector recorded at hand-over says so; salær charged says so for older cases."""
    by_collector = bool(f.collector_name) or f.charged_of(ChargeKind.SALAER) > 0
    return f.status.state is CaseState.IN_COLLECTION and by_collector


@dataclass(frozen=True, slots=True)
class MergedCase:
    """A case handed over today that joins another: its facts and its number."""

    facts: CaseFacts
    number: int


@dataclass(frozen=True, slots=True)
class Merge:
    """What merging does today: the step on the case the claims join (with its facts once
    they have joined, before the step) and each merged case closed as merged."""

    facts: CaseFacts
    action: Action
    closed: tuple[Action, ...]


def combined(into: CaseFacts, merged: Sequence[CaseFacts]) -> CaseFacts:
    """The facts of `into` once the claims of `merged`, with their charges, have moved to it."""
    changes = [d for d in (into.changes_on, *(m.changes_on for m in merged)) if d is not None]
    return replace(
        into,
        claims=into.claims + tuple(c for m in merged for c in m.claims),
        charges_open=into.charges_open + sum((m.charges_open for m in merged), Decimal(0)),
        credited=into.credited or any(m.credited for m in merged),
        charged=into.charged + tuple(x for m in merged for x in m.charged),
        changes_on=min(changes, default=None),
    )


def into_collection(
    into: CaseFacts,
    into_number: int,
    merged: Sequence[MergedCase],
    today: date,
    a: Agreement,
    book: RateBook,
) -> Merge:
    """New cases join `into`, the debtor's case in collection: a payment demand (inkassoloven
    § 10) listing every claim with a new deadline, and light salær on the combined open
    principal less the salær already charged on `into`, never below 0. Heavy salær then
    counts from the new demand's deadline (steps_handover._heavy_due looks at the newest demand)."""
    facts = combined(into, [m.facts for m in merged])
    cap, explained = salaer(facts, today, SalaerLevel.LIGHT, book, a)
    already = into.charged_of(ChargeKind.SALAER)
    extra = max(Decimal(0), cap - already)
    why = f"{explained}; less {already:.2f} salær already charged on case {into_number}"
    first_new = next(c for m in merged for c in m.facts.claims if c.principal > 0)
    charges = (Charge(first_new.invoice_id, ChargeKind.SALAER, extra, why),) if extra else ()
    numbers = ", ".join(str(m.number) for m in merged)
    reason = (
        f"case {numbers} merged in ({SOURCE}): payment demand from {a.collector_name} "
        "for the combined claim, salær once on it"
    )
    if not extra:
        reason += f"; no more salær: {why}"
    deadline = letter_deadline_for(today, a.demand_deadline_days, a)
    action = Action(
        StepKind.MERGE,
        into.case_id,
        into.status,
        reason,
        LetterKind.PAYMENT_DEMAND,
        deadline,
        other_charges=charges,
        merged=tuple(m.number for m in merged),
    )
    return Merge(facts, action, _closed(merged, into_number, today))


def same_day(
    first: MergedCase, merged: Sequence[MergedCase], today: date, a: Agreement, book: RateBook
) -> Merge | None:
    """New cases of one debtor handed over the same day join the first: one hand-over with
    one payment demand and salær on the combined claim (Norkreditt 2016, point 2.1)."""
    facts = combined(first.facts, [m.facts for m in merged])
    action = next_action(facts, today, a, book)
    if action is None or action.step is not StepKind.HAND_OVER:
        return None
    numbers = ", ".join(str(m.number) for m in merged)
    action = replace(
        action,
        reason=f"{action.reason}; case {numbers} merged in ({SOURCE})",
        merged=tuple(m.number for m in merged),
    )
    return Merge(facts, action, _closed(merged, first.number, today))


def _closed(merged: Sequence[MergedCase], into_number: int, today: date) -> tuple[Action, ...]:
    return tuple(
        Action(
            StepKind.MERGE,
            m.facts.case_id,
            apply_event(m.facts.status, CaseEvent.CLOSE, today, CloseReason.MERGED),
            f"merged into case {into_number} at hand-over ({SOURCE}): its claims are "
            f"collected there, and a payment to this case's KID pays case {into_number}",
        )
        for m in merged
    )
