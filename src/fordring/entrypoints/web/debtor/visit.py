"""Who a debtor's request is: the signed-in debtor's visit (company, case, language) or a
redirect to the sign-in, and the scope the debtor's service calls run in.

The rule for every debtor route: the case is always the visit's. No route takes a case
number or id from the URL or a form to choose the case; other ids (a letter's position, a
plan) are looked up within the visit's case. A debtor signed in with an invoice's code
before the invoice has a case (decision 0016) has an `InvoiceVisit`: the case's routes
send it to the invoice's page (`/d/invoice`), which shows only the visit's invoice.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from fordring import bootstrap
from fordring.domain.debtor_access import AccessRules
from fordring.entrypoints.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from fordring.entrypoints.web.security import session_token
from fordring.entrypoints.web.visitor import application
from fordring.services.debtor_access import debtor_session
from fordring.services.ports.debtor_access import OpenDebtorSession
from fordring.services.scope import Scope, debtor, invoice_debtor

SESSION_COOKIE = "fordring_debtor"  # the debtor's own: never the portal's session


class DebtorSignInNeeded(Exception):
    """No open debtor session: the browser is sent to the sign-in page (a 303)."""


class DebtorInvoiceOnly(Exception):
    """The session is an invoice's that has no case: the browser is sent to the invoice's
    page (a 303)."""


@dataclass(frozen=True, slots=True)
class DebtorVisit:
    """A signed-in debtor: the company and case the session opened, and the language of
    the pages ("nb"/"en": the browser's choice, else the customer's)."""

    company_id: int
    case_number: int
    case_id: int
    language: str


@dataclass(frozen=True, slots=True)
class InvoiceVisit:
    """A debtor signed in with an invoice's code while the invoice has no case: the
    company, the invoice and the language of the pages. Once the invoice is in a case the
    same session is that case's (a `DebtorVisit`)."""

    company_id: int
    invoice_number: int
    language: str


def rules_of(request: Request) -> AccessRules:
    return application(request).debtor_rules


def chosen_language(request: Request) -> str | None:
    """The language the browser chose on these pages (its cookie), if any."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else None


def _session(request: Request) -> OpenDebtorSession | None:
    if not hasattr(request.state, "debtor_session"):
        token = session_token(request)
        found = None
        if token is not None:
            app = application(request)
            found = debtor_session(token, app.uow_factory, bootstrap.now(), app.debtor_rules)
        request.state.debtor_session = found
    session: OpenDebtorSession | None = request.state.debtor_session
    return session


def signed_in(request: Request) -> DebtorVisit | InvoiceVisit | None:
    """The visit of the request's debtor session, if it is open (asked once a request)."""
    session = _session(request)
    if session is None:
        return None
    language = chosen_language(request) or (
        session.language if session.language in LANGUAGES else LANGUAGES[0]
    )
    if session.case_id is None or session.case_number is None:
        assert session.invoice_number is not None
        return InvoiceVisit(session.company_id, session.invoice_number, language)
    return DebtorVisit(session.company_id, session.case_number, session.case_id, language)


def visit_of(request: Request) -> DebtorVisit:
    """The signed-in debtor's visit of a case; DebtorSignInNeeded if there is none,
    DebtorInvoiceOnly if the debtor signed in to an invoice that has no case."""
    visit = signed_in(request)
    if visit is None:
        raise DebtorSignInNeeded()
    if isinstance(visit, InvoiceVisit):
        raise DebtorInvoiceOnly()
    return visit


def scope_of(visit: DebtorVisit) -> Scope:
    """The visit's company, the case's debtor as the actor, today as the business day.
    A debtor actor `may` nothing that needs a Permission: debtor-facing services never
    call `require`, they check that what they touch is the visit's case."""
    return Scope(visit.company_id, debtor(visit.case_number), bootstrap.today())


def invoice_scope_of(visit: InvoiceVisit) -> Scope:
    """The visit's company, the invoice's debtor as the actor, today as the business day."""
    return Scope(visit.company_id, invoice_debtor(visit.invoice_number), bootstrap.today())
