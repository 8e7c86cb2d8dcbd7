"""The scope a service call runs in: one company (tenant), one actor, one business date;
and `require`, the services' check of what the actor's role allows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fordring.domain.api_access import Permission, allows
from fordring.domain.errors import Forbidden


class ActorKind(StrEnum):
    USER = "user"
    API_KEY = "api key"
    DAILY_RUN = "daily run"
    COMMAND_LINE = "command line"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a user or API key (with its role), the daily run, or the command line."""

    kind: ActorKind
    name: str = ""
    role: str = ""

    def __str__(self) -> str:
        return self.name or self.kind.value


COMMAND_LINE = Actor(ActorKind.COMMAND_LINE)
DAILY_RUN = Actor(ActorKind.DAILY_RUN)


@dataclass(frozen=True, slots=True)
class Scope:
    """A unit of work built for a scope reads and writes only `company_id`'s rows."""

    company_id: int
    actor: Actor
    business_date: date


def require(scope: Scope, permission: Permission) -> None:
    """Forbidden unless the scope's actor may do what needs `permission`: a user or an API
    key acts by its role (domain/api_access.py); the command line and the daily run may
    do anything (whoever runs them has the database)."""
    actor = scope.actor
    if actor.kind in (ActorKind.USER, ActorKind.API_KEY) and not allows(actor.role, permission):
        raise Forbidden(f"the role {actor.role} may not {permission.value}")
