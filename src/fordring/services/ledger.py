"""Reading and correcting the general ledger: vouchers, trial balance, reversal, checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fordring.domain.errors import InvalidInput
from fordring.domain.ledger import RECEIVABLES, Voucher, trial_balance_ok
from fordring.services.collection_agreement import agreement_of
from fordring.services.ports import TrialBalanceLine, UnitOfWorkFactory
from fordring.services.posting_reversal import reverse_posted
from fordring.services.scope import Scope


def list_vouchers(
    scope: Scope, since: date | None, limit: int, uow_factory: UnitOfWorkFactory
) -> list[Voucher]:
    with uow_factory(scope) as uow:
        return uow.ledger.vouchers(since, limit)


@dataclass(frozen=True, slots=True)
class TrialBalance:
    lines: list[TrialBalanceLine]

    @property
    def debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal(0))

    @property
    def credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal(0))

    @property
    def balanced(self) -> bool:
        return trial_balance_ok([(line.account, line.balance) for line in self.lines])


def trial_balance(scope: Scope, until: date | None, uow_factory: UnitOfWorkFactory) -> TrialBalance:
    with uow_factory(scope) as uow:
        return TrialBalance(uow.ledger.trial_balance(until))


def reverse_voucher(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> Voucher:
    """Post the voucher that undoes voucher `number`, dated `today`; everything the
    original derived follows (services/posting_reversal.py)."""
    today = scope.business_date
    with uow_factory(scope) as uow:
        original = uow.ledger.get(number)
        if original is None:
            raise InvalidInput.one("voucher", f"no voucher number {number}")
        reversal = reverse_posted(uow, original, today)
        uow.commit()
    return reversal


@dataclass(frozen=True, slots=True)
class LedgerCheck:
    balanced: bool
    open_item_mismatches: list[tuple[int, Decimal, Decimal]]
    orphan_postings: int
    charge_mismatches: list[tuple[int, Decimal, Decimal]]
    customer_ledger_total: Decimal  # every open invoice and charge
    receivables_balance: Decimal  # account 1500
    # Payments, the queue and settlements agree with the postings (docs/design.md).
    payments_reversed_but_standing: list[int] = field(default_factory=list)
    settlement_mismatches: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)
    held: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))  # (intermediate account, payments)
    queued: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))  # (unmatched account, payments)
    # Nothing doubled (issue 14): vouchers reversed more than once, KIDs of two open items.
    reversed_twice: list[int] = field(default_factory=list)
    shared_kids: list[str] = field(default_factory=list)

    @property
    def reconciled(self) -> bool:
        """The customer ledger (kundereskontro) agrees with account 1500."""
        return self.customer_ledger_total == self.receivables_balance

    @property
    def ok(self) -> bool:
        return (
            self.balanced
            and self.reconciled
            and not self.open_item_mismatches
            and not self.charge_mismatches
            and self.orphan_postings == 0
            and self.payments_agree
            and not self.reversed_twice
            and not self.shared_kids
        )

    @property
    def payments_agree(self) -> bool:
        """Every payment stands as its vouchers say; what the intermediate account holds
        is what the unsettled client-account payments brought, what the unmatched account
        holds is the queue, and each settlement paid out what its payments brought."""
        return (
            not self.payments_reversed_but_standing
            and not self.settlement_mismatches
            and self.held[0] == self.held[1]
            and self.queued[0] == -self.queued[1]
        )


def check_ledger(scope: Scope, uow_factory: UnitOfWorkFactory) -> LedgerCheck:
    """Is the ledger whole: balanced, every open item equal to its postings, the customer
    ledger equal to account 1500, no orphans?"""
    with uow_factory(scope) as uow:
        balance = TrialBalance(uow.ledger.trial_balance(None))
        receivables = sum(
            (line.balance for line in balance.lines if line.account == RECEIVABLES), Decimal(0)
        )
        # the total over all buckets does not depend on the day asked for
        totals = uow.reskontro.aging(date(2000, 1, 1), by_customer=False)
        agreement = agreement_of(uow)
        money = uow.money
        intermediate, unmatched = agreement.settlement_account, agreement.unmatched_account
        return LedgerCheck(
            balance.balanced,
            uow.ledger.open_item_mismatches(),
            uow.ledger.orphan_postings(),
            uow.ledger.charge_mismatches(),
            sum((row.total for row in totals), Decimal(0)),
            receivables,
            money.reversed_but_standing(),
            money.settlement_mismatches(intermediate),
            (
                money.account_balance(intermediate),
                money.held_for_settlement(intermediate),
            ),
            (money.account_balance(unmatched), money.unmatched_total()),
            money.reversed_twice(),
            money.shared_kids(),
        )
