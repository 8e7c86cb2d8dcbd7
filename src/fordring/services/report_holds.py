"""How a debtor's reported payment stops holding a case (issue 19): the bank file shows a
payment to the case (the posting service tells us), or the hold runs out (the daily run).
Both write the case's history; the case then goes on as it stood."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fordring.domain.collection.history import EventKind, HistoryEvent
from fordring.domain.collection.payment_reports import ReportStatus
from fordring.services.ports import UnitOfWork

SEEN_TEXT = "the reported payment is seen in the bank: the case goes on as paid"
LAPSED_TEXT = "no payment seen by {until}: the hold ended and the case goes on where it stood"


def payments_seen(uow: UnitOfWork, paid: Sequence[tuple[int, date]]) -> list[HistoryEvent]:
    """End the open reports of the cases a payment is booked to now (case id, the
    payment's bank day): seen in the bank, the steps held no more. The payment's own day
    is often before the report (the debtor paid, then reported, and the bank file came
    after): any payment booked while a report is open shows it. The history events to
    add (the caller adds them with the payment's own); one indexed read of the open
    reports, nothing when nothing is paid."""
    if not paid:
        return []
    paid_on: dict[int, date] = {}
    for case_id, day in paid:
        paid_on[case_id] = max(paid_on.get(case_id, day), day)
    seen = uow.debtor_contact.open_reports(sorted(paid_on), lock=True)
    if not seen:
        return []
    by_day: dict[date, list[int]] = {}
    for r in seen:  # dated the payment's day, never before the report
        by_day.setdefault(max(paid_on[r.case_id], r.reported_on), []).append(r.id)
    for day, ids in by_day.items():
        uow.debtor_contact.end_reports(ids, ReportStatus.SEEN, day)
    cases = sorted({r.case_id for r in seen})
    uow.debtor_contact.release_steps(cases)
    return [
        HistoryEvent(case_id, EventKind.REPORT_HOLD_ENDED, SEEN_TEXT, {"why": "seen"})
        for case_id in cases
    ]


def end_lapsed_holds(uow: UnitOfWork, day: date, actor: str) -> int:
    """The reports whose hold ends on or before `day` without a payment: lapsed (Oversikt
    counts them: a person should look), with an event in each case's history. How many."""
    lapsing = uow.debtor_contact.holds_ending(day)
    if not lapsing:
        return 0
    uow.debtor_contact.end_reports([r.id for r in lapsing], ReportStatus.LAPSED, day)
    last: dict[int, date] = {}
    for r in lapsing:
        assert r.hold_until is not None
        last[r.case_id] = max(last.get(r.case_id, r.hold_until), r.hold_until)
    events = [
        HistoryEvent(
            case_id,
            EventKind.REPORT_HOLD_ENDED,
            LAPSED_TEXT.format(until=until),
            {"why": "lapsed", "hold_until": until.isoformat()},
        )
        for case_id, until in sorted(last.items())
    ]
    uow.collection.add_event_rows(events, day, actor)
    return len(lapsing)
