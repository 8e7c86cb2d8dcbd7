"""The domain's errors, each mapped once to an exit code (and later an HTTP status):
invalid input that names its field, a thing that is not there, a lost race or a state
that no longer allows the request, a request the actor may not make, and work committed
whose follow-up (a print batch) could not be done yet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: which field, why, and where (a CSV row, say);
    `code` is stable for machines (an API client), `reason` is for people."""

    field: str
    reason: str
    where: str = ""
    code: str = "invalid"

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.field}: {self.reason}"


class InvalidInput(ValueError):
    """Input that breaks a rule; carries every problem found so all are shown at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, field: str, reason: str, where: str = "", code: str = "invalid") -> InvalidInput:
        return cls([Problem(field, reason, where, code)])


class RuleViolation(Exception):
    """A request that is well-formed but not allowed by a business rule."""


class NotFound(Exception):
    """The thing asked for does not exist in the caller's company (or at all: the two are
    never told apart, so one company cannot learn what another has)."""

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"{what} {key} not found")


class Conflict(Exception):
    """The state read no longer holds: someone else changed it first (a lost race), or
    the thing is in a state that does not allow the request. Nothing was written."""


class Forbidden(Exception):
    """The actor's role does not allow the request."""


class Unfinished(Exception):
    """What the request wrote is committed, but a step after the commit could not be done
    (the day's print batch, say); the message says what is left and what finishes it."""
