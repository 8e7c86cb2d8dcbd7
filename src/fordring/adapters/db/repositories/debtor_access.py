"""The debtor's access codes, sessions and tries per address (tables_debtor.py): the
company's side (a case's new code, inserted only for a case of the company) and the global
lookups a sign-in and a request's session use before the company is known. Moments are
stored in UTC (SQLite keeps no time zone: naive there, and given back aware)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from fordring.adapters.db.chunks import CHUNK, rows_where_in
from fordring.adapters.db.repositories.deliveries import _aware as aware
from fordring.adapters.db.repositories.deliveries import _utc
from fordring.adapters.db.rows_at_once import insert_rows
from fordring.adapters.db.scoping import own, owned_ids
from fordring.adapters.db.tables import (
    case_invoice,
    collection_case,
    customer,
    debtor_access,
    debtor_address_try,
    debtor_session,
    invoice,
)
from fordring.domain.collection.letters import LetterAccess
from fordring.domain.collection.states import CaseState
from fordring.domain.debtor_access import hidden_code, spaced_code
from fordring.domain.errors import NotFound
from fordring.services.ports.debtor_access import NewAccess, OpenDebtorSession, StoredAccess


def _stored(connection: Connection, moment: datetime) -> datetime:
    utc = _utc(moment)
    return utc.replace(tzinfo=None) if connection.dialect.name == "sqlite" else utc


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else aware(moment)


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

    def add_for_letters(self, accesses: Sequence[NewAccess]) -> None:
        ours = owned_ids(
            self.connection,
            collection_case,
            (x.case_id for x in accesses if x.case_id is not None),
            self.company_id,
        )
        insert_rows(
            self.connection,
            debtor_access,
            [
                {**self._row(x), "case_id": x.case_id, "letter_id": x.letter_id}
                for x in accesses
                if x.case_id in ours
            ],
        )

    def _row(self, x: NewAccess) -> dict[str, Any]:
        """A new code's columns but its owner's (the case and letter, or the invoice)."""
        return {
            "company_id": self.company_id,
            "code_hash": x.code_hash,
            "pin_salt": x.pin_salt,
            "pin_hash": x.pin_hash,
            "pin_to_print": x.pin_to_print,
            "code_to_print": x.code_to_print,
            "issued_at": _stored(self.connection, x.issued_at),
            "failed_attempts": 0,
        }

    def forget_pins(self, letter_ids: Sequence[int]) -> None:
        self._forget_kept(debtor_access.c.letter_id, letter_ids)

    def _forget_kept(self, column: Any, ids: Sequence[int]) -> None:
        """The clear PIN and code kept to print forgotten for the company's codes whose
        `column` (the letter's or the invoice's id) is one of `ids`, in chunks."""
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            self.connection.execute(
                update(debtor_access)
                .where(
                    own(debtor_access.c.company_id, self.company_id)
                    & column.in_(chunk)
                    & debtor_access.c.pin_to_print.is_not(None)
                )
                .values(pin_to_print=None, code_to_print=None)
            )

    def add_for_invoices(self, accesses: Sequence[NewAccess]) -> list[int]:
        ids = [x.invoice_id for x in accesses if x.invoice_id is not None]
        ours = owned_ids(self.connection, invoice, ids, self.company_id)
        taken = {
            r.invoice_id
            for r in rows_where_in(
                self.connection,
                select(debtor_access.c.invoice_id).where(
                    own(debtor_access.c.company_id, self.company_id)
                ),
                debtor_access.c.invoice_id,
                ours,
            )
        }
        new = []
        for x in accesses:  # one an invoice, its first (the unique index holds it too)
            if x.invoice_id in ours and x.invoice_id not in taken:
                taken.add(x.invoice_id)
                new.append(x)
        insert_rows(
            self.connection,
            debtor_access,
            [{**self._row(x), "invoice_id": x.invoice_id} for x in new],
        )
        return [x.invoice_id for x in new if x.invoice_id is not None]

    def invoice_prints(self, invoice_ids: Sequence[int]) -> dict[int, LetterAccess]:
        query = (
            select(
                debtor_access.c.invoice_id,
                debtor_access.c.code_to_print,
                debtor_access.c.pin_to_print,
            )
            .where(own(debtor_access.c.company_id, self.company_id))
            .order_by(debtor_access.c.id)
        )
        found: dict[int, LetterAccess] = {}
        for start in range(0, len(invoice_ids), CHUNK):
            chunk = list(invoice_ids[start : start + CHUNK])
            for r in self.connection.execute(query.where(debtor_access.c.invoice_id.in_(chunk))):
                kept = r.code_to_print is not None and r.pin_to_print is not None
                found[r.invoice_id] = (  # the newest wins
                    LetterAccess("", spaced_code(r.code_to_print), r.pin_to_print)
                    if kept
                    else LetterAccess("", hidden_code())
                )
        return found

    def forget_invoice_pins(self, invoice_ids: Sequence[int]) -> None:
        self._forget_kept(debtor_access.c.invoice_id, invoice_ids)


def _same_owner(other: Any) -> ColumnElement[bool]:
    """`other`'s code belongs to the same case, or the same invoice, as the code looked
    up (a NULL on either side matches nothing)."""
    same: ColumnElement[bool] = (other.c.company_id == debtor_access.c.company_id) & (
        (other.c.case_id == debtor_access.c.case_id)
        | (other.c.invoice_id == debtor_access.c.invoice_id)
    )
    return same


def _access(row: Any) -> StoredAccess:
    return StoredAccess(
        id=row.id,
        company_id=row.company_id,
        case_id=row.owning_case,
        pin_salt=row.pin_salt,
        pin_hash=row.pin_hash,
        failed_attempts=row.failed_attempts,
        locked_until=_aware(row.locked_until),
        # an invoice's code without a case: while the invoice is open
        case_open=row.state != CaseState.CLOSED.value
        if row.owning_case is not None
        else row.open_amount is not None and row.open_amount > 0,
        superseded_at=_aware(row.superseded_at),
        wrong_total=row.wrong_total,
        case_wrong_total=row.case_wrong_total or 0,
        invoice_id=row.invoice_id,
    )


class SqlDebtorAccessLookup:
    """services/ports/debtor_access.py `DebtorAccessLookup`: every company's codes and
    debtor sessions by their hashes (a row names its company: the composite keys keep its
    case the company's), and the tries per client address."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def by_code(
        self, code_hash: str, *, lock: bool = False, dead_at: int = 15
    ) -> StoredAccess | None:
        newer = debtor_access.alias("newer")
        sibling = debtor_access.alias("sibling")
        case_wrong = (
            select(func.sum(sibling.c.wrong_total))
            .where(_same_owner(sibling) & (sibling.c.wrong_total < dead_at))
            .scalar_subquery()
            .label("case_wrong_total")
        )
        superseded = (
            select(func.min(newer.c.issued_at))
            .where(_same_owner(newer) & (newer.c.id > debtor_access.c.id))
            .scalar_subquery()
            .label("superseded_at")
        )
        # an invoice's code leads to the invoice's case once it has one
        owning_case = func.coalesce(debtor_access.c.case_id, case_invoice.c.case_id)
        query = (
            select(
                debtor_access,
                owning_case.label("owning_case"),
                collection_case.c.state,
                invoice.c.open_amount,
                superseded,
                case_wrong,
            )
            .outerjoin(
                case_invoice,
                (case_invoice.c.invoice_id == debtor_access.c.invoice_id)
                & (case_invoice.c.company_id == debtor_access.c.company_id),
            )
            .outerjoin(
                collection_case,
                (collection_case.c.id == owning_case)
                & (collection_case.c.company_id == debtor_access.c.company_id),
            )
            .outerjoin(
                invoice,
                (invoice.c.id == debtor_access.c.invoice_id)
                & (invoice.c.company_id == debtor_access.c.company_id),
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
            .values(
                failed_attempts=failures,
                locked_until=locked,
                wrong_total=debtor_access.c.wrong_total + 1,
            )
        )

    def forget_old(self, issued_before: datetime, tries_before: datetime) -> int:
        closed = (
            select(collection_case.c.id)
            .where(
                (collection_case.c.company_id == debtor_access.c.company_id)
                & (collection_case.c.id == debtor_access.c.case_id)
                & (collection_case.c.state == CaseState.CLOSED.value)
            )
            .exists()
        )
        # an invoice's code (decision 0016): its invoice paid or credited, or its case closed
        invoice_done = (
            select(invoice.c.id)
            .where(
                (invoice.c.company_id == debtor_access.c.company_id)
                & (invoice.c.id == debtor_access.c.invoice_id)
                & (invoice.c.open_amount <= 0)
            )
            .exists()
        )
        invoice_case_closed = (
            select(case_invoice.c.case_id)
            .join(
                collection_case,
                (collection_case.c.id == case_invoice.c.case_id)
                & (collection_case.c.company_id == case_invoice.c.company_id),
            )
            .where(
                (case_invoice.c.company_id == debtor_access.c.company_id)
                & (case_invoice.c.invoice_id == debtor_access.c.invoice_id)
                & (collection_case.c.state == CaseState.CLOSED.value)
            )
            .exists()
        )
        pins = self.connection.execute(
            update(debtor_access)
            .where(
                debtor_access.c.pin_to_print.is_not(None)
                & (
                    (debtor_access.c.issued_at < _stored(self.connection, issued_before))
                    | closed
                    | invoice_done
                    | invoice_case_closed
                )
            )
            .values(pin_to_print=None, code_to_print=None)
        ).rowcount
        tries = self.connection.execute(
            delete(debtor_address_try).where(
                debtor_address_try.c.window_start < _stored(self.connection, tries_before)
            )
        ).rowcount
        return int(pins or 0) + int(tries or 0)

    def end_case_codes(
        self, case_id: int | None, company_id: int, dead_at: int, invoice_id: int | None = None
    ) -> None:
        owner = (
            debtor_access.c.invoice_id == invoice_id
            if invoice_id is not None
            else debtor_access.c.case_id == case_id
        )
        self.connection.execute(
            update(debtor_access)
            .where(
                (debtor_access.c.company_id == company_id)
                & owner
                & (debtor_access.c.wrong_total < dead_at)
            )
            .values(wrong_total=dead_at)
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

    def count_address_failure(self, address_hash: str, now: datetime, window: timedelta) -> None:
        # one statement, so tries from one address at once each count: the first of them
        # inserts the row (the others' lock of it found none), the rest add to it
        moment = _stored(self.connection, now)
        ended = debtor_address_try.c.window_start <= _stored(self.connection, now - window)
        dialect = postgresql if self.connection.dialect.name == "postgresql" else sqlite
        counted = (
            dialect.insert(debtor_address_try)
            .values(address_hash=address_hash, window_start=moment, failures=1)
            .on_conflict_do_update(
                index_elements=[debtor_address_try.c.address_hash],
                set_={
                    "failures": case((ended, 1), else_=debtor_address_try.c.failures + 1),
                    "window_start": case((ended, moment), else_=debtor_address_try.c.window_start),
                },
            )
        )
        self.connection.execute(counted)

    def start_session(
        self, access: StoredAccess, token_hash: str, at: datetime, expires: datetime
    ) -> None:
        self.connection.execute(
            insert(debtor_session).values(
                company_id=access.company_id,
                case_id=access.case_id,
                # an invoice's code before the invoice has a case: the invoice's session
                invoice_id=access.invoice_id if access.case_id is None else None,
                access_id=access.id,
                token_hash=token_hash,
                created_at=_stored(self.connection, at),
                seen_at=_stored(self.connection, at),
                expires_at=_stored(self.connection, expires),
            )
        )

    def open_session(self, token_hash: str, now: datetime) -> OpenDebtorSession | None:
        # an invoice's session becomes its case's as soon as the invoice is in a case
        owning_case = func.coalesce(debtor_session.c.case_id, case_invoice.c.case_id)
        owning_customer = func.coalesce(collection_case.c.customer_id, invoice.c.customer_id)
        row = self.connection.execute(
            select(
                debtor_session.c.company_id,
                owning_case.label("owning_case"),
                debtor_session.c.created_at,
                debtor_session.c.seen_at,
                collection_case.c.number,
                invoice.c.number.label("invoice_number"),
                customer.c.language,
            )
            .outerjoin(
                case_invoice,
                (case_invoice.c.invoice_id == debtor_session.c.invoice_id)
                & (case_invoice.c.company_id == debtor_session.c.company_id),
            )
            .outerjoin(
                collection_case,
                (collection_case.c.id == owning_case)
                & (collection_case.c.company_id == debtor_session.c.company_id),
            )
            .outerjoin(
                invoice,
                (invoice.c.id == debtor_session.c.invoice_id)
                & (invoice.c.company_id == debtor_session.c.company_id),
            )
            .join(
                customer,
                (customer.c.id == owning_customer)
                & (customer.c.company_id == debtor_session.c.company_id),
            )
            .where(
                (debtor_session.c.token_hash == token_hash)
                & debtor_session.c.ended_at.is_(None)
                & (debtor_session.c.expires_at > _stored(self.connection, now))
                & (
                    collection_case.c.id.is_(None)
                    | (collection_case.c.state != CaseState.CLOSED.value)
                )
            )
        ).first()
        if row is None:
            return None
        created, seen = _aware(row.created_at), _aware(row.seen_at)
        assert created is not None and seen is not None
        in_case = row.owning_case is not None
        return OpenDebtorSession(
            row.company_id,
            row.owning_case,
            row.number,
            row.language,
            created,
            seen,
            None if in_case else row.invoice_number,
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
