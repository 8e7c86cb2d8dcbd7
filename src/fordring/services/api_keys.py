"""API keys (SPEC I2): made for one company with a role and shown once, listed, revoked;
and a presented key authenticated into the scope a request runs in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date

from fordring.domain.api_access import (
    PREFIX_LENGTH,
    ApiKey,
    Permission,
    Role,
    may_grant,
    parse_role,
    secret_hmac,
    split_token,
    token_of,
)
from fordring.domain.api_access import matches as key_matches
from fordring.domain.errors import Forbidden, InvalidInput, NotFound, Problem
from fordring.domain.input_rules import text_problems
from fordring.services.collector import collector_id, resolve_collector
from fordring.services.form_once import claim_once
from fordring.services.ports import GlobalUnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Actor, ActorKind, Scope, require


class Unauthenticated(Exception):
    """No key, a key of the wrong form, an unknown, revoked or wrong one (HTTP 401); the
    message never says which."""


@dataclass(frozen=True, slots=True)
class NewApiKey:
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class MadeKey:
    key: ApiKey
    token: str  # shown once: only its HMAC is kept


def _new_key(cmd: NewApiKey, hmac_key: bytes, on: date) -> tuple[ApiKey, str]:
    """The key to store and its token (its secret is in the token only)."""
    if not cmd.name.strip():
        raise InvalidInput.one("name", "give the key a name", code="required")
    problems = text_problems(cmd.name, "name", 200)
    if problems:
        raise InvalidInput(problems)
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        id=None,
        name=cmd.name.strip(),
        role=cmd.role,
        prefix=prefix,
        secret_hmac=secret_hmac(secret, hmac_key),
        created_on=on,
    )
    return key, token_of(prefix, secret)


def create_api_key(
    cmd: NewApiKey,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    hmac_key: bytes,
    once: str | None = None,
) -> MadeKey:
    """A new key for the scope's company; the token is returned once and never stored. A
    key that makes a key (over the API) makes none of a role above its own; a user or key
    whose role may not manage keys makes none (Forbidden), as it lists and revokes none.
    `once`: the portal form's single-use token (AlreadyDone, no key made, if it was used)."""
    require(scope, Permission.MANAGE_KEYS)
    granter = scope.actor
    if granter.kind is ActorKind.API_KEY and not may_grant(granter.role, cmd.role):
        raise Forbidden(f"a key of the role {granter.role} may not make a {cmd.role} key")
    key, token = _new_key(cmd, hmac_key, scope.business_date)
    with uow_factory(scope) as uow:
        claim_once(uow, once, scope.business_date)
        stored = uow.api_keys.add(key)
        uow.commit()
    return MadeKey(stored, token)


def create_api_key_as_typed(
    name: str,
    role: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    hmac_key: bytes,
    once: str | None = None,
) -> MadeKey:
    """`create_api_key` of a form's name and role as typed (the portal's): the actor's
    role checked first, then every bad field at once; `once` the form's token."""
    require(scope, Permission.MANAGE_KEYS)
    problems = [] if name.strip() else [Problem("name", "give the key a name", code="required")]
    problems += text_problems(name, "name", 200)
    try:
        wanted = parse_role(role)
    except InvalidInput as invalid:
        problems += invalid.problems
    if problems:
        raise InvalidInput(problems)
    return create_api_key(NewApiKey(name, wanted), scope, uow_factory, hmac_key, once)


def create_collector_api_key(
    collector: str | None,
    cmd: NewApiKey,
    uow_factory: UnitOfWorkFactory,
    hmac_key: bytes,
    today: date,
) -> MadeKey:
    """A key of the collector (`collector`: its orgnr, or None for the only one): each
    request names the creditor it acts for, one the collector serves."""
    key, token = _new_key(cmd, hmac_key, today)
    with uow_factory.unscoped() as uow:
        found = collector_id(resolve_collector(uow, collector))
        stored = uow.api_key_lookup.add_for_collector(replace(key, collector_id=found))
        uow.commit()
    return MadeKey(stored, token)


def list_collector_api_keys(collector: str | None, uow_factory: UnitOfWorkFactory) -> list[ApiKey]:
    with uow_factory.unscoped() as uow:
        return uow.api_key_lookup.of_collector(collector_id(resolve_collector(uow, collector)))


def revoke_collector_api_key(
    collector: str | None, prefix: str, uow_factory: UnitOfWorkFactory, today: date
) -> None:
    with uow_factory.unscoped() as uow:
        found = collector_id(resolve_collector(uow, collector))
        if not uow.api_key_lookup.revoke_of_collector(found, prefix, today):
            raise NotFound("API key", prefix)
        uow.commit()


def list_api_keys(scope: Scope, uow_factory: UnitOfWorkFactory) -> list[ApiKey]:
    require(scope, Permission.MANAGE_KEYS)
    with uow_factory(scope) as uow:
        return uow.api_keys.list()


def page_api_keys(
    scope: Scope, uow_factory: UnitOfWorkFactory, *, after: str | None, limit: int
) -> list[ApiKey]:
    """At most `limit` of the company's keys by prefix, those after `after`."""
    require(scope, Permission.MANAGE_KEYS)
    with uow_factory(scope) as uow:
        return uow.api_keys.page(after, limit)


def revoke_api_key(prefix: str, scope: Scope, uow_factory: UnitOfWorkFactory) -> None:
    """Revoke the key: from now on a request with it gets 401."""
    require(scope, Permission.MANAGE_KEYS)
    with uow_factory(scope) as uow:
        if not uow.api_keys.revoke(prefix, scope.business_date):
            raise NotFound("API key", prefix)
        uow.commit()


def authenticate(
    uow: GlobalUnitOfWork,
    token: str,
    creditor: str | None,
    hmac_key: bytes,
    business_date: date,
) -> Scope:
    """The scope of a request made with `token` (a collector's key acts for the creditor
    `creditor`, an organisation number, that it serves now). Unauthenticated if the key is
    unknown, revoked or wrong, or a collector's key names no creditor it serves."""
    parts = split_token(token)
    if parts is None:
        raise Unauthenticated("no valid API key")
    key = uow.api_key_lookup.by_prefix(parts[0])
    if key is None or key.revoked_on is not None or not key_matches(key, parts[1], hmac_key):
        raise Unauthenticated("no valid API key")
    company_id = key.company_id
    if key.collector_id is not None:
        found = uow.api_key_lookup.creditor_of(key.collector_id, creditor) if creditor else None
        if found is None:
            raise Unauthenticated("a collector's key names a creditor it serves")
        company_id = found
    assert company_id is not None
    actor = Actor(ActorKind.API_KEY, key.name, key.role.value)
    return Scope(company_id, actor, business_date)
