"""Collectors, the creditors they serve, case KIDs unique per client account, and the
collector's bank files and queue (issue 13)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from fordring.adapters.db.scoping import owned_ids
from fordring.adapters.db.tables import (
    client_account,
    client_kid,
    client_payment,
    collection_case,
    collector,
    collector_bank_file,
    collector_creditor,
    company,
    company_kid,
)
from fordring.domain.collector import Collector, ServedCreditor
from fordring.domain.errors import NotFound
from fordring.services.collector_ports import ClientBankFile, ClientPayment

KID_CHUNK = 5_000  # KIDs per IN (...) lookup, within every database's parameter limit


class SqlClientKids:
    """The scope's company's side of the collector (the scoped unit of work's
    `client_kids`): who serves it, and claiming its new cases' KIDs there."""

    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def served(self) -> tuple[int, int] | None:
        return SqlCollectors(self.connection).served_by(self.company_id)

    def register(self, kids: Sequence[tuple[str, int]]) -> None:
        wanted = {c for _, c in kids}
        own_cases = owned_ids(self.connection, collection_case, wanted, self.company_id)
        if wanted - own_cases:
            raise NotFound("case", min(wanted - own_cases))
        served = self.served()
        if served is not None:  # a company no collector serves claims nothing
            SqlCollectors(self.connection).register_kids(served[0], self.company_id, kids)


class SqlCollectors:
    """Collectors across their creditors: on the unscoped unit of work only."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, found: Collector) -> int:
        new_id = int(
            self.connection.execute(
                insert(collector)
                .values(
                    orgnr=found.orgnr,
                    name=found.name,
                    licence=found.licence,
                    street=found.street,
                    postcode=found.postcode,
                    city=found.city,
                    phone=found.phone,
                    email=found.email,
                )
                .returning(collector.c.id)
            ).scalar_one()
        )
        self.connection.execute(
            insert(client_account),
            [
                {"account": a, "collector_id": new_id, "position": n}
                for n, a in enumerate(found.accounts)
            ],
        )
        return new_id

    def by_orgnr(self, orgnr: str) -> Collector | None:
        found = self._collectors(collector.c.orgnr == orgnr)
        return found[0] if found else None

    def all(self) -> list[Collector]:
        return self._collectors(None)

    def _collectors(self, condition: Any) -> list[Collector]:
        query = select(collector).order_by(collector.c.orgnr)
        if condition is not None:
            query = query.where(condition)
        rows = self.connection.execute(query).mappings().all()
        if not rows:
            return []
        accounts: dict[int, list[str]] = {}
        for a in self.connection.execute(
            select(client_account.c.collector_id, client_account.c.account)
            .where(client_account.c.collector_id.in_([r["id"] for r in rows]))
            .order_by(client_account.c.position)
        ):
            accounts.setdefault(a.collector_id, []).append(a.account)
        names = ("orgnr", "name", "licence", "street", "postcode", "city", "phone", "email")
        return [
            Collector(
                **{n: r[n] for n in names}, accounts=tuple(accounts.get(r["id"], ())), id=r["id"]
            )
            for r in rows
        ]

    def account_owner(self, accounts: Collection[str]) -> dict[str, str]:
        rows = self.connection.execute(
            select(client_account.c.account, collector.c.orgnr)
            .join(collector, collector.c.id == client_account.c.collector_id)
            .where(client_account.c.account.in_(list(accounts)))
        )
        return {r.account: r.orgnr for r in rows}

    def creditors(self, collector_id: int) -> list[ServedCreditor]:
        rows = self.connection.execute(
            select(
                collector_creditor.c.company_id,
                company.c.orgnr,
                company.c.name,
                collector_creditor.c.number,
                collector_creditor.c.stopped_on,
            )
            .join(company, company.c.id == collector_creditor.c.company_id)
            .where(collector_creditor.c.collector_id == collector_id)
            .order_by(collector_creditor.c.number)
        )
        return [ServedCreditor(r.company_id, r.orgnr, r.name, r.number, r.stopped_on) for r in rows]

    def served_by(self, company_id: int) -> tuple[int, int] | None:
        found = self.membership(company_id)
        return (found[0], found[1]) if found is not None and found[2] is None else None

    def membership(self, company_id: int) -> tuple[int, int, date | None] | None:
        row = self.connection.execute(
            select(
                collector_creditor.c.collector_id,
                collector_creditor.c.number,
                collector_creditor.c.stopped_on,
            ).where(collector_creditor.c.company_id == company_id)
        ).first()
        return (row.collector_id, row.number, row.stopped_on) if row is not None else None

    def lock_creditors(self, collector_id: int, *, company_id: int | None = None) -> None:
        query = select(collector_creditor.c.company_id).where(
            collector_creditor.c.collector_id == collector_id
        )
        if company_id is not None:
            query = query.where(collector_creditor.c.company_id == company_id)
        self.connection.execute(query.with_for_update(read=company_id is None)).all()

    def stop(self, collector_id: int, company_id: int, on: date) -> bool:
        done = self.connection.execute(
            update(collector_creditor)
            .where(
                (collector_creditor.c.collector_id == collector_id)
                & (collector_creditor.c.company_id == company_id)
                & collector_creditor.c.stopped_on.is_(None)
            )
            .values(stopped_on=on)
        )
        if done.rowcount != 1:
            return False
        self.connection.execute(
            delete(client_kid).where(
                (client_kid.c.collector_id == collector_id)
                & (client_kid.c.company_id == company_id)
            )
        )
        return True

    def serve(self, collector_id: int, company_id: int, since: date) -> int:
        again = self.connection.execute(
            update(collector_creditor)
            .where(
                (collector_creditor.c.collector_id == collector_id)
                & (collector_creditor.c.company_id == company_id)
                & collector_creditor.c.stopped_on.is_not(None)
            )
            .values(since=since, stopped_on=None)
            .returning(collector_creditor.c.number)
        ).first()
        if again is not None:  # served again: the same number, its case KIDs carry it
            return int(again.number)
        last = self.connection.execute(
            select(func.max(collector_creditor.c.number)).where(
                collector_creditor.c.collector_id == collector_id
            )
        ).scalar_one()
        number = int(last or 0) + 1
        self.connection.execute(
            insert(collector_creditor).values(
                company_id=company_id, collector_id=collector_id, number=number, since=since
            )
        )
        return number

    def open_case_kids(self, company_id: int) -> list[tuple[str, int]]:
        rows = self.connection.execute(
            select(collection_case.c.kid, collection_case.c.id)
            .where(
                (collection_case.c.company_id == company_id) & (collection_case.c.state != "closed")
            )
            .order_by(collection_case.c.id)
        )
        return [(r.kid, r.id) for r in rows]

    def invoice_kids(self, company_id: int, prefix: str, length: int) -> list[str]:
        rows = self.connection.execute(
            select(company_kid.c.kid)
            .where(
                (company_kid.c.company_id == company_id)
                & company_kid.c.invoice_id.is_not(None)
                & company_kid.c.kid.startswith(prefix, autoescape=True)
                & (func.length(company_kid.c.kid) == length)
            )
            .order_by(company_kid.c.kid)
        )
        return [str(r.kid) for r in rows]

    def register_kids(
        self, collector_id: int, company_id: int, kids: Sequence[tuple[str, int]]
    ) -> None:
        if kids:
            self.connection.execute(
                insert(client_kid),
                [
                    {"collector_id": collector_id, "kid": k, "company_id": company_id, "case_id": c}
                    for k, c in kids
                ],
            )

    def taken_kids(self, collector_id: int, kids: Collection[str]) -> dict[str, int]:
        wanted = sorted(kids)
        found: dict[str, int] = {}
        for start in range(0, len(wanted), KID_CHUNK):
            rows = self.connection.execute(
                select(client_kid.c.kid, client_kid.c.company_id).where(
                    (client_kid.c.collector_id == collector_id)
                    & client_kid.c.kid.in_(wanted[start : start + KID_CHUNK])
                )
            )
            found.update({r.kid: r.company_id for r in rows})
        return found

    def find_bank_file(
        self, collector_id: int, sha256: str, format: str, file_id: str
    ) -> ClientBankFile | None:
        row = self.connection.execute(
            select(collector_bank_file).where(
                (collector_bank_file.c.collector_id == collector_id)
                & (
                    (collector_bank_file.c.sha256 == sha256)
                    | (
                        (collector_bank_file.c.format == format)
                        & (collector_bank_file.c.file_id == file_id)
                    )
                )
            )
        ).first()
        if row is None:
            return None
        return ClientBankFile(
            row.format, row.file_id, row.filename, row.imported_on, row.transactions
        )

    def add_bank_file(
        self, collector_id: int, file: ClientBankFile, sha256: str, total: Decimal
    ) -> int:
        return int(
            self.connection.execute(
                insert(collector_bank_file)
                .values(
                    collector_id=collector_id,
                    format=file.format,
                    file_id=file.file_id,
                    sha256=sha256,
                    filename=file.filename,
                    imported_on=file.imported_on,
                    transactions=file.transactions,
                    total=total,
                )
                .returning(collector_bank_file.c.id)
            ).scalar_one()
        )

    def queue(
        self, collector_id: int, bank_file_id: int, payments: Sequence[ClientPayment]
    ) -> None:
        if not payments:
            return
        last = self.connection.execute(
            select(func.max(client_payment.c.number)).where(
                client_payment.c.collector_id == collector_id
            )
        ).scalar_one()
        first = int(last or 0) + 1
        self.connection.execute(
            insert(client_payment),
            [
                {
                    "collector_id": collector_id,
                    "number": first + n,
                    "bank_file_id": bank_file_id,
                    "account": p.account,
                    "place": p.place,
                    "received_on": p.received_on,
                    "amount": p.amount,
                    "kid": p.kid,
                    "text": p.text,
                    "payer_name": p.payer_name,
                    "payer_account": p.payer_account,
                    "archive_ref": p.archive_ref,
                    "status": "queued",
                }
                for n, p in enumerate(payments)
            ],
        )

    def queued(self, collector_id: int, *, everything: bool = False) -> list[ClientPayment]:
        condition = client_payment.c.collector_id == collector_id
        if not everything:
            condition = condition & (client_payment.c.status == "queued")
        return self._payments(condition)

    def queued_one(self, collector_id: int, number: int) -> ClientPayment | None:
        found = self._payments(
            (client_payment.c.collector_id == collector_id) & (client_payment.c.number == number)
        )
        return found[0] if found else None

    def _payments(self, condition: Any) -> list[ClientPayment]:
        rows = self.connection.execute(
            select(client_payment).where(condition).order_by(client_payment.c.number)
        ).mappings()
        names = [
            "number",
            "account",
            "place",
            "received_on",
            "amount",
            "kid",
            "text",
            "payer_name",
            "payer_account",
            "archive_ref",
            "status",
            "company_id",
            "payment_id",
            "assigned_on",
            "id",
        ]
        return [ClientPayment(**{n: r[n] for n in names}) for r in rows]

    def assign(self, payment_id: int, company_id: int, booked_as: int, on: date) -> bool:
        done = self.connection.execute(
            update(client_payment)
            .where((client_payment.c.id == payment_id) & (client_payment.c.status == "queued"))
            .values(status="assigned", company_id=company_id, payment_id=booked_as, assigned_on=on)
        )
        return done.rowcount == 1
