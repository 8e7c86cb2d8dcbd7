"""API keys and stored idempotent responses (tables_api.py): the scoped repositories and
the unscoped lookup that authenticates a request."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from fordring.adapters.db.tables import api_key, collector_creditor, company, idempotent_request
from fordring.domain.api_access import ApiKey, Role
from fordring.services.ports.api import StoredResponse


def _key(row: Any) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        prefix=row.prefix,
        secret_hmac=row.secret_hmac,
        created_on=row.created_on,
        company_id=row.company_id,
        collector_id=row.collector_id,
        revoked_on=row.revoked_on,
    )


def _added(connection: Connection, key: ApiKey, owner: dict[str, int]) -> ApiKey:
    values = {
        **owner,
        "name": key.name,
        "role": key.role.value,
        "prefix": key.prefix,
        "secret_hmac": key.secret_hmac,
        "created_on": key.created_on,
    }
    new_id = connection.execute(insert(api_key).values(values).returning(api_key.c.id)).scalar_one()
    return _key(connection.execute(select(api_key).where(api_key.c.id == new_id)).one())


def _revoked(connection: Connection, owner: Any, prefix: str, on: date) -> bool:
    done = connection.execute(
        update(api_key)
        .where(owner & (api_key.c.prefix == prefix) & api_key.c.revoked_on.is_(None))
        .values(revoked_on=on)
    )
    return done.rowcount == 1


class SqlApiKeys:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def add(self, key: ApiKey) -> ApiKey:
        return _added(self.connection, key, {"company_id": self.company_id})

    def list(self) -> list[ApiKey]:
        rows = self.connection.execute(
            select(api_key).where(api_key.c.company_id == self.company_id).order_by(api_key.c.id)
        )
        return [_key(r) for r in rows]

    def page(self, after: str | None, limit: int) -> builtins.list[ApiKey]:
        mine = api_key.c.company_id == self.company_id
        if after is not None:
            mine = mine & (api_key.c.prefix > after)
        rows = self.connection.execute(
            select(api_key).where(mine).order_by(api_key.c.prefix).limit(limit)
        )
        return [_key(r) for r in rows]

    def revoke(self, prefix: str, on: date) -> bool:
        return _revoked(self.connection, api_key.c.company_id == self.company_id, prefix, on)


class SqlApiKeyLookup:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def by_prefix(self, prefix: str) -> ApiKey | None:
        row = self.connection.execute(select(api_key).where(api_key.c.prefix == prefix)).first()
        return None if row is None else _key(row)

    def creditor_of(self, collector_id: int, orgnr: str) -> int | None:
        found: int | None = self.connection.execute(
            select(company.c.id)
            .join(collector_creditor, collector_creditor.c.company_id == company.c.id)
            .where(
                (company.c.orgnr == orgnr)
                & (collector_creditor.c.collector_id == collector_id)
                & collector_creditor.c.stopped_on.is_(None)
            )
        ).scalar_one_or_none()
        return found

    def add_for_collector(self, key: ApiKey) -> ApiKey:
        assert key.collector_id is not None
        return _added(self.connection, key, {"collector_id": key.collector_id})

    def of_collector(self, collector_id: int) -> list[ApiKey]:
        rows = self.connection.execute(
            select(api_key).where(api_key.c.collector_id == collector_id).order_by(api_key.c.id)
        )
        return [_key(r) for r in rows]

    def revoke_of_collector(self, collector_id: int, prefix: str, on: date) -> bool:
        return _revoked(self.connection, api_key.c.collector_id == collector_id, prefix, on)


def _claim(dialect: Any) -> Any:
    """The claim of a key (`SqlIdempotency.claim`), built once per dialect."""
    values = {
        "company_id": bindparam("the_company"),
        "key": bindparam("the_key"),
        "request_hash": bindparam("the_hash"),
        "status": 0,
        "body": "",
        "created_on": bindparam("on"),
    }
    claim = dialect.insert(idempotent_request).values(values).on_conflict_do_nothing()
    return claim.returning(idempotent_request.c.key)


_CLAIM_POSTGRESQL, _CLAIM_SQLITE = _claim(postgresql), _claim(sqlite)
_ANSWER = (
    update(idempotent_request)
    .where(
        (idempotent_request.c.company_id == bindparam("the_company"))
        & (idempotent_request.c.key == bindparam("the_key"))
    )
    .values(status=bindparam("the_status"), body=bindparam("the_body"))
)


class SqlIdempotency:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def _where(self, key: str) -> Any:
        return (idempotent_request.c.company_id == self.company_id) & (
            idempotent_request.c.key == key
        )

    def get(self, key: str) -> StoredResponse | None:
        row = self.connection.execute(select(idempotent_request).where(self._where(key))).first()
        return None if row is None else StoredResponse(row.request_hash, row.status, row.body)

    def claim(self, key: str, request_hash: str, on: date) -> bool:
        values = {
            "the_company": self.company_id,
            "the_key": key,
            "the_hash": request_hash,
            "on": on,
        }
        # One statement: a key another transaction has claimed and not yet committed is
        # waited for, as a plain insert's unique check would; if it commits, nothing is
        # inserted here (no savepoint needed to survive the duplicate), if it rolls back,
        # the claim is this one's.
        postgresql = self.connection.dialect.name == "postgresql"
        claim = _CLAIM_POSTGRESQL if postgresql else _CLAIM_SQLITE
        return self.connection.execute(claim, values).first() is not None

    def claim_many(self, claims: Sequence[tuple[str, str]], on: date) -> set[str]:
        if not claims:
            return set()
        company_id = self.company_id
        rows = [
            {"the_company": company_id, "the_key": key, "the_hash": digest, "on": on}
            for key, digest in sorted(claims)
        ]
        postgresql = self.connection.dialect.name == "postgresql"
        claim = _CLAIM_POSTGRESQL if postgresql else _CLAIM_SQLITE
        # many rows, one statement (SQLAlchemy's "insertmanyvalues"), each row's RETURNING
        return {row.key for row in self.connection.execute(claim, rows)}

    def answer(self, key: str, status: int, body: str) -> None:
        given = {"the_company": self.company_id, "the_key": key, "the_status": status}
        given["the_body"] = body
        self.connection.execute(_ANSWER, given)

    def answer_many(self, answers: Sequence[tuple[str, int, str]]) -> None:
        company_id = self.company_id
        given = [
            {"the_company": company_id, "the_key": key, "the_status": status, "the_body": body}
            for key, status, body in answers
        ]
        if given:
            self.connection.execute(_ANSWER, given)

    def forget_before(self, day: date) -> int:
        done = self.connection.execute(
            delete(idempotent_request).where(
                (idempotent_request.c.company_id == self.company_id)
                & (idempotent_request.c.created_on < day)
            )
        )
        return int(done.rowcount)
