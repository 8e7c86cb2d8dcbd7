"""Booking incoming payments (SPEC P2-P3): match each one, split it by the law's order,
book it, and tell the cases; in batches, whatever the number of payments.

Used by the bank-file import, by `payments register` and by manual matching. A matched
payment is one voucher (debit where the money is, credit the items it pays); an
unmatched one is booked to the unmatched account and waits in the queue. Interest the
payment covers that was not charged yet is charged first (an RG voucher per payment).
Payments to the same items in one batch see each other: the second pays what is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case_facts import CaseFacts
from fordring.domain.collection.claim_interest import claim_interest
from fordring.domain.collection.history import EventKind, HistoryEvent, Payload
from fordring.domain.collection.history import amount as money
from fordring.domain.collection.states import CaseState
from fordring.domain.law.tables import MissingRate, RateBook
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher
from fordring.domain.matching import Match, MatchedBy, match_payment, numbers_in
from fordring.domain.payments import (
    PAYMENT_TYPE,
    Channel,
    ItemKind,
    OpenItem,
    Payable,
    PaymentAccounts,
    PaymentStatus,
    Split,
    payment_voucher,
    split_payment,
)
from fordring.services.payment_in_time import undo_late_handovers, undo_late_heavy_salaer
from fordring.services.ports import (
    CaseItem,
    ChargeItem,
    InvoiceItem,
    NewCharge,
    PaymentRow,
    UnitOfWork,
)
from fordring.services.posting import CaseEvent, post_vouchers, reserve

IN_COLLECTION = (CaseState.IN_COLLECTION.value, CaseState.LEGAL.value)
FEES_AND_INTEREST_TYPE = "RG"
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Incoming:
    """A payment to book: from a bank file, or registered by hand."""

    place: str
    channel: Channel
    amount: Decimal  # positive
    day: date
    kid: str | None = None
    text: str = ""
    payer_name: str = ""
    payer_account: str = ""
    archive_ref: str = ""


@dataclass
class Booked:
    """What a batch booked, for the caller's report and the payment rows."""

    rows: list[PaymentRow] = field(default_factory=list)
    splits: dict[int, Split] = field(default_factory=dict)  # by payment id
    vouchers: list[Voucher] = field(default_factory=list)
    charges: list[NewCharge] = field(default_factory=list)
    events: list[tuple[date, HistoryEvent]] = field(default_factory=list)  # (day, event)

    plain: bool = True  # one invoice's principal without the general split (bulk imports)
    first_id: int = 0  # the vouchers' ids and numbers, once written
    first_number: int = 0

    def add(self, voucher: Voucher) -> int:
        """Keep `voucher` for writing; its stand-in id until `write_booked` numbers it."""
        self.vouchers.append(voucher)
        return -len(self.vouchers)

    def real_id(self, stand_in: int) -> int:
        """The id of the voucher `add` returned `stand_in` for (after `write_booked`)."""
        return self.first_id - stand_in - 1 if stand_in < 0 else stand_in

    def number(self, stand_in: int) -> int:
        """The voucher number of the voucher `add` returned `stand_in` for."""
        return self.first_number - stand_in - 1


def received_account(channel: Channel, agreement: Agreement) -> str:
    """Where money received on `channel` sits in the creditor's books."""
    return agreement.bank_account if channel is Channel.DIRECT else agreement.settlement_account


def find_matches(uow: UnitOfWork, cid: int, incoming: Sequence[Incoming]) -> list[Match]:
    """Each payment's match, with three batched lookups for the whole batch."""
    # Every KID is looked up as it is: one that fails its check digit cannot be ours.
    given = {p.kid for p in incoming if p.kid}
    case_by_kid, invoice_by_kid = uow.payments.targets_by_kid(given)
    numbers = {n for p in incoming if p.text for n in numbers_in(p.text)}
    by_number = uow.payments.open_invoices_by_number(numbers) if numbers else {}
    return [match_payment(p.kid, p.text, case_by_kid, invoice_by_kid, by_number) for p in incoming]


class Payables:
    """The open items of a batch's matches, kept current as the batch's payments are split
    (a second payment to the same invoice in one file pays what the first left)."""

    def __init__(
        self,
        uow: UnitOfWork,
        cid: int,
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
    cid: int,
    agreement: Agreement,
    paid: Sequence[tuple[int, date, Decimal]],
    payables: Payables,
) -> bool:
    """Undo what payments in time make unlawful (services/payment_in_time.py): a
    hand-over after the notice's deadline, heavy salær after the principal was paid.
    Whether anything was undone (the payables are then out of date)."""
    undone = undo_late_handovers(uow, cid, agreement, paid, payables.facts, payables.lookup)
    rest = [p for p in paid if p[0] not in undone]
    heavy = undo_late_heavy_salaer(
        uow, cid, agreement, rest, payables.facts, payables.lookup, payables.book
    )
    return bool(undone or heavy)


def book_payments(
    uow: UnitOfWork,
    cid: int,
    agreement: Agreement,
    incoming: Sequence[Incoming],
    book: RateBook,
    *,
    bank_file_id: int | None,
    forced: Sequence[Match] | None = None,
    splits: bool = False,
) -> Booked:
    """Match, split and book `incoming` (in order); `forced` gives the matches instead
    (manual matching); `splits` keeps every payment's Split (for reporting one payment).
    Writes everything in `uow`; the caller commits."""
    matches = list(forced) if forced is not None else find_matches(uow, cid, incoming)
    found = [m for m in matches if m.found]
    payables = Payables(uow, cid, found, [p.day for p in incoming], book)
    if payables.facts and paid_in_time(
        uow, cid, agreement, payables.in_time_candidates(incoming, matches), payables
    ):
        # A payment in time put a case back before its hand-over: read it again.
        payables = Payables(uow, cid, found, [p.day for p in incoming], book)
    first_id = uow.payments.reserve_ids(len(incoming)) if incoming else 0
    first_number = uow.series.take("payment", len(incoming)) if incoming else 0
    done = Booked(plain=not splits)
    pending = [
        _book_one(agreement, payment, match, payables, first_id + offset, done)
        for offset, (payment, match) in enumerate(zip(incoming, matches, strict=True))
    ]
    write_booked(uow, cid, done)
    done.rows = [
        _row(payment, first_id + n, first_number + n, bank_file_id, done.real_id(stand_in), found)
        for n, (payment, stand_in, found) in enumerate(pending)
    ]
    uow.payments.add_payments(done.rows)
    return done


def _row(
    p: Incoming,
    payment_id: int,
    number: int,
    bank_file_id: int | None,
    voucher_id: int,
    found: Allocated | None,
) -> PaymentRow:
    """The payment's row, built once: what the bank said and what it paid."""
    if found is None:
        status, by, customer, case, invoices = PaymentStatus.UNMATCHED.value, "", None, None, ""
        principal = interest = fees = salaer = credit = ZERO
        matched_on = None
    else:
        status, by = PaymentStatus.MATCHED.value, found.matched_by.value
        customer, case, invoices = found.customer_id, found.case_id, found.invoice_numbers
        principal, interest, fees, salaer, credit = found.amounts()
        matched_on = p.day
    return PaymentRow(
        payment_id,
        number,
        bank_file_id,
        p.place,
        p.channel.value,
        p.day,
        p.amount,
        p.kid or "",
        p.text,
        p.payer_name,
        p.payer_account,
        p.archive_ref,
        status,
        by,
        matched_on,
        customer,
        case,
        voucher_id,
        None,
        principal,
        interest,
        fees,
        salaer,
        credit,
        ZERO,
        None,
        None,
        invoices,
    )


def _book_one(
    agreement: Agreement,
    payment: Incoming,
    match: Match,
    payables: Payables,
    payment_id: int,
    done: Booked,
) -> tuple[Incoming, int, Allocated | None]:
    """Book one payment's voucher into `done`: (the payment, its voucher's stand-in id,
    what it paid or None when unmatched)."""
    received = received_account(payment.channel, agreement)
    text = _voucher_text(payment)
    if done.plain and match.found and (plain := _plain(match, payables)) is not None:
        return payment, *_pay_plain(
            agreement, payment, match, plain, payables, received, text, done
        )
    if not match.found:
        voucher = Voucher(
            "INN",
            payment.day,
            f"{text} (ikke identifisert)",
            (
                Posting(received, payment.amount, text=text),
                Posting(agreement.unmatched_account, -payment.amount, text=text),
            ),
        )
        return payment, done.add(voucher), None
    allocated = allocate_to(
        agreement,
        payment.amount,
        payment.day,
        match,
        payables,
        PaymentAccounts(received, agreement.credit_account),
        text,
        done,
    )
    if allocated.split is not None:
        done.splits[payment_id] = allocated.split
    return payment, allocated.voucher_id, allocated


def _plain(match: Match, payables: Payables) -> InvoiceItem | None:
    """The invoice when a payment can only pay one invoice's principal (one invoice, in
    no case, nothing charged on it): the common case, booked without the general split."""
    if match.case_id is not None or len(match.invoice_ids) != 1:
        return None
    found = payables.lookup.invoices[match.invoice_ids[0]]
    if found.case_id is not None or payables.charges.get(found.id):
        return None
    return found


def _pay_plain(
    agreement: Agreement,
    payment: Incoming,
    match: Match,
    item: InvoiceItem,
    payables: Payables,
    received: str,
    text: str,
    done: Booked,
) -> tuple[int, Allocated]:
    """What `split_payment` gives for one invoice's principal, without its machinery:
    the principal up to what is open, the rest the customer's credit."""
    part = min(payment.amount, max(item.open_amount, ZERO))
    overpaid = payment.amount - part
    postings = [Posting(received, payment.amount, text=text)]
    if part:
        postings.append(Posting(RECEIVABLES, -part, item.customer_id, item.id, text))
    if overpaid:
        postings.append(Posting(agreement.credit_account, -overpaid, item.customer_id, text=text))
    voucher_id = done.add(Voucher(PAYMENT_TYPE, payment.day, text, tuple(postings)))
    payables.lookup.invoices[item.id] = InvoiceItem(  # not `replace`: three times as fast
        item.id,
        item.number,
        item.customer_id,
        item.customer_name,
        item.open_amount - part,
        item.due_date,
        item.case_id,
    )
    paid = (part, ZERO, ZERO, ZERO, overpaid)
    return voucher_id, Allocated(
        None, voucher_id, item.customer_id, None, match.by, str(item.number), paid
    )


@dataclass(frozen=True, slots=True)
class Allocated:
    split: Split | None  # None: one invoice's principal (see _pay_plain)
    voucher_id: int
    customer_id: int
    case_id: int | None
    matched_by: MatchedBy
    invoice_numbers: str  # the invoices it paid something on, "10023 10024"
    paid: tuple[Decimal, Decimal, Decimal, Decimal, Decimal]  # see `amounts`

    def amounts(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
        """(principal, interest, fees, salær, credit) it paid."""
        return self.paid

    def apply(self, row: PaymentRow) -> PaymentRow:
        principal, interest, fees, salaer, credit = self.amounts()
        return replace(
            row,
            status=PaymentStatus.MATCHED.value,
            matched_by=self.matched_by.value,
            customer_id=self.customer_id,
            case_id=self.case_id,
            principal=principal,
            interest=interest,
            fees=fees,
            salaer=salaer,
            credit=credit,
            invoice_numbers=self.invoice_numbers,
        )


def allocate_to(
    agreement: Agreement,
    amount: Decimal,
    day: date,
    match: Match,
    payables: Payables,
    accounts: PaymentAccounts,
    text: str,
    done: Booked,
) -> Allocated:
    """Split `amount` over what `match` names and build its vouchers into `done`."""
    payable = payables.of(match, day)
    split = split_payment(amount, payable, principal_first=match.case_id is None)
    payables.paid(split)
    case_id = match.case_id
    if case_id is None:
        cases = {payables.lookup.invoices[i].case_id for i in match.invoice_ids} - {None}
        case_id = cases.pop() if len(cases) == 1 else None
    charge_ids = _charge_interest(payables, agreement, day, case_id, payable, split, done)
    voucher = payment_voucher(day, payable.customer_id, split, charge_ids, accounts, text)
    voucher_id = done.add(voucher)
    if case_id is not None:
        text = f"{amount} paid: {split.describe()}"
        done.events.append((day, HistoryEvent(case_id, EventKind.PAYMENT, text, _paid(split))))
    invoices = payables.lookup.invoices
    paid_on = sorted({invoices[i.invoice_id].number for i, _ in split.parts if i.invoice_id})
    paid_on_text = " ".join(map(str, paid_on))
    paid = (
        split.paid(ItemKind.PRINCIPAL),
        split.paid(ItemKind.INTEREST),
        split.paid(ItemKind.FEE) + split.paid(ItemKind.COMPENSATION),
        split.paid(ItemKind.SALAER),
        split.overpayment,
    )
    return Allocated(split, voucher_id, payable.customer_id, case_id, match.by, paid_on_text, paid)


def _charge_interest(
    payables: Payables,
    agreement: Agreement,
    day: date,
    case_id: int | None,
    payable: Payable,
    split: Split,
    done: Booked,
) -> list[int]:
    """Book the interest a payment covers that no charge claimed yet: one RG voucher."""
    if not split.new_interest or case_id is None:
        return []
    ids = payables.charge_ids(len(split.new_interest))
    postings = [
        Posting(RECEIVABLES, amount, payable.customer_id, None, "Forsinkelsesrente", charge_id)
        for (_, amount), charge_id in zip(split.new_interest, ids, strict=True)
    ]
    total = sum((a for _, a in split.new_interest), ZERO)
    postings.append(Posting(agreement.interest_account, -total, text="Forsinkelsesrente"))
    voucher_id = done.add(
        Voucher(FEES_AND_INTEREST_TYPE, day, "Forsinkelsesrente ved innbetaling", tuple(postings))
    )
    done.charges.extend(
        NewCharge(
            charge_id, case_id, invoice_id, ItemKind.INTEREST.value, amount, day, None, voucher_id
        )
        for (invoice_id, amount), charge_id in zip(split.new_interest, ids, strict=True)
    )
    return ids


def _voucher_text(payment: Incoming) -> str:
    who = f" {payment.payer_name}" if payment.payer_name else ""
    kid = f" KID {payment.kid}" if payment.kid else ""
    return f"Innbetaling{who}{kid}"[:300]


def write_booked(uow: UnitOfWork, cid: int, done: Booked) -> None:
    """Number the vouchers (one block of ids and numbers, no gaps) and put their real ids
    in the payment rows and charges; the posting service books them and derives what
    they move (charges, open amounts, the cases' history)."""
    count = len(done.vouchers)
    if count:
        block = reserve(uow, cid, count)
        done.first_id, done.first_number = block.first_id, block.first_number
        done.rows = [
            replace(
                r,
                voucher_id=done.real_id(r.voucher_id),
                allocation_voucher_id=done.real_id(r.allocation_voucher_id)
                if r.allocation_voucher_id is not None
                else None,
            )
            for r in done.rows
        ]
        done.charges = [replace(c, voucher_id=done.real_id(c.voucher_id)) for c in done.charges]
        post_vouchers(
            uow,
            cid,
            done.vouchers,
            new_charges=done.charges,
            events=[
                CaseEvent(e.case_id, day, e.kind, e.text, "payment", e.payload)
                for day, e in done.events
            ],
            block=block,
        )


def _paid(split: Split) -> Payload:
    """A payment event's payload: the amount and what it paid, by kind (non-zero only)."""
    paid: dict[str, str] = {k.value: money(split.paid(k)) for k in ItemKind if split.paid(k)}
    if split.overpayment:
        paid["overpaid"] = money(split.overpayment)
    return {"amount": money(split.amount), "paid": paid}
