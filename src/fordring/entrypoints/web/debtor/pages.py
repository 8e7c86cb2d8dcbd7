"""The debtor's pages from templates/debtor/: in the visit's language (before sign-in the
browser's choice, else bokmål), with the CSRF token of the page's forms."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from fordring.entrypoints.web.debtor.visit import DebtorVisit, InvoiceVisit, chosen_language
from fordring.entrypoints.web.i18n import DEFAULT_LANGUAGE
from fordring.entrypoints.web.rendering import page


def debtor_page(
    request: Request,
    template: str,
    visit: DebtorVisit | InvoiceVisit | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page `templates/debtor/<template>` for `visit` (None: not signed in)."""
    lang = visit.language if visit is not None else chosen_language(request) or DEFAULT_LANGUAGE
    return page(request, f"debtor/{template}", status=status, lang=lang, visit=visit, **context)
