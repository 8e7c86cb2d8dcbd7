"""One way to write money: every voucher a service builds is booked here, in bulk, and
everything that follows from its postings is derived here (docs/design.md, "Posting
rules"): the open amounts of invoices and charges, the cases woken, their history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.history import NO_PAYLOAD, EventKind, HistoryEvent, Payload
from fordring.domain.ledger import RECEIVABLES, Voucher
from fordring.services.ports import NewCharge, UnitOfWork
from fordring.services.report_holds import payments_seen

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """What a posting tells a case: it is looked at next run, and its history says why."""

    case_id: int
    day: date
    kind: EventKind
    text: str
    actor: str
    payload: Payload = field(default_factory=lambda: NO_PAYLOAD)


@dataclass(frozen=True, slots=True)
class Posted:
    """Where a batch of vouchers went: the first id and number of the block they took
    (vouchers that came numbered keep their own)."""

    first_id: int
    first_number: int


def reserve(uow: UnitOfWork, count: int) -> Posted:
    """A block of `count` voucher ids and numbers, for a caller that must know the ids
    before it posts (payment rows and charges name their vouchers)."""
    return Posted(uow.ledger.reserve_ids(count), uow.series.take("voucher", count))


def post_vouchers(
    uow: UnitOfWork,
    vouchers: Sequence[Voucher],
    *,
    new_charges: Sequence[NewCharge] = (),
    new_invoices: Iterable[tuple[int, int]] = (),
    events: Sequence[CaseEvent] = (),
    block: Posted | None = None,
) -> Posted:
    """Book `vouchers` (balanced; either all numbered already, or none: those take the
    ids and numbers of `block`, or of a new one, in order) and derive what their postings
    move. `new_charges` are stored open for their amount, `new_invoices` ((invoice id,
    voucher id)) were stored open for theirs: the posting that creates an item is not
    added to it again. Charges are written before the vouchers that name them."""
    numbered = all(v.id is not None and v.number is not None for v in vouchers)
    if numbered:
        ids: Sequence[int] = [v.id for v in vouchers if v.id is not None]
        block = block or Posted(0, 0)
    else:
        if any(v.id is not None for v in vouchers):
            raise ValueError("post vouchers either all numbered or none")
        block = block or reserve(uow, len(vouchers))
        ids = range(block.first_id, block.first_id + len(vouchers))
    uow.collection.add_charges(new_charges)
    if numbered:
        uow.ledger.add_many(vouchers)
    else:
        uow.ledger.add_numbered(vouchers, block.first_id, block.first_number)
    born = {(c.id, c.voucher_id) for c in new_charges}
    invoices, charges = open_item_changes(vouchers, ids, set(new_invoices), born)
    uow.invoices.add_to_open_amounts(invoices)
    uow.payments.add_to_charge_open_amounts(charges)
    tell_cases(uow, events)
    return block


def post_voucher(uow: UnitOfWork, voucher: Voucher, *events: CaseEvent) -> Voucher:
    """Book one voucher (see `post_vouchers`); the voucher as stored."""
    posted = post_vouchers(uow, [voucher], events=events)
    if voucher.id is not None and voucher.number is not None:
        return voucher
    return replace(voucher, id=posted.first_id, number=posted.first_number)


def open_item_changes(
    vouchers: Sequence[Voucher],
    ids: Sequence[int],
    born_invoices: set[tuple[int, int]],
    born_charges: set[tuple[int, int]],
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """How `vouchers` (stored under `ids`) move each invoice's and each charge's open
    amount (the sum of their receivable postings), leaving out the postings that create
    an item: ((invoice id, voucher id) in `born_invoices`, likewise for charges)."""
    invoices: dict[int, Decimal] = {}
    charges: dict[int, Decimal] = {}
    # One pass over the postings: the daily run posts tens of thousands of vouchers.
    for voucher, voucher_id in zip(vouchers, ids, strict=True):
        for p in voucher.postings:
            if p.account != RECEIVABLES:
                continue
            charge, invoice = p.charge_id, p.invoice_id
            if charge is not None and (charge, voucher_id) not in born_charges:
                charges[charge] = charges.get(charge, ZERO) + p.amount
            if invoice is not None and (invoice, voucher_id) not in born_invoices:
                invoices[invoice] = invoices.get(invoice, ZERO) + p.amount
    return (
        {k: v for k, v in invoices.items() if v},
        {k: v for k, v in charges.items() if v},
    )


def tell_cases(uow: UnitOfWork, events: Sequence[CaseEvent]) -> None:
    """Wake the cases the events name and add the events to their history (one insert per
    day and actor)."""
    if not events:
        return
    uow.collection.wake_cases(sorted({e.case_id for e in events}))
    grouped: dict[tuple[date, str], list[HistoryEvent]] = {}
    for e in events:
        row = HistoryEvent(e.case_id, e.kind, e.text, e.payload)
        grouped.setdefault((e.day, e.actor), []).append(row)
    # A payment ends what a debtor's report held (issue 19): seen in the bank.
    paid = [e for e in events if e.kind is EventKind.PAYMENT]
    by_case = {e.case_id: e for e in paid}
    for ended in payments_seen(uow, [(e.case_id, e.day) for e in paid]):
        e = by_case[ended.case_id]
        grouped[(e.day, e.actor)].append(ended)
    for (day, actor), rows in sorted(grouped.items()):
        uow.collection.add_event_rows(rows, day, actor)
