"""What the REST API's services need from storage: API keys and the stored responses of
idempotent requests."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from fordring.domain.api_access import ApiKey


class ApiKeyRepository(Protocol):
    """The scope's company's keys (`fordring apikey create|list|revoke`)."""

    def add(self, key: ApiKey) -> ApiKey: ...
    def list(self) -> list[ApiKey]: ...
    def page(self, after: str | None, limit: int) -> builtins.list[ApiKey]:
        """At most `limit` keys by prefix, those after `after` (the API's keyset pages)."""
        ...

    def revoke(self, prefix: str, on: date) -> bool:
        """Revoke the company's key `prefix`; False if it has no such key unrevoked."""
        ...


class ApiKeyLookup(Protocol):
    """Every key, by prefix: the unscoped unit of work authenticates a request with it."""

    def by_prefix(self, prefix: str) -> ApiKey | None: ...
    def creditor_of(self, collector_id: int, orgnr: str) -> int | None:
        """The company id of the creditor `orgnr` the collector serves now (None: not)."""
        ...

    def add_for_collector(self, key: ApiKey) -> ApiKey:
        """Store a collector's key (`key.collector_id`)."""
        ...

    def of_collector(self, collector_id: int) -> list[ApiKey]: ...
    def revoke_of_collector(self, collector_id: int, prefix: str, on: date) -> bool: ...


@dataclass(frozen=True, slots=True)
class StoredResponse:
    request_hash: str
    status: int
    body: str


class IdempotencyStore(Protocol):
    """The scope's company's responses to requests sent with an `Idempotency-Key`."""

    def get(self, key: str) -> StoredResponse | None: ...
    def claim(self, key: str, request_hash: str, on: date) -> bool:
        """Insert the key's row (status 0: not answered yet); False if it is there
        already. On PostgreSQL a second transaction claiming the same key waits here for
        the first to end: then False if it committed, True if it rolled back."""
        ...

    def claim_many(self, claims: Sequence[tuple[str, str]], on: date) -> set[str]:
        """`claim` of each (key, request hash) in one statement: the keys claimed here.
        Keys are claimed in their order, so two transactions claiming some of the same
        keys wait for each other, not each for the other (no deadlock)."""
        ...

    def answer(self, key: str, status: int, body: str) -> None: ...
    def answer_many(self, answers: Sequence[tuple[str, int, str]]) -> None:
        """`answer` of each (key, status, body), sent together."""
        ...

    def forget_before(self, day: date) -> int:
        """Delete the responses stored before `day`; how many."""
        ...
