"""Settlement (oppgjør, SPEC P5): what the collector's client account received for a
creditor, remitted the next banking day, with a statement and the creditor's postings.

Each settled payment is shown with what it paid: principal, interest, fees (the
creditor's), salær (the collector's: kept) and overpayment (the customer's credit, held
by the creditor). The collector keeps the salær and pays out the rest.

Postings in the creditor's books (voucher type OPPG), on the settlement day:
  debit bank (paid out), debit the salær account (2910: the salær owed to the collector
  is settled by what it kept), credit the intermediate account for collection
  settlements (what the client account received for the creditor).
The receipts themselves were booked on the day they came in: debit the intermediate
account, credit the customer's open items (docs/design.md, "Postings").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from fordring.domain.calendar import next_banking_day
from fordring.domain.ledger import Posting, Voucher, VoucherTypeCode

ONE_DAY_AFTER = 1


def settlement_day(received_on: date) -> date:
    """The banking day after the day money reached the client account (Friday → Monday,
    holidays skipped)."""
    return next_banking_day(date.fromordinal(received_on.toordinal() + ONE_DAY_AFTER))


@dataclass(frozen=True, slots=True)
class SettledPayment:
    """One payment on a settlement statement and what it paid."""

    payment_id: int
    received_on: date
    kid: str
    payer: str
    customer_number: int | None
    customer_name: str
    case_number: int | None
    invoice_numbers: tuple[int, ...]
    amount: Decimal
    principal: Decimal
    interest: Decimal
    fees: Decimal
    salaer: Decimal
    credit: Decimal  # overpayment kept as the customer's credit

    @property
    def kept(self) -> Decimal:
        """What the collector keeps of this payment: its salær."""
        return self.salaer

    @property
    def paid_out(self) -> Decimal:
        return self.amount - self.kept


@dataclass(frozen=True, slots=True)
class SettlementParty:
    name: str
    orgnr: str
    account: str


@dataclass(frozen=True, slots=True)
class Settlement:
    """A settlement statement: one per creditor and settlement day."""

    number: int
    day: date  # the banking day the money is paid out
    creditor: SettlementParty  # paid out to its account
    collector: SettlementParty  # its client account received the payments
    payments: tuple[SettledPayment, ...]

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(p, name) for p in self.payments), Decimal(0))

    @property
    def received(self) -> Decimal:
        return self._sum("amount")

    @property
    def principal(self) -> Decimal:
        return self._sum("principal")

    @property
    def interest(self) -> Decimal:
        return self._sum("interest")

    @property
    def fees(self) -> Decimal:
        return self._sum("fees")

    @property
    def salaer(self) -> Decimal:
        return self._sum("salaer")

    @property
    def credit(self) -> Decimal:
        return self._sum("credit")

    @property
    def kept(self) -> Decimal:
        return self._sum("kept")

    @property
    def paid_out(self) -> Decimal:
        return self.received - self.kept


@dataclass(frozen=True, slots=True)
class SettlementSummary:
    """A settlement as the day's run makes it: its totals, read from the ledger in one
    query, without a line per payment (the statement reads those: `Settlement`)."""

    number: int
    day: date
    creditor: SettlementParty
    collector: SettlementParty
    payments: int  # how many
    received: Decimal
    kept: Decimal

    @property
    def paid_out(self) -> Decimal:
        return self.received - self.kept


class SettlementTotals(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def collector(self) -> SettlementParty: ...
    @property
    def day(self) -> date: ...
    @property
    def received(self) -> Decimal: ...
    @property
    def kept(self) -> Decimal: ...
    @property
    def paid_out(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class SettlementAccounts:
    bank: str  # where the creditor receives the payout
    intermediate: str  # the intermediate account for collection settlements
    salaer: str  # the salær owed to the collector


def settlement_voucher(
    settlement: SettlementTotals, accounts: SettlementAccounts
) -> Voucher | None:
    """The creditor's posting of a settlement: bank and salær kept against the
    intermediate account. Balanced by construction: paid out + kept = received. None when
    nothing moves (a payment and its reversal netting to zero)."""
    text = f"Oppgjør {settlement.number} fra {settlement.collector.name}"
    postings: list[Posting] = []
    if settlement.paid_out:
        postings.append(Posting(accounts.bank, settlement.paid_out, text="Utbetalt oppgjør"))
    if settlement.kept:
        postings.append(Posting(accounts.salaer, settlement.kept, text="Salær beholdt av inkasso"))
    if settlement.received:
        postings.append(Posting(accounts.intermediate, -settlement.received, text=text))
    if not postings:
        return None
    return Voucher(VoucherTypeCode.SETTLEMENT, settlement.day, text, tuple(postings))


def settle(
    number: int,
    day: date,
    creditor: SettlementParty,
    collector: SettlementParty,
    payments: Sequence[SettledPayment],
) -> Settlement:
    """The settlement of `payments` on `day`; each must be due for settlement by then."""
    early = [p.payment_id for p in payments if settlement_day(p.received_on) > day]
    if early:
        raise ValueError(f"payments {early[:5]} are not due for settlement on {day}")
    return Settlement(number, day, creditor, collector, tuple(payments))
