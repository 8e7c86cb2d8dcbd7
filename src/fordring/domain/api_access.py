"""Who may do what over the API: the roles of API keys and the permission each request
needs (SPEC I2); and the form of a key, `fk_<prefix>_<secret>`, of which only the prefix
and an HMAC-SHA256 of the secret are kept."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fordring.domain.errors import InvalidInput


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    FINANCE_USER = "finance_user"
    API_USER = "api_user"  # an accounting system: invoices and payments, nothing else
    READ_ONLY = "read_only"


class Permission(StrEnum):
    READ = "read"
    WRITE_CUSTOMERS = "write_customers"
    WRITE_INVOICES = "write_invoices"  # invoices, credit notes, sending them
    WRITE_PAYMENTS = "write_payments"
    CHANGE_COMPANY = "change_company"  # the company's settings
    MANAGE_COLLECTION = "manage_collection"  # sending, approving, cases' actions
    CHANGE_AGREEMENT = "change_agreement"  # the collection agreement: administrators only
    RUN_DAY = "run_day"  # trigger the daily run
    MANAGE_KEYS = "manage_keys"
    MANAGE_WEBHOOKS = "manage_webhooks"  # endpoints (their URLs and secrets), test events
    MANAGE_USERS = "manage_users"  # the portal's users: adding and disabling them


_API_USER = {
    Permission.READ,
    Permission.WRITE_CUSTOMERS,
    Permission.WRITE_INVOICES,
    Permission.WRITE_PAYMENTS,
}
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(Permission),
    Role.FINANCE_USER: frozenset(
        set(Permission)
        - {
            Permission.MANAGE_KEYS,
            Permission.CHANGE_AGREEMENT,
            Permission.MANAGE_WEBHOOKS,
            Permission.MANAGE_USERS,
        }
    ),
    Role.API_USER: frozenset(_API_USER),
    Role.READ_ONLY: frozenset({Permission.READ}),
}


def allows(role: str, permission: Permission) -> bool:
    """Whether a key of `role` may make a request that needs `permission`."""
    return role in PERMISSIONS and permission in PERMISSIONS[Role(role)]


def may_grant(granter: str, role: Role) -> bool:
    """Whether a key of role `granter` may make a key of `role`: only one whose every
    permission it has itself (never a role above its own)."""
    return granter in PERMISSIONS and PERMISSIONS[role] <= PERMISSIONS[Role(granter)]


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput.one("role", f"{text!r} is not a role ({roles})") from None


KEY_PREFIX = "fk_"
PREFIX_LENGTH = 12  # hex digits: looked up by it
SECRET_LENGTH = 43  # URL-safe base64 of 32 random bytes


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key: never its secret, only `prefix` and the HMAC of the secret."""

    id: int | None
    name: str
    role: Role
    prefix: str
    secret_hmac: str
    created_on: date
    company_id: int | None = None
    collector_id: int | None = None  # a collector's key: the request names the creditor
    revoked_on: date | None = None


def split_token(token: str) -> tuple[str, str] | None:
    """(prefix, secret) of a presented key, or None if it is not of the form."""
    if not token.startswith(KEY_PREFIX):
        return None
    prefix, _, secret = token.removeprefix(KEY_PREFIX).partition("_")
    if len(prefix) != PREFIX_LENGTH or not secret or len(secret) > 100:
        return None
    return prefix, secret


def token_of(prefix: str, secret: str) -> str:
    return f"{KEY_PREFIX}{prefix}_{secret}"


def secret_hmac(secret: str, hmac_key: bytes) -> str:
    """The HMAC-SHA256 of the secret under the installation's key, hex."""
    return hmac.new(hmac_key, secret.encode(), hashlib.sha256).hexdigest()


def matches(key: ApiKey, secret: str, hmac_key: bytes) -> bool:
    """Whether `secret` is the key's (compared in constant time)."""
    return hmac.compare_digest(key.secret_hmac, secret_hmac(secret, hmac_key))
