"""What a batch's matched payments can pay: the open items of their matches (Payables), kept
current as payments are split, and the undoing of what a payment in time makes unlawful."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case_facts import CaseFacts
from fordring.domain.collection.claim_interest import claim_interest
from fordring.domain.collection.states import CaseState
from fordring.domain.law.tables import MissingRate, RateBook
from fordring.domain.matching import Match
from fordring.domain.payments import ItemKind, OpenItem, Payable, Split
from fordring.services.payment_batch import ZERO, Incoming
from fordring.services.payment_in_time import undo_late_handovers, undo_late_heavy_salaer
from fordring.services.ports import CaseItem, ChargeItem, UnitOfWork

IN_COLLECTION = (CaseState.IN_COLLECTION.value, CaseState.LEGAL.value)


class Payables:
    """The open items of a batch's matches, kept current as the batch's payments are split
    (a second payment to the same invoice in one file pays what the first left)."""

    def __init__(
        self,
        uow: UnitOfWork,
        matches: Sequence[Match],
        days: Sequence[date],
        book: RateBook,
    ) -> None:
        case_ids = {m.case_id for m in matches if m.case_id is not None}
        invoice_ids = {i for m in matches for i in m.invoice_ids}
        self.lookup = uow.payments.lookup(case_ids, invoice_ids)
        self.charges: dict[int, dict[int, ChargeItem]] = {}
        for c in self.lookup.charges:
            self.charges.setdefault(c.invoice_id, {})[c.id] = c
        charged_cases = {c.id for c in self.lookup.cases.values() if c.state in IN_COLLECTION}
        day = max(days) if days else date.min
        self.facts: dict[int, CaseFacts] = (
            uow.collection.facts_of(sorted(charged_cases), day) if charged_cases else {}
        )
        self.book = book
        self._uow = uow
        self.rate_missing = False

    def in_time_candidates(
        self, incoming: Sequence[Incoming], matches: Sequence[Match]
    ) -> list[tuple[int, date, Decimal]]:
        """(case id, bank day, amount) of the payments to cases in collection: a payment
        in time may undo the hand-over (services/payment_in_time.py)."""
        found = []
        for payment, match in zip(incoming, matches, strict=True):
            case_id = match.case_id if match.found else None
            if case_id is None and match.found:
                cases = {self.lookup.invoices[i].case_id for i in match.invoice_ids}
                case_id = cases.pop() if len(cases) == 1 else None
            if case_id is not None and case_id in self.facts:
                found.append((case_id, payment.day, payment.amount))
        return found

    def charge_ids(self, count: int) -> list[int]:
        first = self._uow.collection.reserve_ids("charge", count)
        return list(range(first, first + count))

    def of(self, match: Match, day: date) -> Payable:
        """What `match` names is owed on `day`, after the batch's earlier payments."""
        return self._build(match, day)

    def paid(self, split: Split) -> None:
        """Take `split` off the open amounts, so the batch's next payments see it."""
        look = self.lookup
        for item, part in split.parts:
            if item.charge_id is not None:
                assert item.invoice_id is not None
                c = self.charges[item.invoice_id][item.charge_id]
                self.charges[item.invoice_id][item.charge_id] = replace(
                    c, open_amount=c.open_amount - part
                )
            elif item.invoice_id is not None:
                inv = look.invoices[item.invoice_id]
                look.invoices[item.invoice_id] = replace(inv, open_amount=inv.open_amount - part)
        for invoice_id, amount in split.new_interest:
            look.interest_charged[invoice_id] = look.interest_charged.get(invoice_id, ZERO) + amount

    def _build(self, match: Match, day: date) -> Payable:
        look = self.lookup
        case: CaseItem | None
        if match.case_id is not None:
            case = look.cases[match.case_id]
            invoice_ids: tuple[int, ...] = case.invoice_ids
        else:
            first = look.invoices[match.invoice_ids[0]]
            # Only one customer's invoices: a text naming two customers' invoices pays the first.
            invoice_ids = tuple(
                i for i in match.invoice_ids if look.invoices[i].customer_id == first.customer_id
            )
            case_ids = {look.invoices[i].case_id for i in invoice_ids}
            only = case_ids.pop() if len(case_ids) == 1 else None
            case = look.cases.get(only) if only is not None else None
        invoices = [look.invoices[i] for i in invoice_ids]
        wanted = set(invoice_ids)
        charges = tuple(
            OpenItem(c.invoice_id, c.id, c.open_amount, (c.charged_on, c.id), ItemKind(c.kind))
            for invoice_id in invoice_ids
            for c in self.charges.get(invoice_id, {}).values()
            if c.open_amount > 0
        )
        return Payable(
            customer_id=invoices[0].customer_id,
            invoices=tuple(
                OpenItem(i.id, None, i.open_amount, (i.due_date, i.id))
                for i in sorted(invoices, key=lambda i: (i.due_date, i.id))
                if i.open_amount > 0
            ),
            charges=charges,
            uncharged_interest=self._uncharged(case.id if case else None, wanted, day),
            in_collection=case is not None and case.state in IN_COLLECTION,
        )

    def _uncharged(
        self, case_id: int | None, invoice_ids: set[int], day: date
    ) -> tuple[tuple[int, Decimal], ...]:
        # Interest is part of what a payment pays once the case is in collection (the demand
        # shows it); before that the interest note claims it after the principal is paid.
        facts = self.facts.get(case_id) if case_id is not None else None
        case = self.lookup.cases.get(case_id) if case_id is not None else None
        if facts is None or case is None or case.state not in IN_COLLECTION:
            return ()
        found = []
        for claim in sorted(facts.claims, key=lambda c: (c.due_date, c.invoice_id)):
            if claim.invoice_id not in invoice_ids:
                continue
            current = self.lookup.invoices[claim.invoice_id].open_amount
            claim = replace(claim, principal=current)
            try:
                accrued = claim_interest(claim, day, self.book)
            except MissingRate:
                self.rate_missing = True
                continue
            charged = self.lookup.interest_charged.get(claim.invoice_id, ZERO)
            if accrued > charged:
                found.append((claim.invoice_id, accrued - charged))
        return tuple(found)


def paid_in_time(
    uow: UnitOfWork,
    agreement: Agreement,
    paid: Sequence[tuple[int, date, Decimal]],
    payables: Payables,
) -> bool:
    """Undo what payments in time make unlawful (services/payment_in_time.py): a
    hand-over after the notice's deadline, heavy salær after the principal was paid.
    Whether anything was undone (the payables are then out of date)."""
    undone = undo_late_handovers(uow, agreement, paid, payables.facts, payables.lookup)
    rest = [p for p in paid if p[0] not in undone]
    heavy = undo_late_heavy_salaer(
        uow, agreement, rest, payables.facts, payables.lookup, payables.book
    )
    return bool(undone or heavy)
