"""Which accounts and numbers the collection agreement may hold (issue 14): each posting
setting names an account of its class in the standard chart (NS 4102, DOMAIN.md § 12), the
balance-sheet ones each a different account, and every number stays within bounds the law
and the books allow (docs/law.md, "The agreement's bounds"). A setting outside them would
post a fee to the receivables, interest to the bank, or wait a million days."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from fordring.domain.errors import Problem
from fordring.domain.law.deadlines import FEE_EARLIEST_DAYS, LETTER_DEADLINE_DAYS

RECEIVABLES, PROVISION = "1500", "1580"


@dataclass(frozen=True, slots=True)
class AccountClass:
    what: str  # for the message: "an income account (3000-3999, 8000-8099)"
    ranges: tuple[tuple[int, int], ...]
    not_these: frozenset[str] = frozenset()

    def holds(self, account: str) -> bool:
        number = int(account)
        in_range = any(low <= number <= high for low, high in self.ranges)
        return in_range and account not in self.not_these


INCOME = AccountClass(
    "an income account: 3000-3999 (operating) or 8000-8099 (financial income)",
    ((3000, 3999), (8000, 8099)),
)
COST = AccountClass("an expense account: 4000-7999", ((4000, 7999),))
BANK = AccountClass("a bank or cash account: 1900-1999", ((1900, 1999),))
# What the client account holds for the creditor: a receivable on the collector, or a
# bank-like account, never the customer ledger (1500) or the provision (1580) themselves.
HELD = AccountClass(
    "a receivable or bank account: 1500-1999, not 1500 (the customer ledger) or 1580",
    ((1500, 1999),),
    frozenset({RECEIVABLES, PROVISION}),
)
# Short-term debt; not equity (20xx) and not output VAT (27xx, which invoices post).
DEBT = AccountClass(
    "a liability account: 2100-2999, not 2700-2799 (VAT)",
    ((2100, 2699), (2800, 2999)),
)

ACCOUNT_CLASSES: Mapping[str, AccountClass] = {
    "fee_account": INCOME,
    "interest_account": INCOME,
    "compensation_account": INCOME,
    "collection_cost_account": COST,
    "bank_account": BANK,
    "settlement_account": HELD,
    "salaer_account": DEBT,
    "unmatched_account": DEBT,
    "credit_account": DEBT,
}
# Each of these is checked against its own postings by `ledger check`: two sharing one
# account would mix what they hold.
DISTINCT = (
    *("bank_account", "settlement_account", "salaer_account"),
    *("unmatched_account", "credit_account"),
)

# Whole days (or months) a setting may hold: (lowest, highest, why the bounds).
DAYS: Mapping[str, tuple[int, int, str]] = {
    "reminder_days": (0, 365, "days after due"),
    "notice_days": (
        FEE_EARLIEST_DAYS,
        365,
        f"days after due: {FEE_EARLIEST_DAYS} at the earliest (inkassoforskriften § 1-2), "
        "a year at the latest",
    ),
    "reminder_deadline_days": (LETTER_DEADLINE_DAYS, 60, "days"),
    "notice_deadline_days": (LETTER_DEADLINE_DAYS, 60, "days"),
    "demand_deadline_days": (LETTER_DEADLINE_DAYS, 60, "days"),
    "running_days": (0, 365, "days"),
    "reliable_email_months": (1, 36, "months"),
    # a report holds the steps a few banking days, never so long it stops collection
    "reported_payment_hold_days": (0, 20, "banking days (0: a report holds nothing)"),
    # issue 19: a plan of up to 5 years, a deferral of up to half a year; a missed
    # instalment's reminder gives at least the 14 days a letter's deadline has (§ 9)
    "plan_max_months": (1, 60, "instalments, one a month"),
    "deferral_max_days": (0, 180, "days"),
    "plan_reminder_days": (LETTER_DEADLINE_DAYS, 60, "days"),
}
AMOUNTS: Mapping[str, tuple[Decimal, Decimal]] = {
    "minimum_amount": (Decimal(0), Decimal(100_000)),
    "small_remainder_write_off": (Decimal(0), Decimal(1_000)),
    "plan_min_instalment": (Decimal(0), Decimal(100_000)),
}


def account_problems(accounts: Mapping[str, str]) -> list[Problem]:
    """Each posting setting (KEY → account) outside its class, or sharing its account
    with another balance-sheet setting."""
    found = [
        Problem(key, f"{accounts[key]} is not {kind.what}", code="wrong_account_class")
        for key, kind in ACCOUNT_CLASSES.items()
        if key in accounts and not kind.holds(accounts[key])
    ]
    wrong = {p.field for p in found}
    for key in DISTINCT:
        others = [o for o in DISTINCT if o != key and accounts.get(o) == accounts.get(key)]
        if others and key not in wrong:
            reason = f"{accounts[key]} is also the {others[0]}; each needs its own account"
            found.append(Problem(key, reason, code="account_shared"))
    return found


def number_problems(values: Mapping[str, int | Decimal]) -> list[Problem]:
    """Each number setting (KEY → value) outside its bounds."""
    found: list[Problem] = []
    for key, (low, high, unit) in DAYS.items():
        value = values.get(key)
        if value is not None and not low <= value <= high:
            found.append(Problem(key, f"must be {low}-{high} {unit}"))
    for key, (least, most) in AMOUNTS.items():
        amount = values.get(key)
        if amount is not None and not least <= amount <= most:
            found.append(Problem(key, f"must be {least}-{most} NOK"))
    return found
