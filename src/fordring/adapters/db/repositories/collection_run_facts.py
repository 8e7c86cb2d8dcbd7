"""The daily run's reading of open cases as the steps see them (CaseFacts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, type_coerce
from sqlalchemy.orm import aliased

from fordring.adapters.db.chunks import CHUNK, rows_where_in
from fordring.adapters.db.repositories.collection_run_rows import case_status, case_with_number
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import (
    case_invoice,
    case_letter,
    case_letter_invoice,
    charge,
    collection_case,
    customer,
    invoice,
    payment_plan,
    posting,
    voucher,
)
from fordring.adapters.db.types import MoneyType
from fordring.domain.collection.case_facts import (
    LAW_LETTER_KIND,
    CaseFacts,
    ChargeKind,
    Claim,
    SentLetter,
)
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseState
from fordring.domain.customers import CustomerKind
from fordring.domain.law.fees import EarlierLetter
from fordring.domain.ledger import RECEIVABLES
from fordring.services.ports.day_parts import Customers


class RunFactsReads:
    """Case facts for the steps; mixed into SqlCollectionRun."""

    connection: Connection
    company_id: int
    own_cases: set[int]

    def open_case_facts(self, day: date, customers: Customers | None = None) -> list[CaseFacts]:
        """The open cases something can happen to on `day` (wake_on <= day), as the steps
        see them: a few queries over those cases only, whatever the number of open cases;
        of the `customers` only, when given (a chunk of the day).

        On PostgreSQL their rows are locked first, in id order, until the day commits: a
        person's action on one of them waits and then sees what the run did, and the run
        reads what a person did before it, so neither overwrites the other."""
        company_id = self.company_id
        woken = (
            (collection_case.c.company_id == company_id)
            & (collection_case.c.wake_on <= day)
            & (collection_case.c.state != CaseState.CLOSED.value)
        )
        if customers is not None:
            woken = woken & (collection_case.c.customer_id > customers.after)
            if customers.up_to is not None:
                woken = woken & (collection_case.c.customer_id <= customers.up_to)
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(
                select(collection_case.c.id)
                .where(woken)
                .order_by(collection_case.c.id)
                .with_for_update(key_share=True)
            ).all()
        return self._facts(woken, day)

    def every_open_case_facts(self, day: date) -> list[CaseFacts]:
        company_id = self.company_id
        return self._facts(
            (collection_case.c.company_id == company_id)
            & (collection_case.c.state != CaseState.CLOSED.value),
            day,
        )

    def case_facts(self, number: int, day: date) -> CaseFacts | None:
        company_id = self.company_id
        found = self._facts(
            case_with_number(company_id, number),
            day,
        )
        return found[0] if found else None

    def facts_of(self, case_ids: Sequence[int], day: date) -> dict[int, CaseFacts]:
        """The steps' view of these cases on `day` (what a payment to them must know)."""
        wanted = sorted(set(case_ids))
        found: dict[int, CaseFacts] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found.update(
                (f.case_id, f)
                for f in self._facts(
                    collection_case.c.id.in_(chunk)
                    & own(collection_case.c.company_id, self.company_id),
                    day,
                )
            )
        return found

    def _facts(self, woken: Any, day: date) -> list[CaseFacts]:
        cases = self.connection.execute(
            select(collection_case, customer.c.kind.label("customer_kind"))
            .join(customer, customer.c.id == collection_case.c.customer_id)
            .where(woken)
            .order_by(collection_case.c.id)
        ).all()
        if not cases:
            return []
        self.own_cases.update(row.id for row in cases)  # read under the company's condition
        open_ids = select(collection_case.c.id).where(woken)
        claims = self.connection.execute(
            select(
                case_invoice.c.case_id,
                invoice.c.id,
                invoice.c.due_date,
                invoice.c.open_amount,
                invoice.c.total_nok,
                case_invoice.c.limitation_interrupted_on,
            )
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where(case_invoice.c.case_id.in_(open_ids))
            .order_by(case_invoice.c.case_id, invoice.c.id)
        ).all()
        letters = self.connection.execute(
            select(
                case_letter.c.case_id,
                case_letter.c.id,
                case_letter.c.kind,
                case_letter.c.letter_date,
                case_letter.c.deadline,
            )
            .where(case_letter.c.case_id.in_(open_ids))
            .order_by(case_letter.c.letter_date, case_letter.c.id)
        ).all()
        # With the letters of the cases merged into these (issue 12): a claim merged in keeps
        # the history of its own letters.
        letter_cases = open_ids.union(
            select(collection_case.c.id).where(collection_case.c.merged_into.in_(open_ids))
        )
        law_letters = self.connection.execute(
            select(
                case_letter_invoice.c.letter_id,
                case_letter_invoice.c.invoice_id,
                case_letter_invoice.c.fee,
                case_letter.c.kind,
                case_letter.c.letter_date,
                case_letter.c.deadline,
            )
            .join(case_letter, case_letter.c.id == case_letter_invoice.c.letter_id)
            .where(case_letter.c.case_id.in_(letter_cases))
        ).all()
        charges = self.connection.execute(
            select(
                charge.c.case_id,
                charge.c.kind,
                type_coerce(func.sum(charge.c.amount), MoneyType()).label("amount"),
                type_coerce(func.sum(charge.c.open_amount), MoneyType()).label("open"),
            )
            .where(charge.c.case_id.in_(open_ids))
            .group_by(charge.c.case_id, charge.c.kind)
        ).all()
        # Charges paid after `day` (a replay of past days): still open that day.
        later_paid = self.connection.execute(
            select(
                charge.c.case_id,
                voucher.c.date,
                type_coerce(-func.sum(posting.c.amount), MoneyType()).label("amount"),
            )
            .join(posting, posting.c.charge_id == charge.c.id)
            .join(voucher, voucher.c.id == posting.c.voucher_id)
            .where(
                charge.c.case_id.in_(open_ids)
                & (posting.c.account == RECEIVABLES)
                & (posting.c.amount < 0)
                & (voucher.c.date > day)
            )
            .group_by(charge.c.case_id, voucher.c.date)
        ).all()
        credited_invoice = aliased(invoice)
        credited = self.connection.execute(
            select(case_invoice.c.case_id)
            .join(
                credited_invoice, credited_invoice.c.credits_invoice_id == case_invoice.c.invoice_id
            )
            .where(case_invoice.c.case_id.in_(open_ids))
            .distinct()
        ).all()
        # A plan of the case broke (by `day`): no heavy salær unless the agreement says so.
        broken = {
            row.case_id
            for row in self.connection.execute(
                select(payment_plan.c.case_id)
                .where(
                    payment_plan.c.case_id.in_(open_ids)
                    & (payment_plan.c.state == "broken")
                    & (payment_plan.c.ended_on <= day)
                )
                .distinct()
            )
        }
        reduced = [c.id for c in claims if c.open_amount != c.total_nok]
        reductions = self._reductions(reduced)
        by_invoice: dict[int, list[EarlierLetter]] = {}
        for row in sorted(law_letters, key=lambda r: (r.letter_date, r.letter_id)):
            law_kind = LAW_LETTER_KIND.get(LetterKind(row.kind))
            if law_kind is not None and row.deadline is not None:
                by_invoice.setdefault(row.invoice_id, []).append(
                    EarlierLetter(law_kind, row.letter_date, row.deadline, row.fee > 0)
                )
        case_letters: dict[int, list[SentLetter]] = {}
        for x in letters:
            case_letters.setdefault(x.case_id, []).append(
                SentLetter(LetterKind(x.kind), x.letter_date, x.deadline)
            )
        claims_by_case: dict[int, list[Claim]] = {}
        changes_on: dict[int, date] = {}
        for claim in claims:
            # A payment dated after `day` (a replay of past days) is not there yet.
            paid = reductions.get(claim.id, ())
            later = [(d, amount) for d, amount in paid if d > day]
            if later:
                first = min(d for d, _ in later)
                changes_on[claim.case_id] = min(changes_on.get(claim.case_id, first), first)
            claims_by_case.setdefault(claim.case_id, []).append(
                Claim(
                    claim.id,
                    claim.due_date,
                    claim.open_amount + sum((amount for _, amount in later), Decimal(0)),
                    tuple(by_invoice.get(claim.id, ())),
                    tuple((d, amount) for d, amount in paid if d <= day),
                    claim.limitation_interrupted_on,
                )
            )
        open_charges: dict[int, Decimal] = {}
        charged: dict[int, list[tuple[ChargeKind, Decimal]]] = {}
        for row in charges:
            open_charges[row.case_id] = open_charges.get(row.case_id, Decimal(0)) + row.open
            charged.setdefault(row.case_id, []).append((ChargeKind(row.kind), row.amount))
        for row in later_paid:
            paid_on = row.date if isinstance(row.date, date) else date.fromisoformat(row.date)
            open_charges[row.case_id] = open_charges.get(row.case_id, Decimal(0)) + row.amount
            changes_on[row.case_id] = min(changes_on.get(row.case_id, paid_on), paid_on)
        credited_cases = {row.case_id for row in credited}
        return [
            CaseFacts(
                case_id=row.id,
                status=case_status(row),
                claims=tuple(claims_by_case.get(row.id, ())),
                charges_open=open_charges.get(row.id, Decimal(0)),
                credited=row.id in credited_cases,
                list_sent_on=row.list_sent_on,
                approved_on=row.approved_on,
                business=row.customer_kind == CustomerKind.BUSINESS.value,
                letters=tuple(case_letters.get(row.id, ())),
                charged=tuple(charged.get(row.id, ())),
                changes_on=changes_on.get(row.id),
                held_reason=row.held_reason,
                collector_name=row.collector_name,
                steps_held_until=row.steps_held_until,
                plan_broken=row.id in broken,
            )
            for row in cases
        ]

    def _reductions(
        self, invoice_ids: Sequence[int]
    ) -> dict[int, tuple[tuple[date, Decimal], ...]]:
        """Per invoice, what payments and credit notes took off it, per day (for interest)."""
        rows = rows_where_in(
            self.connection,
            select(
                posting.c.invoice_id,
                voucher.c.date,
                type_coerce(-func.sum(posting.c.amount), MoneyType()).label("amount"),
            )
            .join(voucher, voucher.c.id == posting.c.voucher_id)
            .where((posting.c.account == RECEIVABLES) & (posting.c.amount < 0))
            .group_by(posting.c.invoice_id, voucher.c.date)
            .order_by(posting.c.invoice_id, voucher.c.date),
            posting.c.invoice_id,
            invoice_ids,
        )
        found: dict[int, list[tuple[date, Decimal]]] = {}
        for r in rows:
            day = r.date if isinstance(r.date, date) else date.fromisoformat(r.date)
            found.setdefault(r.invoice_id, []).append((day, r.amount))
        return {invoice_id: tuple(days) for invoice_id, days in found.items()}
