"""The daily run's writes to cases in bulk: statuses, wakes, holds, collectors, approvals,
listings, limitation interruptions and history rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Connection, select, update

from fordring.adapters import clock
from fordring.adapters.db.chunks import CHUNK
from fordring.adapters.db.repositories.collection_run_rows import payload_json
from fordring.adapters.db.repositories.debtor_contact import close_open_reports
from fordring.adapters.db.repositories.webhooks import queue_events, subscribed
from fordring.adapters.db.rows_at_once import insert_rows, update_rows
from fordring.adapters.db.scoping import own, owned_ids
from fordring.adapters.db.tables import case_event, case_invoice, collection_case, invoice
from fordring.domain import webhooks
from fordring.domain.collection.case import CaseStatus, CloseReason
from fordring.domain.collection.case_facts import NEVER, NOW
from fordring.domain.collection.history import HistoryEvent
from fordring.domain.collection.states import CaseState


class RunStatusWrites:
    """Bulk status and history writes; mixed into SqlCollectionRun."""

    connection: Connection
    company_id: int
    own_cases: set[int]

    def owned_cases(self, case_ids: Iterable[int]) -> set[int]:
        """Those of `case_ids` that are the company's cases: the ones this unit of work
        read under the company's condition (the day's woken cases) are known, the rest
        looked up (`owned_ids`). A case never changes company."""
        wanted = set(case_ids)
        known = wanted & self.own_cases
        found = owned_ids(self.connection, collection_case, wanted - known, self.company_id)
        self.own_cases |= found
        return known | found

    def save_statuses(self, changes: Sequence[tuple[int, CaseStatus]]) -> None:
        """New statuses; each changed case is looked at again in the next run (a closed
        one never)."""
        self.save_steps(changes, [])

    def save_steps(
        self, changes: Sequence[tuple[int, CaseStatus]], wakes: Sequence[tuple[int, date]]
    ) -> None:
        """New statuses and wake-up days, each case written once: a changed case wakes on
        its day in `wakes`, else in the next run (a closed one never); a case of `wakes`
        alone gets its day."""
        woken = dict(wakes)  # a case named twice: its last day, as with a write each
        changed = {case_id for case_id, _ in changes}
        update_rows(
            self.connection,
            collection_case,
            [
                {
                    "id": case_id,
                    "state": s.state.value,
                    "resume_state": s.resume_state.value if s.resume_state else None,
                    "paused_on": s.paused_on,
                    "closed_reason": s.closed_reason.value if s.closed_reason else None,
                    "wake_on": woken.get(case_id, NEVER if s.state is CaseState.CLOSED else NOW),
                    "letter_asked_on": s.letter_asked_on,
                }
                for case_id, s in changes
            ],
            self.company_id,
        )
        self.set_wakes([(case_id, day) for case_id, day in woken.items() if case_id not in changed])
        closed = [case_id for case_id, s in changes if s.state is CaseState.CLOSED]
        if closed:  # every closing comes here: the debtor's open reports end with it
            close_open_reports(self.connection, self.company_id, closed)

    def set_wakes(self, wakes: Sequence[tuple[int, date]]) -> None:
        update_rows(
            self.connection,
            collection_case,
            [{"id": case_id, "wake_on": day} for case_id, day in wakes],
            self.company_id,
        )

    def set_held(self, rows: Sequence[tuple[int, str | None]], day: date) -> None:
        """Hold these cases for a missing rate from `day` (reason), or release them (None)."""
        update_rows(
            self.connection,
            collection_case,
            [
                {"id": case_id, "held_reason": reason, "held_on": day if reason else None}
                for case_id, reason in rows
            ],
            self.company_id,
        )

    def set_collectors(self, rows: Sequence[tuple[int, str, str]]) -> None:
        """The collector (name, orgnr) each case was handed over to."""
        update_rows(
            self.connection,
            collection_case,
            [
                {"id": c, "collector_name": name, "collector_orgnr": orgnr or None}
                for c, name, orgnr in rows
            ],
            self.company_id,
        )

    def wake_cases(self, case_ids: Sequence[int]) -> None:
        """Something changed these cases (a payment, a list sent): look at them next run."""
        if case_ids:
            self.set_wakes([(case_id, NOW) for case_id in set(case_ids)])

    def wake_invoice_cases(self, invoice_ids: Sequence[int]) -> None:
        """The cases of these invoices (a credit note, a payment) are looked at next run."""
        if invoice_ids:
            self.connection.execute(
                update(collection_case)
                .where(
                    collection_case.c.id.in_(
                        select(case_invoice.c.case_id).where(
                            case_invoice.c.invoice_id.in_(list(set(invoice_ids)))
                        )
                    )
                    & (collection_case.c.state != CaseState.CLOSED.value)
                    & own(collection_case.c.company_id, self.company_id)
                )
                .values(wake_on=NOW)
            )

    def reopen_paid(self, case_ids: Sequence[int], invoice_numbers: Sequence[int]) -> list[int]:
        """Reopen the cases (by id, or of these invoices) closed as paid that owe principal
        again, in the state they were closed from; the ids reopened."""
        company_id = self.company_id
        by_invoice = (
            select(case_invoice.c.case_id)
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where(
                (invoice.c.company_id == company_id) & invoice.c.number.in_(list(invoice_numbers))
            )
        )
        owing = (
            select(case_invoice.c.case_id)
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where(invoice.c.open_amount > 0)
        )
        rows = self.connection.execute(
            select(collection_case.c.id, collection_case.c.resume_state).where(
                (collection_case.c.company_id == company_id)
                & (collection_case.c.id.in_(list(case_ids)) | collection_case.c.id.in_(by_invoice))
                & (collection_case.c.state == CaseState.CLOSED.value)
                & (collection_case.c.closed_reason == CloseReason.PAID.value)
                & collection_case.c.id.in_(owing)
            )
        ).all()
        for row in rows:
            self.connection.execute(
                update(collection_case)
                .where(collection_case.c.id == row.id)
                .values(
                    state=row.resume_state or CaseState.REGISTERED.value,
                    resume_state=None,
                    closed_reason=None,
                    wake_on=NOW,
                )
            )
        return [row.id for row in rows]

    def wake_company(self) -> None:
        """The agreement changed: every open case is looked at in the next run."""
        company_id = self.company_id
        self.connection.execute(
            update(collection_case)
            .where(
                (collection_case.c.company_id == company_id)
                & (collection_case.c.state != CaseState.CLOSED.value)
            )
            .values(wake_on=NOW)
        )

    def approve(self, case_ids: Sequence[int], day: date) -> list[int]:
        """Approve the hand-over of those not yet approved; their ids."""
        if not case_ids:
            return []
        waiting = (
            (collection_case.c.id.in_(list(case_ids)))
            & (collection_case.c.approved_on.is_(None))
            & own(collection_case.c.company_id, self.company_id)
        )
        fresh = list(self.connection.execute(select(collection_case.c.id).where(waiting)).scalars())
        if fresh:
            self.connection.execute(
                update(collection_case)
                .where(collection_case.c.id.in_(fresh))
                .values(approved_on=day, wake_on=NOW)
            )
        return fresh

    def approved_on(self, case_ids: Sequence[int]) -> dict[int, date]:
        """The day each of these cases was approved for hand-over (those approved)."""
        if not case_ids:
            return {}
        rows = self.connection.execute(
            select(collection_case.c.id, collection_case.c.approved_on).where(
                collection_case.c.id.in_(list(case_ids))
                & collection_case.c.approved_on.is_not(None)
                & own(collection_case.c.company_id, self.company_id)
            )
        )
        return {row.id: row.approved_on for row in rows}

    def forget_listing(self, case_ids: Sequence[int]) -> None:
        """The cases left the collection list (resumed after an objection, paused on it,
        or a new notice): a list sent or an approval given before no longer counts."""
        if case_ids:
            self.connection.execute(
                update(collection_case)
                .where(
                    collection_case.c.id.in_(list(case_ids))
                    & own(collection_case.c.company_id, self.company_id)
                )
                .values(list_sent_on=None, approved_on=None)
            )

    def set_limitation_interrupted(self, invoice_ids: Sequence[int], day: date) -> None:
        """The creditor's stated interruption of these invoices' limitation."""
        if invoice_ids:
            self.connection.execute(
                update(case_invoice)
                .where(
                    case_invoice.c.invoice_id.in_(
                        select(invoice.c.id).where(
                            invoice.c.id.in_(list(invoice_ids))
                            & own(invoice.c.company_id, self.company_id)
                        )
                    )
                )
                .values(limitation_interrupted_on=day)
            )

    def add_event_rows(self, rows: Sequence[HistoryEvent], day: date, actor: str) -> None:
        ours = self.owned_cases(r.case_id for r in rows)
        rows = [r for r in rows if r.case_id in ours]
        if not rows:
            return
        recorded = clock.now_in_oslo().isoformat(timespec="seconds")
        insert_rows(
            self.connection,
            case_event,
            [
                {
                    "case_id": case_id,
                    "day": day,
                    "recorded_at": recorded,
                    "actor": actor,
                    "kind": kind.value,
                    "text": text,
                    "payload": payload_json(payload),
                }
                for case_id, kind, text, payload in rows
            ],
        )
        self._queue_webhooks(rows, day, actor, recorded)

    def _queue_webhooks(
        self, rows: Sequence[HistoryEvent], day: date, actor: str, recorded: str
    ) -> None:
        """The webhooks these history rows are (the one place case events become them),
        in the same transaction; nothing but one small read when none is wanted."""
        wanted = subscribed(self.connection, self.company_id)
        if not wanted:
            return
        typed = [(row, [t for t in webhooks.types_of(row) if t.value in wanted]) for row in rows]
        typed = [(row, types) for row, types in typed if types]
        if not typed:
            return
        numbers: dict[int, int] = {}
        wanted_ids = sorted({row.case_id for row, _ in typed})
        for start in range(0, len(wanted_ids), CHUNK):
            found = self.connection.execute(
                select(collection_case.c.id, collection_case.c.number).where(
                    collection_case.c.id.in_(wanted_ids[start : start + CHUNK])
                )
            )
            numbers.update((row.id, row.number) for row in found)
        today = day.isoformat()
        events: list[tuple[webhooks.WebhookType, str]] = []
        for row, types in typed:
            data = webhooks.data_json(
                webhooks.case_event_data(row, numbers[row.case_id], today, recorded, actor)
            )
            events.extend((kind, data) for kind in types)
        queue_events(self.connection, self.company_id, events, wanted=wanted)
