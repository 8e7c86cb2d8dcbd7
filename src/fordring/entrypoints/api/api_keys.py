"""`/api/v1/api-keys`: the company's API keys, managed by an administrator's key: make
one (its token shown once), list them, revoke one. A key never makes a key of a role
above its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fordring.domain.api_access import ApiKey, Permission, parse_role
from fordring.entrypoints.api.calls import application, call, json_answer
from fordring.entrypoints.api.schemas import ApiKeyIn, ApiKeyList, ApiKeyOut, MadeKeyOut
from fordring.services.api_keys import (
    NewApiKey,
    create_api_key,
    list_api_keys,
    page_api_keys,
    revoke_api_key,
)
from fordring.services.api_requests import Answer
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["api keys"])
Prefix = Annotated[
    str, Path(min_length=12, max_length=12, pattern="^[0-9a-f]{12}$", description="its prefix")
]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many (1-500)")]
After = Annotated[
    str | None,
    Query(min_length=12, max_length=12, pattern="^[0-9a-f]{12}$", description="the last seen"),
]


def key_out(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        prefix=key.prefix,
        name=key.name,
        role=key.role.value,
        created_on=key.created_on,
        revoked_on=key.revoked_on,
    )


@router.post("/api-keys", status_code=201, response_model=MadeKeyOut, summary="Make an API key")
def create(body: ApiKeyIn, request: Request) -> Response:
    """A new key of the company with a role no higher than the calling key's; its token is
    in this answer only (fordring keeps its prefix and an HMAC). A repeat with the same
    `Idempotency-Key` answers the key without its token."""
    hmac_key = application(request).api_hmac_key

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        cmd = NewApiKey(body.name, parse_role(body.role))
        made = create_api_key(cmd, scope, uows, hmac_key)
        shown = MadeKeyOut(**key_out(made.key).model_dump(), token=made.token)
        kept = shown.model_copy(update={"token": None})
        return Answer(201, shown.model_dump_json().encode(), kept=kept.model_dump_json().encode())

    return call(request, Permission.MANAGE_KEYS, work, body)


@router.get("/api-keys", response_model=ApiKeyList, summary="List API keys")
def list_(request: Request, limit: Limit = 100, after: After = None) -> Response:
    """The company's keys (revoked ones too), never their secrets; by prefix, a page at a
    time."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        found = page_api_keys(scope, uows, after=after, limit=limit + 1)
        page = [key_out(k) for k in found[:limit]]
        last = page[-1].prefix if len(found) > limit else None
        return json_answer(ApiKeyList(items=page, next_after=last))

    return call(request, Permission.MANAGE_KEYS, work)


@router.post("/api-keys/{prefix}/revoke", response_model=ApiKeyOut, summary="Revoke an API key")
def revoke(prefix: Prefix, request: Request) -> Response:
    """From now on a request with the key gets 401 (from another `serve --workers`
    process within FORDRING_API_KEY_CACHE_SECONDS); another company's key is 404."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        revoke_api_key(prefix, scope, uows)
        (key,) = [k for k in list_api_keys(scope, uows) if k.prefix == prefix]
        return json_answer(key_out(key))

    answered = call(request, Permission.MANAGE_KEYS, work)
    verified = application(request).verified_keys
    if verified is not None:
        verified.forget()  # this process's trust in the key ends with the revocation
    return answered
