"""The portal's users and sessions (tables_users.py): the company's users, and the
unscoped lookup that finds the user of a request by its session token's hash. Moments are
stored in UTC (SQLite keeps no time zone: it gets them naive, and gives them back so)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import app_user, company, user_session
from fordring.domain.api_access import Role
from fordring.domain.errors import Conflict, NotFound
from fordring.domain.users import User
from fordring.services.ports.users import SessionUser


def _stored(connection: Connection, moment: datetime) -> datetime:
    utc = moment.astimezone(UTC)
    return utc.replace(tzinfo=None) if connection.dialect.name == "sqlite" else utc


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _user(row: Any) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        password_hash=row.password_hash,
        created_on=row.created_on,
        failed_attempts=row.failed_attempts,
        locked_until=_aware(row.locked_until),
        disabled_on=row.disabled_on,
    )


class SqlUsers:
    """services/ports/users.py `UserRepository`: one company's users (`app_user`) and their
    sessions (`user_session`); every statement names the company, so it is the company's
    alone under the global role too (a sign-in's bookkeeping, `users_signing_in`)."""

    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def _mine(self) -> Any:
        return own(app_user.c.company_id, self.company_id)

    def add(self, user: User) -> User:
        values = {
            "company_id": self.company_id,
            "email": user.email,
            "name": user.name,
            "role": user.role.value,
            "password_hash": user.password_hash,
            "failed_attempts": 0,
            "created_on": user.created_on,
        }
        savepoint = self.connection.begin_nested()
        try:
            new_id = self.connection.execute(
                insert(app_user).values(values).returning(app_user.c.id)
            ).scalar_one()
        except IntegrityError:
            savepoint.rollback()
            if self.by_email(user.email) is None:
                raise  # not the e-mail taken: another constraint, a fault to see
            raise Conflict(f"the company has a user {user.email} already") from None
        savepoint.commit()
        row = self.connection.execute(select(app_user).where(app_user.c.id == new_id)).one()
        return _user(row)

    def by_email(self, email: str, *, lock: bool = False) -> User | None:
        query = select(app_user).where(
            (app_user.c.company_id == self.company_id) & (app_user.c.email == email)
        )
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return None if row is None else _user(row)

    def all(self) -> list[User]:
        rows = self.connection.execute(
            select(app_user).where(app_user.c.company_id == self.company_id).order_by(app_user.c.id)
        )
        return [_user(r) for r in rows]

    def disable(self, email: str, on: date) -> bool:
        done = self.connection.execute(
            update(app_user)
            .where(self._mine() & (app_user.c.email == email) & app_user.c.disabled_on.is_(None))
            .values(disabled_on=on)
        )
        return done.rowcount == 1

    def enable(self, user_id: int) -> None:
        self.connection.execute(
            update(app_user)
            .where(self._mine() & (app_user.c.id == user_id))
            .values(disabled_on=None, failed_attempts=0, locked_until=None)
        )

    def set_password(self, user_id: int, password_hash: str) -> None:
        self.connection.execute(
            update(app_user)
            .where(self._mine() & (app_user.c.id == user_id))
            .values(password_hash=password_hash, failed_attempts=0, locked_until=None)
        )

    def record_failure(
        self, user_id: int, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        locked = None if locked_until is None else _stored(self.connection, locked_until)
        self.connection.execute(
            update(app_user)
            .where(self._mine() & (app_user.c.id == user_id))
            .values(failed_attempts=failed_attempts, locked_until=locked)
        )

    def record_success(self, user_id: int, password_hash: str | None) -> None:
        values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
        if password_hash is not None:
            values["password_hash"] = password_hash
        self.connection.execute(
            update(app_user).where(self._mine() & (app_user.c.id == user_id)).values(values)
        )

    def start_session(self, user_id: int, token_hash: str, at: datetime, expires: datetime) -> None:
        # Inserted from the user's row, so another company's user id inserts nothing (a
        # NotFound) rather than failing the transaction on the composite key
        user = select(
            app_user.c.company_id,
            app_user.c.id,
            literal(token_hash),
            literal(_stored(self.connection, at), user_session.c.created_at.type),
            literal(_stored(self.connection, expires), user_session.c.expires_at.type),
        ).where(self._mine() & (app_user.c.id == user_id))
        columns = ["company_id", "user_id", "token_hash", "created_at", "expires_at"]
        started = insert(user_session).from_select(columns, user).returning(user_session.c.id)
        if self.connection.execute(started).first() is None:
            raise NotFound("user", user_id)

    def forget_closed_sessions(self, user_id: int, now: datetime) -> int:
        moment = _stored(self.connection, now)
        done = self.connection.execute(
            delete(user_session).where(
                own(user_session.c.company_id, self.company_id)
                & (user_session.c.user_id == user_id)
                & (user_session.c.ended_at.is_not(None) | (user_session.c.expires_at <= moment))
            )
        )
        return int(done.rowcount)

    def end_sessions(self, user_id: int, at: datetime, *, keep: str | None = None) -> int:
        ending = (
            own(user_session.c.company_id, self.company_id)
            & (user_session.c.user_id == user_id)
            & user_session.c.ended_at.is_(None)
        )
        if keep is not None:
            ending &= user_session.c.token_hash != keep
        done = self.connection.execute(
            update(user_session).where(ending).values(ended_at=_stored(self.connection, at))
        )
        return int(done.rowcount)


class SqlSessionLookup:
    """services/ports/users.py `SessionLookup`: every company's sessions by their token's
    hash, for the unscoped unit of work that finds who a portal request is (a session
    names its company and user: the composite key keeps them of one company)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def open_session(self, token_hash: str, now: datetime) -> SessionUser | None:
        row = self.connection.execute(
            select(
                user_session.c.company_id,
                company.c.name.label("company_name"),
                company.c.orgnr,
                app_user.c.id.label("user_id"),
                app_user.c.email,
                app_user.c.name,
                app_user.c.role,
                user_session.c.expires_at,
            )
            .join(app_user, app_user.c.id == user_session.c.user_id)
            .join(company, company.c.id == user_session.c.company_id)
            .where(
                (user_session.c.token_hash == token_hash)
                & user_session.c.ended_at.is_(None)
                & (user_session.c.expires_at > _stored(self.connection, now))
                & app_user.c.disabled_on.is_(None)
                & (app_user.c.company_id == user_session.c.company_id)
            )
        ).first()
        if row is None:
            return None
        expires = _aware(row.expires_at)
        assert expires is not None
        return SessionUser(
            row.company_id,
            row.company_name,
            row.orgnr,
            row.user_id,
            row.email,
            row.name,
            Role(row.role),
            expires,
        )

    def end_session(self, token_hash: str, at: datetime) -> bool:
        done = self.connection.execute(
            update(user_session)
            .where((user_session.c.token_hash == token_hash) & user_session.c.ended_at.is_(None))
            .values(ended_at=_stored(self.connection, at))
        )
        return done.rowcount == 1
