"""The debtor's access codes, sessions and tries per address (tables_debtor.py): the
company's side (a case's new code, inserted only for a case of the company) and the global
lookups a sign-in and a request's session use before the company is known. Moments are
stored in UTC (SQLite keeps no time zone: naive there, and given back aware)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import (
    collection_case,
    customer,
    debtor_access,
    debtor_address_try,
    debtor_session,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import NotFound
from fordring.services.ports.debtor_access import NewAccess, OpenDebtorSession, StoredAccess


def _stored(connection: Connection, moment: datetime) -> datetime:
    utc = moment.astimezone(UTC)
    return utc.replace(tzinfo=None) if connection.dialect.name == "sqlite" else utc


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class SqlDebtorAccess:
    """services/ports/debtor_access.py `DebtorAccessRepository`: one company's codes."""

    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def add(self, access: NewAccess) -> bool:
        # inserted from the case's row, so another company's case id inserts nothing
        case = select(
            collection_case.c.company_id,
            collection_case.c.id,
            literal(access.letter_id, debtor_access.c.letter_id.type),
            literal(access.code_hash),
            literal(access.pin_salt),
            literal(access.pin_hash),
            literal(_stored(self.connection, access.issued_at), debtor_access.c.issued_at.type),
            literal(access.expires_on, debtor_access.c.expires_on.type),
            literal(0),
        ).where(
            own(collection_case.c.company_id, self.company_id)
            & (collection_case.c.id == access.case_id)
        )
        columns = [
            "company_id",
            "case_id",
            "letter_id",
            "code_hash",
            "pin_salt",
            "pin_hash",
            "issued_at",
            "expires_on",
            "failed_attempts",
        ]
        savepoint = self.connection.begin_nested()
        try:
            stored = insert(debtor_access).from_select(columns, case).returning(debtor_access.c.id)
            done = self.connection.execute(stored).first()
        except IntegrityError:
            savepoint.rollback()
            return False
        savepoint.commit()
        if done is None:
            raise NotFound("case", access.case_id)
        return True


def _access(row: Any) -> StoredAccess:
    return StoredAccess(
        id=row.id,
        company_id=row.company_id,
        case_id=row.case_id,
        pin_salt=row.pin_salt,
        pin_hash=row.pin_hash,
        expires_on=row.expires_on,
        failed_attempts=row.failed_attempts,
        locked_until=_aware(row.locked_until),
        case_open=row.state != CaseState.CLOSED.value,
    )


class SqlDebtorAccessLookup:
    """services/ports/debtor_access.py `DebtorAccessLookup`: every company's codes and
    debtor sessions by their hashes (a row names its company: the composite keys keep its
    case the company's), and the tries per client address."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def by_code(self, code_hash: str, *, lock: bool = False) -> StoredAccess | None:
        query = (
            select(debtor_access, collection_case.c.state)
            .join(
                collection_case,
                (collection_case.c.id == debtor_access.c.case_id)
                & (collection_case.c.company_id == debtor_access.c.company_id),
            )
            .where(debtor_access.c.code_hash == code_hash)
        )
        if lock:
            query = query.with_for_update(of=debtor_access)
        row = self.connection.execute(query).first()
        return None if row is None else _access(row)

    def record_failure(self, access_id: int, failures: int, locked_until: datetime | None) -> None:
        locked = None if locked_until is None else _stored(self.connection, locked_until)
        self.connection.execute(
            update(debtor_access)
            .where(debtor_access.c.id == access_id)
            .values(failed_attempts=failures, locked_until=locked)
        )

    def record_success(self, access_id: int) -> None:
        self.connection.execute(
            update(debtor_access)
            .where(
                (debtor_access.c.id == access_id)
                & (
                    (debtor_access.c.failed_attempts != 0)
                    | debtor_access.c.locked_until.is_not(None)
                )
            )
            .values(failed_attempts=0, locked_until=None)
        )

    def address_tries(
        self, address_hash: str, *, lock: bool = False
    ) -> tuple[int, datetime | None]:
        query = select(debtor_address_try).where(debtor_address_try.c.address_hash == address_hash)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        if row is None:
            return 0, None
        return row.failures, _aware(row.window_start)

    def record_address_failure(self, address_hash: str, failures: int, since: datetime) -> None:
        values = {"failures": failures, "window_start": _stored(self.connection, since)}
        done = self.connection.execute(
            update(debtor_address_try)
            .where(debtor_address_try.c.address_hash == address_hash)
            .values(values)
        )
        if done.rowcount == 0:
            self.connection.execute(
                insert(debtor_address_try).values(address_hash=address_hash, **values)
            )

    def start_session(
        self, access: StoredAccess, token_hash: str, at: datetime, expires: datetime
    ) -> None:
        self.connection.execute(
            insert(debtor_session).values(
                company_id=access.company_id,
                case_id=access.case_id,
                access_id=access.id,
                token_hash=token_hash,
                created_at=_stored(self.connection, at),
                seen_at=_stored(self.connection, at),
                expires_at=_stored(self.connection, expires),
            )
        )

    def open_session(self, token_hash: str, now: datetime) -> OpenDebtorSession | None:
        row = self.connection.execute(
            select(
                debtor_session.c.company_id,
                debtor_session.c.case_id,
                debtor_session.c.created_at,
                debtor_session.c.seen_at,
                collection_case.c.number,
                customer.c.language,
            )
            .join(
                collection_case,
                (collection_case.c.id == debtor_session.c.case_id)
                & (collection_case.c.company_id == debtor_session.c.company_id),
            )
            .join(
                customer,
                (customer.c.id == collection_case.c.customer_id)
                & (customer.c.company_id == collection_case.c.company_id),
            )
            .where(
                (debtor_session.c.token_hash == token_hash)
                & debtor_session.c.ended_at.is_(None)
                & (debtor_session.c.expires_at > _stored(self.connection, now))
                & (collection_case.c.state != CaseState.CLOSED.value)
            )
        ).first()
        if row is None:
            return None
        created, seen = _aware(row.created_at), _aware(row.seen_at)
        assert created is not None and seen is not None
        return OpenDebtorSession(
            row.company_id, row.case_id, row.number, row.language, created, seen
        )

    def touch_session(self, token_hash: str, seen: datetime, expires: datetime) -> None:
        self.connection.execute(
            update(debtor_session)
            .where(
                (debtor_session.c.token_hash == token_hash) & debtor_session.c.ended_at.is_(None)
            )
            .values(
                seen_at=_stored(self.connection, seen),
                expires_at=_stored(self.connection, expires),
            )
        )

    def end_session(self, token_hash: str, at: datetime) -> bool:
        done = self.connection.execute(
            update(debtor_session)
            .where(
                (debtor_session.c.token_hash == token_hash) & debtor_session.c.ended_at.is_(None)
            )
            .values(ended_at=_stored(self.connection, at))
        )
        return done.rowcount == 1
