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
    """End the open reports of the cases paid (case id, day booked) that were made on or
    before that day: seen in the bank, the steps held no more. The history events to add
    (the caller adds them with the payment's own); nothing is read when nothing is paid."""
    if not paid:
        return []
    first_paid: dict[int, date] = {}
    for case_id, day in paid:
        first_paid[case_id] = max(first_paid.get(case_id, day), day)
    reports = uow.debtor_contact.open_reports(sorted(first_paid))
    seen = [r for r in reports if r.reported_on <= first_paid[r.case_id]]
    if not seen:
        return []
    by_day: dict[date, list[int]] = {}
    for r in seen:
        by_day.setdefault(first_paid[r.case_id], []).append(r.id)
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
    lapsing = [
        r
        for r in uow.debtor_contact.open_reports()
        if r.status is ReportStatus.HOLDING and r.hold_until is not None and r.hold_until <= day
    ]
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
