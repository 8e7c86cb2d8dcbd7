"""Rapporter (`/portal/reports`): the aging report as of the business day (today's open
amounts: there is no aging of a past day) and the collection performance of a period,
each on screen with its chart and downloadable as CSV and as PDF (the PDF with the very
SVG chart the page shows). Reading only: every role may.

A bad day in the query (`first`, `last`) gets the page again with the field
named (422); a CSV or PDF with a bad day gets 422 and no file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response
from markupsafe import Markup

from fordring import bootstrap
from fordring.entrypoints.web import formats, report_charts
from fordring.entrypoints.web.i18n import translations
from fordring.entrypoints.web.rendering import language, page
from fordring.entrypoints.web.security import finish
from fordring.entrypoints.web.visitor import application, scope_of, user_of
from fordring.services.ports.reports import Performance, ReportDocument
from fordring.services.ports.users import SessionUser
from fordring.services.reports import AgingReport, aging_report, month_start, performance

router = APIRouter(include_in_schema=False)

PATH = "/reports"
# A period of at most a year: the closings' partial index has no company, so a period
# costs every company's closings in it (docs/performance.md, "Rapporter").
MAX_DAYS = 366  # days, both ends counted
PERFORMANCE_COLUMNS = (
    "first",
    "last",
    "opened",
    "closed_paid",
    "closed_otherwise",
    "received",
    "days_to_closed_paid",
)


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date
    problems: dict[str, str]


def _period(request: Request, _: report_charts.Gettext) -> Period:
    today = bootstrap.today()
    defaults = {"first": month_start(today), "last": today}
    found: dict[str, date] = {}
    problems: dict[str, str] = {}
    for name, default in defaults.items():
        given = request.query_params.get(name, "").strip()
        try:
            found[name] = date.fromisoformat(given) if given else default
        except ValueError:
            problems[name] = _("Not a date (YYYY-MM-DD).")
            found[name] = default
    if not problems and found["first"] > found["last"]:
        problems["first"] = _("The period's first day is after its last.")
    elif not problems and (found["last"] - found["first"]).days + 1 > MAX_DAYS:
        problems["first"] = _("The period is longer than a year.")
    return Period(found["first"], found["last"], problems)


def _gettext(request: Request) -> report_charts.Gettext:
    return translations(language(request)).gettext


@router.get(PATH)
def reports(request: Request) -> Response:
    user = user_of(request)
    _ = _gettext(request)
    period = _period(request, _)
    if period.problems:  # the page again with the bad fields named: no report, no file
        return _page(request, user, period, status=422)
    factory = application(request).uow_factory
    aging = aging_report(scope_of(user), factory)
    done = performance(scope_of(user), period.first, period.last, factory)
    return _page(
        request,
        user,
        period,
        aging=aging,
        performance=done,
        rows={
            "aging": _aging_table(aging, _)[1],
            "performance": _performance_rows(done, _),
        },
        charts={
            "aging": Markup(report_charts.aging_chart(aging.total.buckets, _)),
            "performance": Markup(report_charts.performance_chart(done, _)),
        },
    )


def _page(
    request: Request, user: SessionUser, period: Period, status: int = 200, **shown: Any
) -> Response:
    """Rapporter for `period`: with the reports `shown` (aging, performance, their rows
    and charts), or none of them (a refused period)."""
    report = {"aging": None, "performance": None, "rows": {}, "charts": {}} | shown
    return page(
        request,
        "reports.html",
        user=user,
        current="reports",
        period=period,
        given=dict(request.query_params),
        status=status,
        **report,
    )


def _aging_table(
    report: AgingReport, _: report_charts.Gettext
) -> tuple[list[str], list[list[str]]]:
    names = report_charts.bucket_names(_)
    columns = [_("Aging bucket"), _("Open amount")]
    rows = [[names[name], formats.amount(value)] for name, value in report.total.buckets.items()]
    return columns, rows


def _performance_rows(done: Performance, _: report_charts.Gettext) -> list[list[str]]:
    days = done.days_to_payment
    return [
        [_("Cases opened"), formats.whole(done.opened)],
        [_("Cases closed paid"), formats.whole(done.closed_paid)],
        [_("Cases closed otherwise"), formats.whole(done.closed_otherwise)],
        [_("Received on receivables"), formats.amount(done.recovered)],
        [
            _("Days from opening to closed paid (mean)"),
            "–" if days is None else formats.amount(days).removesuffix("0"),
        ],
    ]


def _csv(request: Request, name: str, rows: list[list[Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    response = Response(
        out.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    return finish(request, response)


def _pdf(request: Request, name: str, document: ReportDocument) -> Response:
    pdf = application(request).report_pdf(document, bootstrap.today())
    response = Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    return finish(request, response)


def _plain(value: Decimal) -> str:
    """An amount in a CSV: a point, two decimals, no grouping (what a spreadsheet reads)."""
    return f"{value.quantize(Decimal('0.01'))}"


@router.get(PATH + "/aging.csv")
def aging_csv(request: Request) -> Response:
    """Per customer (and the total last): the open amount in each bucket."""
    user = user_of(request)
    period = _period(request, _gettext(request))
    if period.problems:
        return _page(request, user, period, status=422)
    report = aging_report(scope_of(user), application(request).uow_factory, by_customer=True)
    buckets = list(report.total.buckets)
    day = report.as_of.isoformat()  # the business day, on every row and in the name
    rows: list[list[Any]] = [["as_of", "customer", "items", *buckets, "total"]]
    for row in [*(report.customers or []), report.total]:
        amounts = [_plain(row.buckets[b]) for b in buckets]
        rows.append([day, row.label, row.count, *amounts, _plain(row.total)])
    return _csv(request, f"aging-{day}.csv", rows)


@router.get(PATH + "/aging.pdf")
def aging_pdf(request: Request) -> Response:
    user = user_of(request)
    _ = _gettext(request)
    period = _period(request, _)
    if period.problems:
        return _page(request, user, period, status=422)
    report = aging_report(scope_of(user), application(request).uow_factory)
    columns, rows = _aging_table(report, _)
    document = ReportDocument(
        company=f"{user.company_name} ({user.orgnr})",
        title=_("Aging report"),
        subtitle=_("Open receivables as of the business day, %(day)s")
        % {"day": formats.day(report.as_of)},
        made=formats.moment(bootstrap.now()),
        lang=language(request),
        chart_title=_("Aging"),
        chart=report_charts.aging_chart(report.total.buckets, _),
        columns=columns,
        rows=rows,
        total=[_("Total"), formats.amount(report.total.total)],
    )
    return _pdf(request, f"aging-{report.as_of.isoformat()}.pdf", document)


@router.get(PATH + "/performance.csv")
def performance_csv(request: Request) -> Response:
    user = user_of(request)
    period = _period(request, _gettext(request))
    if period.problems:
        return _page(request, user, period, status=422)
    done = performance(scope_of(user), period.first, period.last, application(request).uow_factory)
    days = done.days_to_payment
    rows: list[list[Any]] = [
        [*PERFORMANCE_COLUMNS],
        [
            done.first.isoformat(),
            done.last.isoformat(),
            done.opened,
            done.closed_paid,
            done.closed_otherwise,
            _plain(done.recovered),
            "" if days is None else str(days),
        ],
    ]
    name = f"performance-{done.first.isoformat()}-{done.last.isoformat()}.csv"
    return _csv(request, name, rows)


@router.get(PATH + "/performance.pdf")
def performance_pdf(request: Request) -> Response:
    user = user_of(request)
    _ = _gettext(request)
    period = _period(request, _)
    if period.problems:
        return _page(request, user, period, status=422)
    done = performance(scope_of(user), period.first, period.last, application(request).uow_factory)
    span = {"first": formats.day(done.first), "last": formats.day(done.last)}
    document = ReportDocument(
        company=f"{user.company_name} ({user.orgnr})",
        title=_("Collection performance"),
        subtitle=_("From %(first)s to %(last)s") % span,
        made=formats.moment(bootstrap.now()),
        lang=language(request),
        chart_title=_("Collection performance"),
        chart=report_charts.performance_chart(done, _),
        columns=[_("Figure"), _("Value")],
        rows=_performance_rows(done, _),
        total=None,
    )
    name = f"performance-{done.first.isoformat()}-{done.last.isoformat()}.pdf"
    return _pdf(request, name, document)
