"""Who a portal request is, as every page handler asks it: the application, the signed-in
user (or a redirect to the sign-in), the scope the user's service calls run in, and
redirects. (Named so as not to be confused with the `requests` library.)"""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from fordring import bootstrap
from fordring.entrypoints.web.security import finish, session_token
from fordring.services.ports.users import SessionUser
from fordring.services.scope import Scope
from fordring.services.users import actor_of, session_user


class SignInNeeded(Exception):
    """No open session: the browser is sent to the sign-in page (a 303)."""


def application(request: Request) -> bootstrap.Application:
    app: bootstrap.Application = request.app.state.application
    return app


def signed_in(request: Request) -> SessionUser | None:
    """The user of the request's session, if it is open."""
    token = session_token(request)
    if token is None:
        return None
    return session_user(token, application(request).uow_factory, bootstrap.now())


def user_of(request: Request) -> SessionUser:
    """The signed-in user; SignInNeeded if there is none."""
    user = signed_in(request)
    if user is None:
        raise SignInNeeded()
    return user


def scope_of(user: SessionUser) -> Scope:
    """The user's company, the user (its role) as the actor, today as the business day."""
    return Scope(user.company_id, actor_of(user), bootstrap.today())


def redirect(request: Request, path: str) -> Response:
    """See `path` of the mounted app (the portal's, the debtor's pages'; a 303: a reload
    of it never posts again)."""
    base = request.scope.get("root_path", "")
    return finish(request, RedirectResponse(base + path, status_code=303))
