"""The daily run's reads and writes, combined from mixins by concern; letters, charges,
the run log and hand-over lists are written here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, text, update

from fordring.adapters import clock
from fordring.adapters.db.chunks import array_text
from fordring.adapters.db.letter_codec import encode_letter
from fordring.adapters.db.repositories.collection_run_details import RunDetailsReads
from fordring.adapters.db.repositories.collection_run_facts import RunFactsReads
from fordring.adapters.db.repositories.collection_run_rows import case_status, payload_json
from fordring.adapters.db.repositories.collection_run_status import RunStatusWrites
from fordring.adapters.db.repositories.companies import reserve_ids
from fordring.adapters.db.rows_at_once import insert_rows
from fordring.adapters.db.run_lock import lock_for_run
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import (
    case_invoice,
    case_letter,
    case_letter_invoice,
    charge,
    collection_case,
    customer,
    invoice,
    run_log,
)
from fordring.domain.collection.case_facts import NOW
from fordring.domain.collection.letters import LetterKind, ListedCase
from fordring.domain.collection.states import CaseState
from fordring.services.ports import NewCharge, NewLetter

__all__ = ["SqlCollectionRun", "case_status", "payload_json"]


# A letter has no company column: it is the company's when its case is.
_MARK_RENDERED = text(
    "UPDATE case_letter SET location = v.location, sha256 = v.digest "
    "FROM unnest(CAST(:ids AS INTEGER[]), CAST(:locations AS VARCHAR[]),"
    " CAST(:digests AS VARCHAR[])) AS v(id, location, digest) "
    "WHERE case_letter.id = v.id AND case_letter.case_id IN "
    "(SELECT id FROM collection_case WHERE company_id = :company)"
)


class SqlCollectionRun(RunStatusWrites, RunFactsReads, RunDetailsReads):
    """The daily run's reads and writes; mixed into SqlCollection."""

    connection: Connection
    company_id: int

    def reserve_ids(self, name: str, count: int) -> int:
        return reserve_ids(self.connection, name, count)

    def add_letters(self, letters: Sequence[tuple[int, NewLetter]]) -> None:
        ours = self.owned_cases(x.case_id for _, x in letters)
        letters = [(i, x) for i, x in letters if x.case_id in ours]
        if not letters:
            return
        insert_rows(
            self.connection,
            case_letter,
            [
                {
                    "id": letter_id,
                    "case_id": x.case_id,
                    "kind": x.letter.kind.value,
                    "letter_date": x.letter.letter_date,
                    "deadline": x.letter.deadline,
                    "language": x.letter.language.value,
                    "fee_total": x.charge_total,  # the column keeps its first name
                    "total": x.letter.total,
                    "location": "",
                    "sha256": "",
                    "content": encode_letter(x.letter),
                }
                for letter_id, x in letters
            ],
        )
        fee_rows = [(letter_id, x) for letter_id, x in letters if x.fees]
        if not fee_rows:
            return
        insert_rows(
            self.connection,
            case_letter_invoice,
            [
                {"letter_id": letter_id, "invoice_id": invoice_id, "fee": fee, "fee_reason": why}
                for letter_id, x in fee_rows
                for invoice_id, fee, why in x.fees
            ],
        )

    def mark_rendered(self, rendered: Sequence[tuple[int, str, str]]) -> None:
        """Where each letter's PDF is kept and its sha256 (the company's letters only)."""
        if rendered and self.connection.dialect.name == "postgresql":
            self.connection.execute(  # one statement, not one a letter (rows_at_once.py)
                _MARK_RENDERED,
                {
                    "ids": array_text(i for i, _, _ in rendered),
                    "locations": array_text(loc for _, loc, _ in rendered),
                    "digests": array_text(sha for _, _, sha in rendered),
                    "company": self.company_id,
                },
            )
        elif rendered:
            self.connection.execute(
                update(case_letter)
                .where(
                    (case_letter.c.id == bindparam("letter"))
                    & case_letter.c.case_id.in_(
                        select(collection_case.c.id).where(
                            (collection_case.c.id == case_letter.c.case_id)
                            & own(collection_case.c.company_id, self.company_id)
                        )
                    )
                )
                .values(location=bindparam("where"), sha256=bindparam("digest")),
                [{"letter": i, "where": loc, "digest": sha} for i, loc, sha in rendered],
            )

    def add_charges(self, charges: Sequence[NewCharge]) -> None:
        company_id = self.company_id
        ours = self.owned_cases(c.case_id for c in charges)
        charges = [c for c in charges if c.case_id in ours]
        if not charges:
            return
        insert_rows(
            self.connection,
            charge,
            [
                {
                    "id": c.id,
                    "company_id": company_id,
                    "case_id": c.case_id,
                    "invoice_id": c.invoice_id,
                    "kind": c.kind,
                    "amount": c.amount,
                    "open_amount": c.amount,
                    "charged_on": c.day,
                    "letter_id": c.letter_id,
                    "voucher_id": c.voucher_id,
                }
                for c in charges
            ],
        )

    def lock_runs(self) -> None:
        lock_for_run(self.connection, self.company_id)

    def last_run(self) -> date | None:
        company_id = self.company_id
        found = self.connection.execute(
            select(func.max(run_log.c.day)).where(run_log.c.company_id == company_id)
        ).scalar_one()
        return found if found is None or isinstance(found, date) else date.fromisoformat(found)

    def record_run(self, day: date) -> None:
        company_id = self.company_id
        self.connection.execute(
            insert(run_log).values(
                company_id=company_id,
                day=day,
                ran_at=clock.now_in_oslo().isoformat(timespec="seconds"),
            )
        )

    def listed_cases(
        self, *, unsent_only: bool, after: int | None = None, limit: int | None = None
    ) -> list[tuple[int, ListedCase, date | None]]:
        """Cases on the collection list: (case id, the list line, the day the list went)."""
        company_id = self.company_id
        condition = (collection_case.c.company_id == company_id) & (
            collection_case.c.state == CaseState.LISTED.value
        )
        if unsent_only:
            condition = condition & collection_case.c.list_sent_on.is_(None)
        if after is not None:
            condition = condition & (collection_case.c.number > after)
        if limit is not None:
            condition = condition & collection_case.c.id.in_(self._listed_page(condition, limit))
        notices = (
            select(
                case_letter.c.case_id,
                func.max(case_letter.c.letter_date).label("sent"),
                func.max(case_letter.c.deadline).label("deadline"),
            )
            .where(case_letter.c.kind == LetterKind.COLLECTION_NOTICE.value)
            .group_by(case_letter.c.case_id)
            .subquery()
        )
        rows = self.connection.execute(
            select(
                collection_case.c.id,
                collection_case.c.number,
                collection_case.c.list_sent_on,
                customer.c.name,
                invoice.c.number.label("invoice_number"),
                invoice.c.total_nok,
                invoice.c.open_amount,
                notices.c.sent,
                notices.c.deadline,
            )
            .join(customer, customer.c.id == collection_case.c.customer_id)
            .join(case_invoice, case_invoice.c.case_id == collection_case.c.id)
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .join(notices, notices.c.case_id == collection_case.c.id)
            .where(condition)
            .order_by(collection_case.c.number, invoice.c.number)
        ).all()
        result: list[tuple[int, ListedCase, date | None]] = []
        for _, group in groupby(rows, key=lambda r: r.id):
            lines = list(group)
            head = lines[0]
            if sum((r.open_amount for r in lines), Decimal(0)) <= 0:
                continue  # no principal left: nothing to hand over (fees wait for the debtor)
            result.append(
                (
                    head.id,
                    ListedCase(
                        case_number=str(head.number),
                        debtor=head.name,
                        invoice_numbers=tuple(r.invoice_number for r in lines),
                        principal=sum((r.total_nok for r in lines), Decimal(0)),
                        remaining=sum((r.open_amount for r in lines), Decimal(0)),
                        notice_date=head.sent,
                        deadline=head.deadline,
                    ),
                    head.list_sent_on,
                )
            )
        return result

    def _listed_page(self, condition: Any, limit: int) -> Any:
        """The ids of the first `limit` cases by number that `listed_cases` shows (a notice
        sent, principal left), so a page is never short of cases that come after it."""
        noticed = (
            select(case_letter.c.case_id)
            .where(
                (case_letter.c.case_id == collection_case.c.id)
                & (case_letter.c.kind == LetterKind.COLLECTION_NOTICE.value)
            )
            .exists()
        )
        return (
            select(collection_case.c.id)
            .join(case_invoice, case_invoice.c.case_id == collection_case.c.id)
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where(condition & noticed)
            .group_by(collection_case.c.id, collection_case.c.number)
            .having(func.sum(invoice.c.open_amount) > 0)
            .order_by(collection_case.c.number)
            .limit(limit)
        )

    def mark_list_sent(self, case_ids: Sequence[int], day: date) -> None:
        if case_ids:
            self.connection.execute(
                update(collection_case)
                .where(
                    collection_case.c.id.in_(list(case_ids))
                    & own(collection_case.c.company_id, self.company_id)
                )
                .values(list_sent_on=day, wake_on=NOW)
            )
