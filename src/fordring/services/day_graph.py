"""The business day as a job graph, per company (issue 16; docs/workers.md, "The day as
jobs"): each part is a service of its own, committed alone, that names the parts that
follow it. A worker's unit of work queues them in the part's own transaction (uow.jobs), so
none is lost or orphaned; `run_collection` does the same parts in-process, in the same
order (there a day's parts share one transaction).

    begin_company_days -> start_of_day -> day_chunk 1..n -> end_of_day
        -> start_of_day (the next day of a catch-up) ... or deliver_waiting and
           write_waiting_statements (after the last day)

A worker's job goes on to the one part of its day that follows it (`_here`), in the same
transaction: a day of one chunk (a small company's) is one job and one transaction; a
large company's chunks are a job and a transaction each.

Each part is safe to run twice by keys the data has: the run log (a day run is not run
again), `day_part` (the start planned the day's chunks; a chunk is marked done in its own
transaction; the end deletes them with the run log's row), and the cases' wake-up days (a
stepped case wakes after the day, so no chunk reads it again)."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from fordring.domain.company import Company
from fordring.domain.law.tables import RateBook
from fordring.services.daily_run import (
    ONE_DAY,
    DayReport,
    RunReport,
    cyclic_gc_paused,
    day_agreement,
    end_day,
    first_day,
    start_day,
    step_cases,
)
from fordring.services.ports import Customers, DayPart, NextJob, UnitOfWork, UnitOfWorkFactory
from fordring.services.progress import Progress, no_progress
from fordring.services.scope import Scope

CHUNK_CASES = 10_000  # woken cases per chunk, about; a customer's cases are never split
# In-process a day is one transaction whatever its chunks, and each chunk repeats the fixed
# part of the steps' reads (1,000,000 cases, 50,000 woken: 5 chunks took 10-20 % longer
# than one): there the day is one chunk, as it was before the graph.
WHOLE_DAY = 2**62
DAYS = "days"  # the queue of the companies' days
DOCUMENTS = "documents"  # the queue of the settlement statements (spans companies)
DELIVERY = "delivery"  # the queue of the delivery jobs (entrypoints/jobs/delivery.py)
DAY_PARTS = ("start_of_day", "day_chunk", "end_of_day")
# The days' parts run before the delivery's jobs (procrastinate fetches the highest priority
# first): the companies' days are recorded before the cores go to rendering their letters.
STEPS_FIRST = 1
BEGIN = "begin_company_days"


@dataclass(frozen=True, slots=True)
class PartDone:
    """What a part did (None: nothing, it was done before) and the parts that follow."""

    report: DayReport | None
    next: list[NextJob] = field(default_factory=list)


def company_lock(company_id: int) -> str:
    """The lock every job of a company's day holds: one at a time per company."""
    return f"company-{company_id}"


def _day_job(task: str, scope: Scope, day: date, to_day: date, part: int | None = None) -> NextJob:
    cid = scope.company_id
    args: dict[str, str | int | bool | None] = {
        "company_id": cid,
        "business_date": scope.business_date.isoformat(),
        "day": day.isoformat(),
        "to_day": to_day.isoformat(),
    }
    key = f"{task}-{cid}-{day.isoformat()}"
    if part is not None:
        args["part"] = part
        key += f"-{part}"
    return NextJob(task, args, DAYS, company_lock(cid), key, STEPS_FIRST)


def after_days(scope: Scope) -> list[NextJob]:
    """What follows the company's last day: its delivery (`deliver_waiting`, which queues
    its batches: entrypoints/jobs/delivery.py) and the settlement statements (one job for
    every company's)."""
    cid, day = scope.company_id, scope.business_date.isoformat()
    return [
        NextJob(
            "deliver_waiting",
            {"company_id": cid, "business_date": day},
            DELIVERY,
            None,  # it only queues the batches, which several workers share
            f"deliver_waiting-{cid}",
        ),
        NextJob(
            "write_waiting_statements",
            {"business_date": day},
            DOCUMENTS,
            "write_waiting_statements",
            "write_waiting_statements",
        ),
    ]


def plan_chunks(woken: Sequence[tuple[int, int]], size: int | None = None) -> list[Customers]:
    """The day's chunks: customers (by id, with their woken cases) in runs of about `size`
    (CHUNK_CASES) cases, a customer whole in one (merging at hand-over sees a debtor's cases
    together). They cover every customer id, so a case woken between the parts is in one too."""
    size = size or CHUNK_CASES
    chunks: list[Customers] = []
    after, cases = 0, 0
    for customer, count in woken:
        cases += count
        if cases >= size:
            chunks.append(Customers(after, customer))
            after, cases = customer, 0
    if chunks and cases == 0:  # the last one full: it reaches the ids above (no empty tail)
        chunks[-1] = Customers(chunks[-1].after, None)
    else:
        chunks.append(Customers(after, None))
    return chunks


def _pending(scope: Scope, day: date, to_day: date, parts: Sequence[DayPart]) -> list[NextJob]:
    """The parts of a started day still to do: its chunks not done, else its end."""
    left = [_day_job("day_chunk", scope, day, to_day, p.part) for p in parts if not p.done]
    return left or [_day_job("end_of_day", scope, day, to_day)]


def _start(
    uow: UnitOfWork,
    company: Company,
    day: date,
    to_day: date,
    pin_key: bytes,
    chunk_cases: int = CHUNK_CASES,
) -> PartDone:
    scope = uow.scope
    last = uow.collection.last_run()
    if last is not None and day <= last:  # run already (by another run): on to the next
        following = last + ONE_DAY
        if following > to_day:
            return PartDone(None)
        return PartDone(None, [_day_job("start_of_day", scope, following, to_day)])
    parts = uow.day_parts.parts(day, lock=True)
    if parts:  # started before a crash: what is left of it
        return PartDone(None, _pending(scope, day, to_day, parts))
    report = start_day(uow, company, day_agreement(uow, company), day, pin_key)
    chunks = plan_chunks(uow.day_parts.woken_customers(day), chunk_cases)
    uow.day_parts.plan(day, chunks)
    return PartDone(
        report,
        [_day_job("day_chunk", scope, day, to_day, n) for n in range(1, len(chunks) + 1)],
    )


def _chunk(
    uow: UnitOfWork,
    company: Company,
    day: date,
    to_day: date,
    part: int,
    book: RateBook,
    pin_key: bytes,
) -> PartDone:
    # The day's parts locked: two chunks ending at once see each other's done in turn, so
    # exactly one of them queues the end of the day.
    parts = uow.day_parts.parts(day, lock=True)
    mine = next((p for p in parts if p.part == part), None)
    if mine is None:  # the day ended
        return PartDone(None)
    if mine.done:  # done before: the job doing it may have died before it did the end
        if any(not p.done for p in parts):
            return PartDone(None)
        return PartDone(None, [_day_job("end_of_day", uow.scope, day, to_day)])
    with cyclic_gc_paused():
        agreement = day_agreement(uow, company)
        report = step_cases(uow, company, agreement, day, book, pin_key, mine.customers)
    uow.day_parts.mark_done(day, part)
    if any(not p.done for p in parts if p.part != part):
        return PartDone(report)
    return PartDone(report, [_day_job("end_of_day", uow.scope, day, to_day)])


def _end(
    uow: UnitOfWork, company: Company, day: date, to_day: date, dry_run: bool, pin_key: bytes
) -> PartDone:
    scope = uow.scope
    last = uow.collection.last_run()
    if last is not None and day <= last:
        return PartDone(None)
    parts = uow.day_parts.parts(day, lock=True)
    if not parts:  # not started: a start of the day queued again does it
        return PartDone(None, [_day_job("start_of_day", scope, day, to_day)])
    if any(not p.done for p in parts):
        return PartDone(None, _pending(scope, day, to_day, parts))
    report = end_day(uow, company, day_agreement(uow, company), day, dry_run, pin_key)
    uow.day_parts.forget(day)
    if day < to_day:
        return PartDone(report, [_day_job("start_of_day", scope, day + ONE_DAY, to_day)])
    return PartDone(report, after_days(scope))


def _do(
    uow: UnitOfWork,
    company: Company,
    job: NextJob,
    to_day: date,
    book: RateBook,
    *,
    pin_key: bytes,
    chunk_cases: int = CHUNK_CASES,
    dry_run: bool = False,
) -> PartDone:
    """The part `job` names (a day part, or the first: `begin_company_days`), on `uow`."""
    if job.task == BEGIN:
        return PartDone(None, _first(uow, to_day, bool(job.args.get("each_day", True))))
    day = date.fromisoformat(str(job.args["day"]))
    if job.task == "start_of_day":
        return _start(uow, company, day, to_day, pin_key, chunk_cases)
    if job.task == "day_chunk":
        return _chunk(uow, company, day, to_day, int(str(job.args["part"])), book, pin_key)
    return _end(uow, company, day, to_day, dry_run, pin_key)


def _here(job: NextJob, following: Sequence[NextJob]) -> NextJob | None:
    """The part the job doing `job` goes on to itself: the one part of the same day that
    follows it (after the first part, the first day's start; after a start that planned
    one chunk, the chunk; after the last chunk, the end). None when several chunks follow
    (a large company's day stays a job per chunk) or the next day does (a job per day)."""
    parts = [j for j in following if j.task in DAY_PARTS]
    if len(parts) != 1:
        return None
    if job.task == BEGIN or parts[0].args.get("day") == job.args.get("day"):
        return parts[0]
    return None


def _worked(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    job: NextJob,
    to_day: date,
    book: RateBook,
    pin_key: bytes,
    chunk_cases: int = CHUNK_CASES,
) -> list[NextJob]:
    """A worker's job: the part `job` names and the parts it goes on to (`_here`), in one
    transaction holding the company's run lock, with the jobs that follow them queued in
    it; the jobs queued. One transaction, not one a part: a small company's day repeated
    the role, the run lock, the company and the commit's flush four times (8 % of the
    steps' CPU, docs/performance.md). Killed, nothing of it is kept and the job, retried,
    does it again; killed after its commit, the job finds its parts done by their keys."""
    queued: list[NextJob] = []
    part: NextJob | None = job
    with uow_factory(scope) as uow:
        # One part at a time per company: a second process waits here, then finds the
        # part done and does nothing. People's writes wait for the commit.
        uow.collection.lock_runs()
        company = uow.company.current()
        while part is not None:
            done = _do(uow, company, part, to_day, book, pin_key=pin_key, chunk_cases=chunk_cases)
            here = _here(part, done.next)
            for following in done.next:
                if following is not here:
                    uow.jobs.defer(following)
                    queued.append(following)
            part = here
        uow.commit()
    return queued


def begin_company_days(
    scope: Scope,
    to_day: date,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
    *,
    pin_key: bytes,
    each_day: bool = True,
    chunk_cases: int = CHUNK_CASES,
) -> list[NextJob]:
    """The first part of a run up to `to_day`: the start of the first day not run (see
    `daily_run.first_day`), or, every day run, the delivery and the statements; then, as
    `_here` says, the first day's parts (a small company's whole day). The jobs queued."""
    first = NextJob(BEGIN, {"each_day": each_day})
    return _worked(scope, uow_factory, first, to_day, book, pin_key, chunk_cases)


def _first(uow: UnitOfWork, to_day: date, each_day: bool) -> list[NextJob]:
    scope = uow.scope
    start = first_day(uow.collection.last_run(), scope.business_date, to_day, each_day=each_day)
    if start is None:
        return after_days(scope)
    return [_day_job("start_of_day", scope, start, to_day)]


def start_of_day(
    scope: Scope,
    day: date,
    to_day: date,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
    *,
    pin_key: bytes,
    chunk_cases: int = CHUNK_CASES,
) -> list[NextJob]:
    """Invoices sent to collection automatically, recurring invoices issued, and the day's
    chunks of woken cases planned: one chunk done here, then the end; several queued."""
    job = _day_job("start_of_day", scope, day, to_day)
    return _worked(scope, uow_factory, job, to_day, book, pin_key, chunk_cases)


def day_chunk(
    scope: Scope,
    day: date,
    to_day: date,
    part: int,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
    *,
    pin_key: bytes,
) -> list[NextJob]:
    """The case steps of one chunk of the day's woken cases; the last chunk done goes on
    to the end of the day."""
    job = _day_job("day_chunk", scope, day, to_day, part)
    return _worked(scope, uow_factory, job, to_day, book, pin_key)


def end_of_day(
    scope: Scope,
    day: date,
    to_day: date,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
    *,
    pin_key: bytes,
) -> list[NextJob]:
    """The collection list (on its days), the settlement, the day recorded as run; then the
    next day of a catch-up, or the delivery and the statements, queued."""
    job = _day_job("end_of_day", scope, day, to_day)
    return _worked(scope, uow_factory, job, to_day, book, pin_key)


@dataclass
class _Reports:
    """The day reports the parts of a run made, a day's parts joined in one."""

    days: dict[date, DayReport] = field(default_factory=dict)

    def add(self, part: DayReport | None) -> None:
        if part is None:
            return
        day = self.days.setdefault(part.day, DayReport(part.day))
        day.done += part.done
        day.issued += part.issued
        day.held = sorted([*day.held, *part.held], key=lambda h: h.case_number)
        day.collection_list = part.collection_list or day.collection_list
        day.settlement = part.settlement or day.settlement


def run_collection(
    scope: Scope,
    from_day: date,
    to_day: date,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
    *,
    pin_key: bytes,
    dry_run: bool = False,
    each_day: bool = True,
    progress: Progress = no_progress,
) -> RunReport:
    """Run every day not yet run up to `to_day`, from the day after the last run (or from
    `from_day` when nothing has run yet); `dry_run` does the same days in one transaction
    it never commits, with no file written and nothing sent, to show exactly what they do.
    `progress` hears of each day done; `pin_key` keeps the PINs its letters print. With
    `each_day` off only `to_day` is run: everything due on or before it that is not done
    yet is done that day and dated that day (the plain `fordring run` after a gap). What
    follows the days (the delivery and the statements) is the caller's
    (services/business_day.py).

    The days' parts in-process, in the order a worker's queue would do them (first
    queued, first done). In-process a day's parts share one transaction under the
    company's run lock, committed when the day ends (decision 0013: two runs at once then
    meet a day whole, as before the graph, and each day is in one run's report); a dry run
    does every day in one transaction it never commits."""
    with uow_factory(scope) as uow:
        last = uow.collection.last_run()
    start = first_day(last, from_day, to_day, each_day=each_day)
    if start is None:
        return RunReport([], last)
    total = (to_day - start).days + 1
    reports = _Reports()
    queue: deque[NextJob] = deque([NextJob("start_of_day", {"day": start.isoformat()})])

    def parts_of_day(uow: UnitOfWork, company: Company) -> None:
        """The queue's first part and the parts of its day that follow it, on `uow`."""
        day = date.fromisoformat(str(queue[0].args["day"]))
        while queue and queue[0].task in DAY_PARTS and queue[0].args["day"] == day.isoformat():
            job = queue.popleft()
            done = _do(
                uow,
                company,
                job,
                to_day,
                book,
                pin_key=pin_key,
                chunk_cases=WHOLE_DAY,
                dry_run=dry_run,
            )
            reports.add(done.report)
            # The day's own parts first, in their order; the next day or what follows.
            queue.extendleft(reversed([j for j in done.next if _of_day(j, day)]))
            queue.extend(j for j in done.next if not _of_day(j, day))
        progress((day - start).days + 1, total)

    if dry_run:
        with uow_factory(scope) as uow:
            company = uow.company.current()
            while queue and queue[0].task in DAY_PARTS:
                parts_of_day(uow, company)
        return RunReport(list(reports.days.values()), None)
    while queue:
        if queue[0].task not in DAY_PARTS:  # what follows the days: the caller's
            queue.popleft()
            continue
        with uow_factory(scope) as uow:
            # One day at a time per company: a second run waits here, then finds the day
            # done and goes on to the next. People's writes wait for the day's commit.
            uow.collection.lock_runs()
            parts_of_day(uow, uow.company.current())
            uow.commit()
    days = list(reports.days.values())
    return RunReport(days, None if days else to_day)


def _of_day(job: NextJob, day: date) -> bool:
    return job.task in DAY_PARTS and job.args.get("day") == day.isoformat()
