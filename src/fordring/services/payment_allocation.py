"""Allocating one matched payment: its split over what the match names, the payment voucher,
the interest it covers that was not charged yet, and its case's history event."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case_facts import ChargeKind
from fordring.domain.collection.history import EventKind, HistoryEvent, Payload
from fordring.domain.collection.history import amount as money
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher, VoucherTypeCode
from fordring.domain.matching import Match, MatchedBy
from fordring.domain.payments import (
    ItemKind,
    Payable,
    PaymentAccounts,
    PaymentStatus,
    Split,
    payment_voucher,
    split_payment,
)
from fordring.services.payment_batch import ZERO, Booked
from fordring.services.payment_payables import Payables
from fordring.services.ports import NewCharge, PaymentRow


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
        Voucher(
            VoucherTypeCode.INTEREST_AND_FEES,
            day,
            "Forsinkelsesrente ved innbetaling",
            tuple(postings),
        )
    )
    done.charges.extend(
        NewCharge(
            charge_id, case_id, invoice_id, ChargeKind.INTEREST.value, amount, day, None, voucher_id
        )
        for (invoice_id, amount), charge_id in zip(split.new_interest, ids, strict=True)
    )
    return ids


def _paid(split: Split) -> Payload:
    """A payment event's payload: the amount and what it paid, by kind (non-zero only)."""
    paid: dict[str, str] = {k.value: money(split.paid(k)) for k in ItemKind if split.paid(k)}
    if split.overpayment:
        paid["overpaid"] = money(split.overpayment)
    return {"amount": money(split.amount), "paid": paid}
