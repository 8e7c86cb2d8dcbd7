"""The report of business days done by the workers (`run --via-workers --wait`), read
back from what the days wrote: the run's history events (steps, cases held), the
recurring invoices, the settlement and its statements, the collection list and where the
day's documents went. A read model: it writes nothing. It is the in-process `run`
report's shape as far as the rows keep it (docs/workers.md says what they do not)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.collection.case_facts import StepKind
from fordring.domain.collection.history import EventKind
from fordring.services.daily_run import MAX_DAYS, RUN_ACTOR, Done
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.day_reads import IssuedRow, ListRow, RunEventRow, SettledRow
from fordring.services.scope import Scope

_STEPS = {step.value for step in StepKind}


@dataclass(slots=True)
class DayWritten:
    """One day as its rows tell it."""

    day: date
    steps: list[Done]
    issued: list[IssuedRow]
    held: list[tuple[int, str]]  # (case number, the missing rate it waits for)
    settlement: SettledRow | None
    collection_list: ListRow | None
    sent: Counter[str] = field(default_factory=Counter)  # the day's documents by channel
    failed: int = 0  # no channel took them (yet)
    waiting: int = 0  # not delivered yet

    @property
    def documents(self) -> list[str]:
        """The settlement statements written (PDF, CSV), as `run` lists them."""
        made = self.settlement
        return [p for p in (made.pdf, made.csv) if p] if made is not None else []


def last_run(scope: Scope, uow_factory: UnitOfWorkFactory) -> date | None:
    """The last day the company has run: a report of the days after it is what a run
    queued now does."""
    with uow_factory(scope) as uow:
        return uow.day_reads.last_run()


def days_written(
    scope: Scope, from_day: date, to_day: date, uow_factory: UnitOfWorkFactory
) -> list[DayWritten]:
    """Every day from `from_day` to `to_day` the company has run, as its rows tell it."""
    if (to_day - from_day).days > MAX_DAYS:
        from_day = to_day - timedelta(days=MAX_DAYS)
    found = []
    with uow_factory(scope) as uow:
        reads = uow.day_reads
        day = from_day
        while day <= to_day:
            if reads.has_run(day):
                events = reads.run_events(day, RUN_ACTOR)
                written = DayWritten(
                    day,
                    [s for e in events if (s := _step(e)) is not None],
                    reads.issued_on(day),
                    [
                        (e.case_number, str(e.payload.get("missing", "")))
                        for e in events
                        if e.kind == EventKind.HELD.value
                    ],
                    reads.settlement_on(day),
                    reads.list_on(day),
                )
                for queued in reads.queued_on(day):
                    if queued.state == "sent":
                        written.sent[queued.channel] += 1
                    elif queued.state == "failed":
                        written.failed += 1
                    else:
                        written.waiting += 1
                found.append(written)
            day += timedelta(days=1)
    return found


def _step(event: RunEventRow) -> Done | None:
    """The run's step an event records (a case it opened: `send_to_collection`)."""
    if event.kind == EventKind.REGISTERED.value:
        return Done(event.case_number, "send_to_collection", None, None, Decimal(0))
    if event.kind not in _STEPS:
        return None
    payload = event.payload
    deadline = payload.get("deadline")
    charged = payload.get("charged") or {}
    return Done(
        event.case_number,
        event.kind,
        payload.get("letter"),
        date.fromisoformat(deadline) if deadline else None,
        sum((Decimal(str(v)) for v in charged.values()), Decimal(0)),
    )
