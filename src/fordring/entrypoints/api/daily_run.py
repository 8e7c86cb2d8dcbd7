"""`/api/v1/run`: the daily run of the key's company: the last day run, and running the
days up to a date (a finance user or administrator). On SQLite the days run in this
process, as `fordring run` runs them, each day its own transaction; with a job queue
(PostgreSQL) the company's day is queued for `fordring worker`, as `run --via-workers`
queues it. Running a day again changes nothing, so the trigger is idempotent by itself:
an `Idempotency-Key` is accepted and not stored."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fordring import bootstrap
from fordring.domain.api_access import Permission
from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import parse_business_date
from fordring.entrypoints.api.calls import RENDERING, application, call, json_answer, read
from fordring.entrypoints.api.schemas import RunIn, RunOut, RunStatusOut
from fordring.services.api_requests import Answer
from fordring.services.business_day import last_day_run, run_business_day
from fordring.services.companies import show_company
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["daily run"])


@router.get("/run", response_model=RunStatusOut, summary="The daily run's status")
def status(request: Request) -> Response:
    """The last business day run for the key's company."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        orgnr = show_company(scope, uows).orgnr
        return json_answer(RunStatusOut(company=orgnr, last_run=last_day_run(scope, uows)))

    return call(request, Permission.READ, work)


@router.post("/run", response_model=RunOut, summary="Run the day")
def trigger(body: RunIn, request: Request) -> Response:
    """Run every day not yet run up to `day` (default today; never after today), or with
    `each_day` false only `day`, doing there everything due by then. On PostgreSQL the
    company's day is queued for the workers (202, with the job; null when that day is
    queued already); elsewhere it runs before the answer (200)."""
    scope = read(request, Permission.RUN_DAY, lambda s, u: s)
    today = scope.business_date
    day = today if body.day is None else parse_business_date(body.day, "day")
    if day > today:
        raise InvalidInput.one("day", f"{day} is after today ({today})")
    app = application(request)
    if app.has_job_queue:
        job = _queue(app, scope, day, body.each_day)
        out = RunOut(
            via_workers=True, job=job, days=[], steps=0, settlements=[], already_run_to=None
        )
        return Response(out.model_dump_json(), 202, media_type="application/json")
    with RENDERING:  # its letters and invoices are rendered by the process's renderers
        done = run_business_day(scope, day, app.day_tools, each_day=body.each_day)
    out = RunOut(
        via_workers=False,
        job=None,
        days=[d.day for d in done.days],
        steps=sum(len(d.done) for d in done.days),
        settlements=[d.settlement.number for d in done.days if d.settlement is not None],
        already_run_to=done.already_run_to,
    )
    return Response(out.model_dump_json(), media_type="application/json")


def _queue(app: bootstrap.Application, scope: Scope, day: date, each_day: bool) -> int | None:
    from fordring.entrypoints.jobs.tasks import defer_company_day, with_jobs

    jobs = with_jobs(app.job_queue())
    with jobs.open():
        today = scope.business_date
        return defer_company_day(jobs, scope.company_id, today, day, each_day=each_day)
