"""The Peppol cache refresh as a job (services/receivers.py `refresh_receivers`): the
cache is global, so one job asks again, in the scope of the first company (any company's
unit of work reads and writes the cache, as the delivery does); nothing without a
configured lookup or without a company."""

from __future__ import annotations

from datetime import UTC, datetime

from procrastinate import JobContext

from fordring.entrypoints.jobs.context import application_of
from fordring.entrypoints.jobs.ticks import OSLO
from fordring.services import receivers
from fordring.services.companies import all_companies, company_id
from fordring.services.scope import DAILY_RUN, Scope


def refresh_peppol_cache(context: JobContext, timestamp: int) -> None:
    """Ask again the cached Peppol answers about to expire."""
    app = application_of(context)
    lookup = app.delivery_channels.receivers
    companies = all_companies(app.uow_factory)
    if lookup is None or not companies:
        return
    day = datetime.fromtimestamp(timestamp, UTC).astimezone(OSLO).date()
    scope = Scope(company_id(companies[0]), DAILY_RUN, day)
    receivers.refresh_receivers(scope, lookup, app.uow_factory, app.day_tools.now())
