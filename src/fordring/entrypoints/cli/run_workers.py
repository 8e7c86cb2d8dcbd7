"""`fordring run --via-workers [--wait]`: queue each company's day for the workers and,
with `--wait`, wait (at most `--timeout` seconds) until those days and every job they
caused are done, then print the days' report read back from the database
(services/day_report.py) in the shape of the in-process `run`'s (docs/workers.md)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from fordring.domain.errors import InvalidInput, Unfinished
from fordring.entrypoints.cli.options import Globals
from fordring.entrypoints.cli.output import table
from fordring.services.companies import all_companies, company_id, find_company
from fordring.services.day_report import DayWritten, days_written, last_run
from fordring.services.scope import COMMAND_LINE, Scope

EVERY = 0.5  # seconds between looks at the queue


def queue_the_day(
    g: Globals, day: date, *, each_day: bool, dry_run: bool, wait: bool, timeout: int
) -> None:
    """Queue each company's day (entrypoints/jobs) in the order of the companies; with
    `wait`, report them once done."""
    from fordring.entrypoints.cli.worker import require_job_queue
    from fordring.entrypoints.jobs.tasks import defer_company_days, with_jobs

    require_job_queue(g, "via-workers")
    if dry_run:
        raise InvalidInput.one("dry-run", "a dry run is in-process: leave out --via-workers")
    factory = g.app.uow_factory
    chosen = [find_company(g.company_orgnr, factory)] if g.company_orgnr else None
    companies = chosen or all_companies(factory)
    app = g.app.job_queue()
    with_jobs(app)
    scopes = [Scope(company_id(c), COMMAND_LINE, g.business_date) for c in companies]
    # What this run will do is the days after each company's last run (as `run` does).
    after = [last_run(scope, factory) for scope in scopes] if wait else []
    with app.open():
        ids = [company_id(c) for c in companies]
        jobs = defer_company_days(g.app, app, ids, g.business_date, day, each_day=each_day)
        queued: list[dict[str, Any]] = [
            {"company": c.orgnr, "job": j} for c, j in zip(companies, jobs, strict=True)
        ]
        if wait:
            _wait_for(app, set(ids), [q["job"] for q in queued if q["job"]], timeout)
    lines = [
        f"{q['company']}: "
        + (f"job {q['job']} queued" if q["job"] else "already queued, not queued again")
        for q in queued
    ]
    data: dict[str, Any] = {"queued": queued, "to_day": day}
    if wait:
        data["reports"] = []
        for company, scope, last in zip(companies, scopes, after, strict=True):
            first = last + timedelta(days=1) if last is not None else g.business_date
            days = days_written(scope, first, day, factory)
            already = last if not days and last is not None and last >= day else None
            report = {"company": company.orgnr, **report_data(days), "already_run_to": already}
            data["reports"].append(report)
            lines.append(f"{company.orgnr}: " + report_text(days))
    g.printer.emit(data, "\n".join(lines) or "No company.")


def _wait_for(app: Any, company_ids: set[int], job_ids: list[int], timeout: int) -> None:
    """Until no job of the companies (their days' lock, or their delivery's by its
    arguments) nor a statements job waits or runs; Unfinished when `timeout` s pass first
    or one of `job_ids` ended failed."""
    from fordring.services.day_graph import DELIVERY, company_lock

    locks = {company_lock(c) for c in company_ids}
    deadline = time.monotonic() + timeout
    while True:
        busy = [
            j
            for status in ("todo", "doing")
            for j in app.job_manager.list_jobs(status=status)
            if j.lock in locks
            or j.task_name == "write_waiting_statements"
            or (j.queue == DELIVERY and j.task_kwargs.get("company_id") in company_ids)
        ]
        if not busy:
            break
        if time.monotonic() >= deadline:
            raise Unfinished(
                f"the day's jobs were not done within {timeout} s ({len(busy)} waiting or "
                "running): `fordring jobs` shows them; the workers go on with them"
            )
        time.sleep(EVERY)
    failed = [i for i in job_ids if app.job_manager.list_jobs(id=i)[0].status == "failed"]
    if failed:
        ids = ", ".join(map(str, failed))
        raise Unfinished(
            f"job {ids} failed after its retries: `fordring jobs` shows the error; "
            f"`fordring jobs retry ID` queues it again"
        )


def report_data(days: list[DayWritten]) -> dict[str, Any]:
    """The days as `run --json` shows them (keys it cannot read back: see docs)."""
    sent: dict[str, int] = {}
    for d in days:
        for channel, n in d.sent.items():
            sent[channel] = sent.get(channel, 0) + n
    held: dict[int, dict[str, Any]] = {}
    for d in days:
        for case, reason in d.held:
            held.setdefault(case, {"case": case, "since": d.day})["reason"] = reason
    return {
        "already_run_to": None,
        "steps": [
            {
                "day": d.day,
                "case": x.case_number,
                "step": x.step,
                "letter": x.letter_kind,
                "deadline": x.deadline,
                "fee": x.fee,
            }
            for d in days
            for x in d.steps
        ],
        "invoices_issued": [
            {"invoice": i.invoice_number, "agreement": i.agreement_number, "period": i.period_text}
            for d in days
            for i in d.issued
        ],
        "deliveries": {
            "sent": sent,
            "failed": sum(d.failed for d in days),
            "waiting": sum(d.waiting for d in days),
        },
        "settlements": [
            {
                "day": d.day,
                "settlement": s.number,
                "payments": s.payments,
                "received": s.received,
                "kept": s.kept,
                "paid_out": s.received - s.kept,
            }
            for d in days
            if (s := d.settlement) is not None
        ],
        "documents": [p for d in days for p in d.documents],
        "collection_lists": [
            {
                "day": d.day,
                "cases": list(x.cases),
                "handover_on": x.handover_on,
                "pdf": x.location,
            }
            for d in days
            if (x := d.collection_list) is not None
        ],
        "held": sorted(held.values(), key=lambda h: h["case"]),
    }


def report_text(days: list[DayWritten]) -> str:
    data = report_data(days)
    if not days:
        return "no day run yet"
    span = f"{days[0].day}" + (f" to {days[-1].day}" if len(days) > 1 else "")
    head = f"ran {span}: {len(data['steps'])} steps"
    columns = ["day", "case", "step", "letter", "deadline", "fee"]
    steps = "\n" + table(data["steps"], columns, right={"case", "fee"}) if data["steps"] else ""
    by = ", ".join(f"{n} by {c}" for c, n in sorted(data["deliveries"]["sent"].items()))
    return f"{head}; delivered {by or 'nothing'}{steps}"
