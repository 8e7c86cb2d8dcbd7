"""Innstillinger → API-nøkler: the company's API keys for the REST API (docs/api.md),
listed a page at a time, made (the token shown once, on the answer to the form) and
revoked; an administrator's only, as `fordring apikey` and `/api/v1/api-keys` (the
services refuse anyone else: 403, nothing written)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response

from fordring.domain.api_access import Role
from fordring.domain.errors import InvalidInput
from fordring.entrypoints.web.settings_page import problems_of, settings_page
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services.api_keys import create_api_key_as_typed, page_api_keys, revoke_api_key
from fordring.services.form_once import MAX_LENGTH, AlreadyDone, new_once
from fordring.services.ports.users import SessionUser

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]
Once = Annotated[str, Form(max_length=MAX_LENGTH)]
PATH = "/settings/api-keys"
LIMIT = 50  # keys a page: a company has a handful
After = Annotated[str | None, Query(min_length=12, max_length=12, pattern="^[0-9a-f]{12}$")]


def _page(
    request: Request,
    user: SessionUser,
    status: int = 200,
    *,
    after: str | None = None,
    **context: Any,
) -> Response:
    found = page_api_keys(
        scope_of(user), application(request).uow_factory, after=after, limit=LIMIT + 1
    )
    shown = found[:LIMIT]
    return settings_page(
        request,
        "settings_api_keys.html",
        user,
        "api_keys",
        status,
        keys=shown,
        next_after=shown[-1].prefix if len(found) > LIMIT else None,
        roles=[r.value for r in Role],
        form={"name": "", "role": Role.API_USER.value} | context.pop("form", {}),
        problems=context.pop("problems", {}),
        made=context.pop("made", None),
        already=context.pop("already", False),
        once=new_once(),  # the form's single-use token: sent twice, it makes one key
    )


@router.get(PATH)
def api_keys(request: Request, after: After = None) -> Response:
    return _page(request, user_of(request), after=after)


@router.post(PATH)
def create(request: Request, name: Field = "", role: Field = "", once: Once = "") -> Response:
    """A new key; the answer shows its token, once (fordring keeps only its HMAC). The
    form sent again (a reload) makes none and says it was made (409), without the token."""
    user = user_of(request)
    app = application(request)
    form = {"name": name, "role": role}
    try:
        made = create_api_key_as_typed(
            name, role, scope_of(user), app.uow_factory, app.api_hmac_key, once or None
        )
    except InvalidInput as invalid:
        problems = problems_of(invalid)
        return _page(request, user, 422, form=form, problems=problems)
    except AlreadyDone:
        return _page(request, user, 409, already=True)
    return _page(request, user, made=made)


@router.post(PATH + "/revoke")
def revoke(request: Request, prefix: Field = "") -> Response:
    """From now on a request with the key gets 401; another company's key is 404."""
    app = application(request)
    revoke_api_key(prefix, scope_of(user_of(request)), app.uow_factory)
    verified = app.verified_keys
    if verified is not None:
        verified.forget()  # this process's trust in the key ends with the revocation
    return redirect(request, PATH)
