"""The scope a service call runs in: one company (tenant), one actor, one business date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


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
