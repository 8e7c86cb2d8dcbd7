"""Pages from the Jinja2 templates in templates/: in the request's language (`_` in a
template is its catalogue's gettext), with Norwegian number and date filters, the CSRF
token of the request's forms and the portal's base path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from fordring.entrypoints.web import formats
from fordring.entrypoints.web.i18n import LANGUAGE_COOKIE, LANGUAGES, language_of, translations
from fordring.entrypoints.web.objection_reasons import reason_text
from fordring.entrypoints.web.security import CSRF_FIELD, CSRF_HEADER, csrf_token, finish
from fordring.services.ports.users import SessionUser

TEMPLATES = Path(__file__).parent / "templates"

# The pages in the order of the navigation: (page, its path under the portal, or
# None while it is not built yet: shown, not linked).
NAVIGATION: tuple[tuple[str, str | None], ...] = (
    ("overview", "/"),
    ("invoices", "/invoices"),
    ("cases", "/cases"),
    ("collection_list", "/collection-list"),
    ("payments", "/payments"),
    ("settlements", "/settlements"),
    ("reports", "/reports"),
    ("settings", "/settings/agreement"),  # its own navigation: settings_page.TABS
)

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["amount"] = formats.amount
_environment.filters["whole"] = formats.whole
_environment.filters["day"] = formats.day
_environment.filters["moment"] = formats.moment
_environment.filters["account"] = formats.account
_environment.filters["bare"] = formats.bare
_environment.filters["rate"] = formats.rate
_environment.globals["objection_reason_text"] = reason_text


def language(request: Request) -> str:
    return language_of(request.cookies.get(LANGUAGE_COOKIE))


def page(
    request: Request,
    template: str,
    *,
    user: SessionUser | None = None,
    current: str | None = None,
    status: int = 200,
    lang: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page `template` for `user` (None: not signed in); `current`: the navigation's
    page it is; `lang`: its language, if not the one the browser chose (its cookie)."""
    lang = lang or language(request)
    catalogue = translations(lang)
    html = _environment.get_template(template).render(
        _=catalogue.gettext,
        lang=lang,
        languages=LANGUAGES,
        base=request.scope.get("root_path", ""),
        here=request.url.path,
        csrf=csrf_token(request),
        csrf_field=CSRF_FIELD,
        csrf_header=CSRF_HEADER,
        user=user,
        navigation=NAVIGATION,
        current=current,
        **context,
    )
    return finish(request, HTMLResponse(html, status_code=status))  # type: ignore[return-value]
