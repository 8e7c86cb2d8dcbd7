"""Innstillinger → Brukere: the company's users with their e-mail and status for an
administrator, who adds, disables, enables again and unlocks them (the services refuse
anyone else: a read-only user who posts the form anyway gets 403 and nothing is
written); every other role sees its enabled colleagues' names and roles only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response

from fordring import bootstrap
from fordring.domain.api_access import Permission, allows
from fordring.domain.errors import Conflict, InvalidInput
from fordring.domain.users import USER_ROLES
from fordring.entrypoints.web.settings_page import settings_page
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services.ports.users import SessionUser
from fordring.services.users import (
    NewUser,
    add_user,
    disable_user,
    enable_user,
    list_colleagues,
    list_users,
    unlock_user,
)

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]
PATH = "/settings/users"


def _page(request: Request, user: SessionUser, status: int = 200, **context: Any) -> Response:
    can_manage = allows(user.role, Permission.MANAGE_USERS)
    scope, uows = scope_of(user), application(request).uow_factory
    form = {"email": "", "name": "", "role": "finance_user"} | context.pop("form", {})
    return settings_page(
        request,
        "settings_users.html",
        user,
        "users",
        status,
        # a colleague who may not manage users sees names and roles only (whom to ask)
        users=list_users(scope, uows) if can_manage else [],
        colleagues=[] if can_manage else list_colleagues(scope, uows),
        roles=[r.value for r in USER_ROLES],
        can_manage=can_manage,
        form=form,
        problems=context.pop("problems", {}),
        refused=context.pop("refused", None),
        now=bootstrap.now(),
    )


@router.get(PATH)
def users(request: Request) -> Response:
    return _page(request, user_of(request))


@router.post(PATH)
def add(
    request: Request,
    email: Field = "",
    name: Field = "",
    role: Field = "",
    password: Field = "",
) -> Response:
    user = user_of(request)
    app = application(request)
    form = {"email": email, "name": name, "role": role}
    try:
        add_user(
            NewUser(email, name, role, password),
            scope_of(user),
            app.uow_factory,
            app.password_hasher,
        )
    except InvalidInput as invalid:
        problems = {p.field: p.code for p in invalid.problems}
        return _page(request, user, 422, form=form, problems=problems)
    except Conflict:
        return _page(request, user, 409, form=form, refused="exists")
    return redirect(request, PATH)


@router.post(PATH + "/disable")
def disable(request: Request, email: Field = "") -> Response:
    user = user_of(request)
    try:
        disable_user(email, scope_of(user), application(request).uow_factory, bootstrap.now())
    except Conflict:
        return _page(request, user, 409, refused="self")
    return redirect(request, PATH)


@router.post(PATH + "/enable")
def enable(request: Request, email: Field = "") -> Response:
    """A disabled user may sign in again (an administrator's; the service refuses anyone
    else)."""
    enable_user(email, scope_of(user_of(request)), application(request).uow_factory)
    return redirect(request, PATH)


@router.post(PATH + "/unlock")
def unlock(request: Request, email: Field = "") -> Response:
    """End the user's lockout (an administrator's; the service refuses anyone else)."""
    unlock_user(email, scope_of(user_of(request)), application(request).uow_factory)
    return redirect(request, PATH)
