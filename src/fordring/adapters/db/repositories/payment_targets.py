"""What a payment can be matched to and pay: cases and invoices by KID or number, the open
items and cases behind a batch's matches, and candidates for matching by hand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import cast

from sqlalchemy import Connection, func, select, type_coerce

from fordring.adapters.db.chunks import rows_where_any, rows_where_in
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import case_invoice, charge, collection_case, customer, invoice
from fordring.adapters.db.types import MoneyType
from fordring.domain.collection.states import CaseState
from fordring.services.ports import CaseItem, ChargeItem, InvoiceItem, PaymentLookup


class SqlPaymentTargets:
    """Matching lookups; mixed into SqlPayments."""

    connection: Connection
    company_id: int

    def targets_by_kid(self, kids: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
        company_id = self.company_id
        wanted = list(kids)
        cases = rows_where_any(
            self.connection,
            # A merged case's KID pays the case it was merged into (issue 12).
            select(
                collection_case.c.kid,
                func.coalesce(collection_case.c.merged_into, collection_case.c.id).label("id"),
            ).where(collection_case.c.company_id == company_id),
            collection_case.c.kid,
            wanted,
        )
        invoices = rows_where_any(
            self.connection,
            select(invoice.c.kid, invoice.c.id).where(
                (invoice.c.company_id == company_id) & (invoice.c.kind == "invoice")
            ),
            invoice.c.kid,
            wanted,
        )
        return {r.kid: r.id for r in cases}, {r.kid: r.id for r in invoices}

    def open_invoices_by_number(self, numbers: Iterable[int]) -> dict[int, int]:
        company_id = self.company_id
        rows = rows_where_any(
            self.connection,
            select(invoice.c.number, invoice.c.id).where(
                (invoice.c.company_id == company_id)
                & (invoice.c.kind == "invoice")
                & (
                    (invoice.c.open_amount > 0)
                    # paid, but fees or interest charged on it are open
                    | invoice.c.id.in_(
                        select(charge.c.invoice_id).where(
                            (charge.c.company_id == company_id) & (charge.c.open_amount > 0)
                        )
                    )
                )
            ),
            invoice.c.number,
            numbers,
        )
        return {r.number: r.id for r in rows}

    def lookup(self, case_ids: Iterable[int], invoice_ids: Iterable[int]) -> PaymentLookup:
        wanted_invoices = set(invoice_ids)
        named_cases = set(case_ids)
        case_rows = rows_where_any(
            self.connection,
            select(case_invoice.c.case_id, case_invoice.c.invoice_id),
            case_invoice.c.invoice_id,
            wanted_invoices,
        )
        wanted_cases = named_cases | {r.case_id for r in case_rows}
        members = rows_where_any(
            self.connection,
            select(case_invoice.c.case_id, case_invoice.c.invoice_id),
            case_invoice.c.case_id,
            wanted_cases,
        )
        wanted_invoices |= {r.invoice_id for r in members}
        in_case = {r.invoice_id: r.case_id for r in members}
        invoices = rows_where_any(
            self.connection,
            select(
                invoice.c.id,
                invoice.c.number,
                invoice.c.customer_id,
                customer.c.name,
                invoice.c.open_amount,
                invoice.c.due_date,
            )
            .join(customer, customer.c.id == invoice.c.customer_id)
            .where(own(invoice.c.company_id, self.company_id)),
            invoice.c.id,
            wanted_invoices,
        )
        cases = rows_where_any(
            self.connection,
            select(
                collection_case.c.id,
                collection_case.c.number,
                collection_case.c.customer_id,
                collection_case.c.state,
            ).where(own(collection_case.c.company_id, self.company_id)),
            collection_case.c.id,
            wanted_cases,
        )
        charges = rows_where_any(
            self.connection,
            select(
                charge.c.id,
                charge.c.case_id,
                charge.c.invoice_id,
                charge.c.kind,
                charge.c.amount,
                charge.c.open_amount,
                charge.c.charged_on,
            ).where(own(charge.c.company_id, self.company_id)),
            charge.c.case_id,
            wanted_cases,
        )
        invoices_of: dict[int, list[int]] = {}
        for r in sorted(members, key=lambda r: r.invoice_id):
            invoices_of.setdefault(r.case_id, []).append(r.invoice_id)
        interest: dict[int, Decimal] = {}
        for c in charges:
            if c.kind == "interest":
                interest[c.invoice_id] = interest.get(c.invoice_id, Decimal(0)) + c.amount
        return PaymentLookup(
            invoices={  # unpacked: a row's attributes by name cost twice as much
                id_: InvoiceItem(id_, number, customer_id, name, open_amount, due, in_case.get(id_))
                for id_, number, customer_id, name, open_amount, due in cast(
                    "list[tuple[int, int, int, str, Decimal, date]]", invoices
                )
            },
            cases={
                r.id: CaseItem(
                    r.id, r.number, r.customer_id, r.state, tuple(invoices_of.get(r.id, ()))
                )
                for r in cases
                if r.state != CaseState.CLOSED.value or r.id in named_cases
            },
            charges=tuple(
                ChargeItem(c.id, c.case_id, c.invoice_id, c.kind, c.open_amount, c.charged_on)
                for c in charges
                if c.open_amount != 0
            ),
            interest_charged=interest,
        )

    def candidates(
        self, amounts: Iterable[Decimal], words: Iterable[str]
    ) -> list[tuple[str, str, Decimal]]:
        """Open invoices owing one of `amounts` or of a customer whose name has one of
        `words`, and open cases owing one of `amounts`: (label, customer name, owed).

        In steps whose plans hold under row-level security (the tenant role cannot use an
        index on the amount: `numeric = ANY` is not leakproof): the invoices of the
        amounts, then their customers' names; the customers named by a word, then their
        open invoices; the cases of the amounts' invoices summed, and the open cases of
        several invoices owing one of the amounts summed and picked in one statement."""
        company_id = self.company_id
        wanted = sorted(set(amounts))
        open_invoice = (
            (invoice.c.company_id == company_id)
            & (invoice.c.kind == "invoice")
            & (invoice.c.open_amount > 0)
        )
        by_amount = rows_where_in(
            self.connection,
            select(
                invoice.c.id, invoice.c.number, invoice.c.customer_id, invoice.c.open_amount
            ).where(open_invoice),
            invoice.c.open_amount,
            wanted,
        )
        names = {
            r.id: r.name
            for r in rows_where_in(
                self.connection,
                select(customer.c.id, customer.c.name).where(customer.c.company_id == company_id),
                customer.c.id,
                {r.customer_id for r in by_amount},
            )
        }
        found = [(f"invoice {r.number}", names[r.customer_id], r.open_amount) for r in by_amount]
        # By name: the customers whose name has the word (20 a word, the company's
        # customers only), then those customers' open invoices by ix_invoice_customer_id;
        # a word that names nobody costs one look at the customers, never a walk of the
        # invoices hoping to fill the LIMIT.
        searched = sorted(set(words))[:10]
        named: dict[int, str] = {}
        for word in searched:
            named |= {
                r.id: r.name
                for r in self.connection.execute(
                    select(customer.c.id, customer.c.name)
                    .where(
                        (customer.c.company_id == company_id)
                        & func.lower(customer.c.name).contains(word)
                    )
                    .limit(20)
                )
            }
        if named:
            found += [
                (f"invoice {r.number}", named[r.customer_id], r.open_amount)
                for r in self.connection.execute(
                    select(invoice.c.number, invoice.c.customer_id, invoice.c.open_amount)
                    .where(open_invoice & invoice.c.customer_id.in_(sorted(named)))
                    .limit(20 * len(searched))
                )
            ]
        if not wanted:
            return list(dict.fromkeys(found))
        # A case owes the sum of its invoices' open amounts: a case of one invoice owes one
        # of `amounts` only if that invoice does (its cases by the invoices' ids); the open
        # cases of several invoices owing one of them are summed and picked in one statement
        # (the database sums, never every case into Python: ix_case_invoice_company_case).
        total = type_coerce(func.sum(invoice.c.open_amount), MoneyType())
        owed = (
            select(collection_case.c.number, customer.c.name, total.label("owed"))
            .join(customer, customer.c.id == collection_case.c.customer_id)
            .join(case_invoice, case_invoice.c.case_id == collection_case.c.id)
            .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
            .where(
                (collection_case.c.company_id == company_id)
                & (collection_case.c.state != CaseState.CLOSED.value)
            )
            .group_by(collection_case.c.number, customer.c.name)
        )
        single = rows_where_in(
            self.connection,
            select(case_invoice.c.case_id).where(case_invoice.c.company_id == company_id),
            case_invoice.c.invoice_id,
            {r.id for r in by_amount},
        )
        of_one = rows_where_in(
            self.connection, owed, collection_case.c.id, {r.case_id for r in single}
        )
        several = (
            select(case_invoice.c.case_id)
            .where(case_invoice.c.company_id == company_id)
            .group_by(case_invoice.c.case_id)
            .having(func.count() > 1)
        )
        # PostgreSQL: = ANY(ARRAY(...)) takes the few ids first and reads their rows by
        # ix_case_invoice_company_case (IN (...) hash-joined every case_invoice row of the
        # company: 48-78 ms against 114-131 ms on the bench's copy, load 7).
        picked = (
            case_invoice.c.case_id == func.any(func.array(several.scalar_subquery()))
            if self.connection.dialect.name == "postgresql"
            else case_invoice.c.case_id.in_(several)
        )
        of_several = self.connection.execute(
            owed.where(picked & (case_invoice.c.company_id == company_id)).having(total.in_(wanted))
        )
        found += [
            (f"case {r.number}", r.name, r.owed)
            for r in [*of_one, *of_several]
            if r.owed in set(wanted)
        ]
        return list(dict.fromkeys(found))
