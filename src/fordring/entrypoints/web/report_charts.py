"""The charts of Oversikt and Rapporter, worded in the reader's language: the figures of
services/reports.py drawn by services/charts.py. The same SVG text is put in the page and
in the report's PDF. (Its texts are extracted into the catalogues from here: babel.cfg.)"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from fordring.domain.reskontro import AGING_BUCKETS
from fordring.services.charts import Series, bar_chart
from fordring.services.ports.reports import Performance
from fordring.services.reports import STATES, Dashboard

Gettext = Callable[[str], str]


def bucket_names(_: Gettext) -> dict[str, str]:
    return {
        "not_due": _("Not due"),
        "0-30": _("0–30 days"),
        "31-60": _("31–60 days"),
        "61-90": _("61–90 days"),
        "90+": _("Over 90 days"),
    }


def state_names(_: Gettext) -> dict[str, str]:
    return {
        "registered": _("Registered"),
        "reminded": _("Reminded"),
        "notified": _("Notice sent"),
        "listed": _("On the collection list"),
        "in_collection": _("In collection"),
        "legal": _("Legal collection"),
        "paused": _("Paused"),
        "objected": _("Objected"),
        "plan": _("Payment plan"),
        "closed": _("Closed"),
    }


def aging_chart(buckets: dict[str, Decimal], _: Gettext) -> str:
    names = bucket_names(_)
    return bar_chart(
        _("Aging"),
        _("Open receivables per number of days past the due date, in kroner."),
        [names[b.name] for b in AGING_BUCKETS],
        [Series(_("Open amount"), [buckets[b.name] for b in AGING_BUCKETS])],
    )


def states_chart(figures: Dashboard, _: Gettext) -> str:
    names = state_names(_)
    return bar_chart(
        _("Open cases by state"),
        _("The number of open cases in each state."),
        [names[s] for s in STATES],
        [Series(_("Number of cases"), [figures.cases_by_state[s] for s in STATES], money=False)],
    )


def months_chart(figures: Dashboard, _: Gettext) -> str:
    return bar_chart(
        _("Received and settled per month"),
        _(
            "Per month: what payments paid on the receivables (principal, interest, fees,"
            " salær) and the amount paid out in settlements."
        ),
        [f"{m.first.month:02d}.{m.first.year}" for m in figures.months],
        [
            Series(_("Received"), [m.recovered for m in figures.months]),
            Series(_("Settled"), [m.settled for m in figures.months]),
        ],
    )


def performance_chart(figures: Performance, _: Gettext) -> str:
    return bar_chart(
        _("Collection performance"),
        _("Cases opened, closed paid and closed otherwise in the period."),
        [_("Opened"), _("Closed paid"), _("Closed otherwise")],
        [
            Series(
                _("Number of cases"),
                [figures.opened, figures.closed_paid, figures.closed_otherwise],
                money=False,
            )
        ],
    )
