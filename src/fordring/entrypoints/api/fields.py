"""Reading a request's text fields by the CLI's rules, every problem at once: each field
is parsed with `attempt`, and `raise_if_any` then names every field that was wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from fordring.domain.errors import InvalidInput, Problem

T = TypeVar("T")


class Problems:
    def __init__(self) -> None:
        self.found: list[Problem] = []

    def attempt(self, parse: Callable[[], T]) -> T | None:
        """What `parse` returns, or None with its problems kept."""
        try:
            return parse()
        except InvalidInput as error:
            self.found.extend(error.problems)
            return None

    def add(self, problems: Iterable[Problem]) -> None:
        self.found.extend(problems)

    def raise_if_any(self) -> None:
        if self.found:
            raise InvalidInput(self.found)
