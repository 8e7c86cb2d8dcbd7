"""Reading and correcting the general ledger: vouchers, trial balance, reversal, checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.errors import InvalidInput, RuleViolation
from fordring.domain.ledger import RECEIVABLES, Voucher, trial_balance_ok
from fordring.services.ports import TrialBalanceLine, UnitOfWorkFactory
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


def reverse_voucher(
    number: int, scope: Scope, today: date, uow_factory: UnitOfWorkFactory
) -> Voucher:
    """Post the voucher that undoes voucher `number`, dated `today`; open items follow."""
    with uow_factory(scope) as uow:
        original = uow.ledger.get(number)
        if original is None:
            raise InvalidInput.one("voucher", f"no voucher number {number}")
        if original.reverses_id is not None:
            raise RuleViolation(f"voucher: {number} is itself a reversal")
        if today < original.date:
            raise RuleViolation(f"date: a reversal cannot be dated before {original.date}")
        draft = original.reversal(today)
        reversal = Voucher(
            draft.type_code,
            draft.date,
            draft.text,
            draft.postings,
            number=uow.series.take("voucher"),
            reverses_id=original.id,
            id=uow.ledger.reserve_ids(1),
        )
        uow.ledger.add_many([reversal])
        changes = reversal.open_item_changes()
        if changes:
            uow.invoices.add_to_open_amounts(changes)
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
        return LedgerCheck(
            balance.balanced,
            uow.ledger.open_item_mismatches(),
            uow.ledger.orphan_postings(),
            uow.ledger.charge_mismatches(),
            sum((row.total for row in totals), Decimal(0)),
            receivables,
        )
