"""Writing off an invoice (SPEC P4): what the voucher type tells collection decides what
happens to the case.

- A type not reported to collection (TAP, mapping `none`) is a write-down: debit loss on
  receivables (7830), credit the provision (1580). The open item and the case are
  untouched, so collection goes on; the books show the expected loss.
- A type mapped to Payment would close the case as paid and tell the debtor so: refused
  unless forced. Forced, it credits the open item (1500), releasing any provision a
  write-down made (1580) before it books more loss (7830); when nothing is left of the
  case's principal the case closes as paid, and its fees and interest are cancelled.
- Any other mapping is refused: a credit note (`invoice credit`) reduces a claim.

The daily run writes off a case's small remainder the same way (`write_off_remainder`,
issue 12): the principal left is credited to 1500 as a loss, the costs are cancelled as
when the creditor closes the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CloseReason
from fordring.domain.collection.history import EventKind
from fordring.domain.collection.history import amount as money
from fordring.domain.errors import Conflict, InvalidInput, RuleViolation
from fordring.domain.ledger import RECEIVABLES, CollectionMapping, Posting, Voucher, VoucherTypeCode
from fordring.services.case_closing import close_charges, close_given_up
from fordring.services.ports import CaseDetails, UnitOfWork, UnitOfWorkFactory
from fordring.services.posting import CaseEvent, post_voucher
from fordring.services.scope import Scope

LOSS = "7830"
PROVISION = "1580"


@dataclass(frozen=True, slots=True)
class WriteOff:
    invoice_number: int
    amount: Decimal | None  # None: what is open
    type_code: VoucherTypeCode = VoucherTypeCode.LOSS
    force: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class WrittenOff:
    voucher_number: int
    amount: Decimal
    reported: bool  # the case was told (a forced payment-type write-off)


def write_off(cmd: WriteOff, scope: Scope, uow_factory: UnitOfWorkFactory) -> WrittenOff:
    """Write off invoice `cmd.invoice_number` on the scope's business date."""
    day = scope.business_date
    with uow_factory(scope) as uow:
        stored = uow.invoices.get(cmd.invoice_number)
        if stored is None or stored.invoice.is_credit_note:
            raise InvalidInput.one("invoice", f"no invoice number {cmd.invoice_number}")
        types = {t.code: t for t in uow.ledger.voucher_types()}
        chosen = types.get(cmd.type_code)
        if chosen is None:
            raise InvalidInput.one("type", f"the company has no voucher type {cmd.type_code}")
        # Read under the invoice's lock: two write-offs at once count each other's.
        uow.payments.lock_targets([], [stored.id])
        stored = uow.invoices.get(cmd.invoice_number)
        assert stored is not None
        amount = _amount(uow, stored.id, stored.open_amount, cmd, chosen.collection)
        customer = stored.invoice.customer_id
        text = f"Tap på faktura {cmd.invoice_number}" + (f": {cmd.reason}" if cmd.reason else "")
        loss = [Posting(LOSS, amount, text=text)]
        if chosen.collection is CollectionMapping.NONE:
            credit = Posting(PROVISION, -amount, customer, stored.id, text)
            reported = False
        elif chosen.collection is CollectionMapping.PAYMENT:
            if not cmd.force:
                raise RuleViolation(
                    f"type: {chosen.code} is reported to collection as a payment: the case would "
                    "close as paid and the debtor be told so. Use an unreported type (TAP), "
                    "or --force if that is what you want"
                )
            credit = Posting(RECEIVABLES, -amount, customer, stored.id, text)
            reported = True
            loss = _loss(uow, stored.id, customer, amount, text)
        else:
            raise InvalidInput.one(
                "type",
                f"{chosen.code} is mapped to {chosen.collection.value}; write off with an "
                "unreported type (TAP) or reduce the claim with a credit note",
            )
        # An unreported write-down moves the provision (1580), not the open item (1500).
        case_id = None
        if reported:
            case_id = uow.payments.lookup((), [stored.id]).invoices[stored.id].case_id
        said = f"{amount} written off as a payment ({chosen.code})"
        payload = {"amount": money(amount), "voucher_type": chosen.code}
        events = (
            [CaseEvent(case_id, day, EventKind.WRITE_OFF, said, "creditor", payload)]
            if case_id
            else []
        )
        voucher = post_voucher(uow, Voucher(chosen.code, day, text, (*loss, credit)), *events)
        if case_id is not None:
            close_given_up(uow, stored.id, day, CloseReason.PAID)
        uow.commit()
    assert voucher.number is not None
    return WrittenOff(voucher.number, amount, reported)


def _amount(
    uow: UnitOfWork, invoice_id: int, open_amount: Decimal, cmd: WriteOff, kind: CollectionMapping
) -> Decimal:
    """What may be written off: what is open, less (for a write-down, which leaves the open
    item as it is) what earlier write-downs provided for; a second write-off of the same
    debt is refused (issue 14)."""
    left = open_amount
    if kind is CollectionMapping.NONE:
        provided = max(-uow.ledger.balance_of(PROVISION, invoice_id), Decimal(0))
        left = max(left - provided, Decimal(0))  # a payment since may leave less than it
    if cmd.amount is None and open_amount > 0 and left <= 0:
        raise Conflict(
            f"invoice: {cmd.invoice_number} is written off already ({open_amount} open, all "
            "of it written down)"
        )
    amount = left if cmd.amount is None else cmd.amount
    if amount <= 0:
        raise InvalidInput.one("amount", f"must be positive; {open_amount} is open")
    if amount > left:
        written = "" if left == open_amount else " and not written down already"
        raise InvalidInput.one(
            "amount", f"{amount} is more than the {left} open on the invoice{written}"
        )
    return amount


def _loss(
    uow: UnitOfWork, invoice_id: int, customer: int, amount: Decimal, text: str
) -> list[Posting]:
    """The debit side of writing `amount` of an invoice off: a write-down (TAP) already
    booked the expected loss, so release that provision rather than book the loss twice."""
    provided = -uow.ledger.balance_of(PROVISION, invoice_id)
    released = min(amount, max(provided, Decimal(0)))
    return [
        posting
        for posting in (
            Posting(PROVISION, released, customer, invoice_id, text),
            Posting(LOSS, amount - released, text=text),
        )
        if posting.amount
    ]


def write_off_remainder(uow: UnitOfWork, agreement: Agreement, case: CaseDetails, day: date) -> str:
    """Write off what is left of a case (issue 12, `small_remainder_write_off`): its open
    fees and interest cancelled and its salær made the creditor's cost (`close_charges`),
    its open principal credited as a loss (debit 7830, or the provision of a write-down);
    the history text."""
    costs = close_charges(uow, agreement, case.case_id, case.number, day)
    text = f"Tap: restbeløp sak {case.number} avskrevet"
    postings: list[Posting] = []
    for item in case.invoices:
        if item.open_amount > 0:
            postings += _loss(uow, item.invoice_id, case.customer_id, item.open_amount, text)
            postings.append(
                Posting(RECEIVABLES, -item.open_amount, case.customer_id, item.invoice_id, text)
            )
    principal = sum((i.open_amount for i in case.invoices if i.open_amount > 0), Decimal(0))
    if postings:
        post_voucher(uow, Voucher(VoucherTypeCode.LOSS, day, text, tuple(postings)))
    return f"principal {principal:.2f} written off as a loss; {costs.text()}"
