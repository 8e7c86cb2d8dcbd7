"""Oversikt (the dashboard, `GET /portal/`): the company's open receivables and overdue,
aging, cases by state, received and settled per month (charts), what the next run will
look at, and what waits for a person (failed deliveries, unmatched payments). One service
call (services/reports.py `dashboard`), a handful of indexed aggregate queries."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from markupsafe import Markup

from fordring import bootstrap
from fordring.entrypoints.web import report_charts
from fordring.entrypoints.web.i18n import translations
from fordring.entrypoints.web.rendering import language, page
from fordring.entrypoints.web.visitor import application, scope_of, user_of
from fordring.services.reports import dashboard

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(request: Request) -> Response:
    user = user_of(request)
    figures = dashboard(scope_of(user), application(request).uow_factory)
    _ = translations(language(request)).gettext
    return page(
        request,
        "overview.html",
        user=user,
        current="overview",
        today=bootstrap.today(),
        figures=figures,
        state_names=report_charts.state_names(_),
        charts={
            "aging": Markup(report_charts.aging_chart(figures.aging, _)),
            "states": Markup(report_charts.states_chart(figures, _)),
            "months": Markup(report_charts.months_chart(figures, _)),
        },
    )
