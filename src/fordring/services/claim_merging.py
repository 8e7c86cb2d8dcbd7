"""The daily run's merging of claims at hand-over (issue 12; domain/collection/merging.py):
which hand-overs of the day join a debtor's case in collection, or each other, and moving
their invoices and charges before the day's letters are written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case_facts import Action, CaseFacts, StepKind
from fordring.domain.collection.merging import (
    Merge,
    MergedCase,
    into_collection,
    merges_into,
    merging_applies,
    same_day,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import after, wake_on
from fordring.domain.law.tables import RateBook
from fordring.services.ports import HandOver, UnitOfWork

ONE_DAY = timedelta(days=1)


def merge_hand_overs(
    uow: UnitOfWork,
    agreement: Agreement,
    day: date,
    book: RateBook,
    actions: Sequence[tuple[Action, CaseFacts]],
    wakes: Sequence[tuple[int, date]],
) -> tuple[list[tuple[Action, CaseFacts]], list[tuple[int, date]]]:
    """The day's actions and wake-up days once hand-overs are merged: a hand-over joins the
    debtor's oldest case in collection, or the debtor's first hand-over of the day. When the
    case in collection has a step of its own today, the hand-over waits a day (unless that
    step closes it: then there is nothing to join); so it does while a payment the debtor
    reported holds that case's steps (a merge sends a demand and may charge salær)."""
    if not merging_applies(agreement):
        return list(actions), list(wakes)
    handing = {a.case_id: f for a, f in actions if a.step is StepKind.HAND_OVER}
    if not handing:
        return list(actions), list(wakes)
    busy = {a.case_id: a for a, _ in actions}
    groups: dict[int, list[HandOver]] = {}
    for h in uow.collection.hand_overs(list(handing)):
        groups.setdefault(h.customer_id, []).append(h)
    idle = {h.into_id for g in groups.values() for h in g if h.into_id is not None} - set(busy)
    into_facts = uow.collection.facts_of(sorted(idle), day) if idle else {}
    merges: list[Merge] = []
    waiting: set[int] = set()
    for group in groups.values():
        into_id, into_number = group[0].into_id, group[0].into_number
        if into_id is not None and into_id in busy:
            if busy[into_id].status.state is not CaseState.CLOSED:
                waiting.update(h.case_id for h in group)
                continue
            into_id = None
        merged = [MergedCase(handing[h.case_id], h.number) for h in group]
        merge: Merge | None = None
        if into_id is not None and into_number is not None:
            facts = into_facts.get(into_id)
            if facts is not None and _held(facts, day):
                waiting.update(h.case_id for h in group)
                continue
            if facts is not None and merges_into(facts):
                merge = into_collection(facts, into_number, merged, day, agreement, book)
        if merge is None and len(merged) > 1:
            merge = same_day(merged[0], merged[1:], day, agreement, book)
        if merge is None:
            continue
        uow.collection.merge_cases(merge.action.case_id, [a.case_id for a in merge.closed])
        merges.append(merge)
    return _replaced(actions, wakes, merges, waiting, day, agreement, book)


def _held(facts: CaseFacts, day: date) -> bool:
    """A debtor's reported payment holds the case's letters and fees on `day`."""
    return facts.steps_held_until is not None and facts.steps_held_until > day


def _replaced(
    actions: Sequence[tuple[Action, CaseFacts]],
    wakes: Sequence[tuple[int, date]],
    merges: Sequence[Merge],
    waiting: set[int],
    day: date,
    agreement: Agreement,
    book: RateBook,
) -> tuple[list[tuple[Action, CaseFacts]], list[tuple[int, date]]]:
    instead: dict[int, list[tuple[Action, CaseFacts]]] = {}
    wake_days = dict(wakes)
    for m in merges:
        first = m.closed[0].case_id if m.action.step is StepKind.MERGE else m.action.case_id
        instead.setdefault(first, []).append((m.action, m.facts))
        later = after(m.facts, m.action, day)
        wake_days[m.action.case_id] = max(wake_on(later, agreement, book), day + ONE_DAY)
        for closing in m.closed:
            instead.setdefault(closing.case_id, []).append((closing, m.facts))
            wake_days[closing.case_id] = date.max
    for case_id in waiting:
        wake_days[case_id] = day + ONE_DAY
    result: list[tuple[Action, CaseFacts]] = []
    for action, facts in actions:
        if action.case_id in waiting:
            continue
        if action.step is StepKind.HAND_OVER and action.case_id in instead:
            result.extend(instead[action.case_id])
        else:
            result.append((action, facts))
    return result, list(wake_days.items())
