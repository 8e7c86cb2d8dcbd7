"""The domain's errors: invalid input that names its field, and broken business rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: which field, why, and where (a CSV row, say)."""

    field: str
    reason: str
    where: str = ""

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.field}: {self.reason}"


class InvalidInput(ValueError):
    """Input that breaks a rule; carries every problem found so all are shown at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, field: str, reason: str, where: str = "") -> InvalidInput:
        return cls([Problem(field, reason, where)])


class RuleViolation(Exception):
    """A request that is well-formed but not allowed by a business rule."""
