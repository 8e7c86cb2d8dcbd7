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
    DEBTOR = "debtor"  # a debtor signed in on the debtor's page (issue 19)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a user or API key (with its role), the daily run, the command line, or a
    debtor on the debtor's page (who acts only through the debtor's own service calls)."""

    kind: ActorKind
    name: str = ""
    role: str = ""

    def __str__(self) -> str:
        return self.name or self.kind.value


COMMAND_LINE = Actor(ActorKind.COMMAND_LINE)
DAILY_RUN = Actor(ActorKind.DAILY_RUN)


def debtor(case_number: int) -> Actor:
    """The debtor of case `case_number`, as the case history names who acted."""
    return Actor(ActorKind.DEBTOR, f"debtor (case {case_number})")


def invoice_debtor(invoice_number: int) -> Actor:
    """The debtor of invoice `invoice_number` signed in with the invoice's code before the
    invoice has a case (agreement setting invoice_debtor_access, decision 0016)."""
    return Actor(ActorKind.DEBTOR, f"debtor (invoice {invoice_number})")


def debtors_own_case(scope: Scope, number: int) -> None:
    """Forbidden when the actor is a debtor of another case than `number` (a debtor never
    sees or acts on another case)."""
    if scope.actor.kind is ActorKind.DEBTOR and scope.actor != debtor(number):
        raise Forbidden("a debtor sees its own case only")


@dataclass(frozen=True, slots=True)
class Scope:
    """A unit of work built for a scope reads and writes only `company_id`'s rows."""

    company_id: int
    actor: Actor
    business_date: date


def may(scope: Scope, permission: Permission) -> bool:
    """Whether the scope's actor may do what needs `permission`: a user or an API key acts
    by its role (domain/api_access.py); the command line and the daily run may do anything
    (whoever runs them has the database); a debtor nothing that needs a permission (the
    debtor's page calls only the services made for it, which check the case instead)."""
    actor = scope.actor
    if actor.kind is ActorKind.DEBTOR:
        return False
    if actor.kind in (ActorKind.USER, ActorKind.API_KEY):
        return allows(actor.role, permission)
    return True


def require(scope: Scope, permission: Permission) -> None:
    """Forbidden unless the scope's actor `may` do what needs `permission`."""
    if not may(scope, permission):
        who = scope.actor.role or scope.actor.kind.value
        raise Forbidden(f"the role {who} may not {permission.value}")
