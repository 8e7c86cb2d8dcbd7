"""The content of a collection letter, and of the creditor's collection list (SPEC D4, C9).

What a letter must say is set by inkassoloven §§ 9-10 and complaint-board practice
(DOMAIN.md § 2); this module holds the facts, a renderer (adapters/pdf) lays them out in
Norwegian (bokmål) or English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from fordring.domain.collection.payment_plan import Instalment
from fordring.domain.language import Language


class LetterKind(StrEnum):
    REMINDER = "reminder"  # purring / betalingspåminnelse
    COLLECTION_NOTICE = "collection_notice"  # inkassovarsel, inkassoloven § 9
    PAYMENT_DEMAND = "payment_demand"  # betalingsoppfordring, inkassoloven § 10
    INTEREST_NOTE = "interest_note"  # rentenota
    ENFORCEMENT_NOTICE = "enforcement_notice"  # varsel, tvangsfullbyrdelsesloven § 4-18
    PLAN_CONFIRMATION = "plan_confirmation"  # bekreftelse på nedbetalingsavtale/utsettelse
    PLAN_REMINDER = "plan_reminder"  # påminnelse om avdrag (no fee: docs/law.md)


# The payment plan's letters (issue 19): they carry `Letter.plan`.
PLAN_LETTERS = frozenset({LetterKind.PLAN_CONFIRMATION, LetterKind.PLAN_REMINDER})


@dataclass(frozen=True, slots=True)
class Party:
    """A name with its postal address (and organisation number where there is one)."""

    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NO"
    orgnr: str | None = None
    email: str = ""
    phone: str = ""
    web: str = ""


@dataclass(frozen=True, slots=True)
class LetterAccess:
    """How the debtor reaches the case on the debtor's page (issue 19): the page's short
    address ("": the installation's, filled in when rendered), the case's access code and
    the letter's PIN ("" once printed: a letter printed again shows it masked)."""

    address: str
    code: str
    pin: str = ""


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    """One line of an interest calculation: the days of one half-year and their rate."""

    start: date
    end: date
    days: int
    rate: Decimal  # percent a year
    amount: Decimal
    invoice_number: int | None = None  # the invoice whose interest it is
    principal: Decimal | None = None  # the amount the interest runs on


@dataclass(frozen=True, slots=True)
class PlanTerms:
    """What a payment plan's letter says of the plan (issue 19): its instalments (a
    deferral: one, on the new payment date), the § 2-4 addition booked as it started (part
    of the letter's salær), and on a reminder the instalment missed, what is due now and
    what has been paid under the plan."""

    deferral: bool
    instalments: tuple[Instalment, ...]
    addition: Decimal = Decimal(0)
    reminder_days: int = 0  # the reminder's deadline a missed instalment gets
    missed: Instalment | None = None  # a reminder's
    due_now: Decimal = Decimal(0)  # a reminder's: behind the plan up to the missed one
    paid: Decimal = Decimal(0)  # paid on the case since the plan was agreed

    @property
    def total(self) -> Decimal:
        """What the plan pays in all."""
        return sum((i.amount for i in self.instalments), Decimal(0))

    @property
    def left(self) -> Decimal:
        """What is left to pay under the plan."""
        return self.total - self.paid

    @property
    def asked(self) -> Decimal:
        """What the letter asks for: the whole plan (a confirmation), or what is due now."""
        return self.due_now if self.missed is not None else self.total

    @property
    def pay_now(self) -> Decimal:
        """What is to be paid by the letter's deadline: the first instalment (a
        confirmation; a deferral's one), or what is due now (a reminder)."""
        return self.due_now if self.missed is not None else self.instalments[0].amount


@dataclass(frozen=True, slots=True)
class LetterItem:
    """One invoice on a letter; a consolidated notice has several."""

    invoice_number: int
    description: str  # what the claim is for
    issue_date: date
    due_date: date
    original_amount: Decimal  # the invoice total
    principal: Decimal  # what is left of it (hovedstol)
    fee: Decimal  # reminder and notice fees open on this invoice, this letter's included
    interest: Decimal  # late interest up to the letter's date
    interest_from: date | None = None  # the day interest runs from
    interest_rate: Decimal | None = None  # percent a year, on the letter's date
    demand_fee: Decimal = Decimal(0)  # the creditor's own demand fee open (inndrivingskostnader)

    @property
    def total(self) -> Decimal:
        return self.principal + self.fee + self.interest + self.demand_fee


@dataclass(frozen=True, slots=True)
class Letter:
    """Everything one letter to one debtor says."""

    kind: LetterKind
    language: Language
    letter_date: date
    deadline: date | None  # pay (or object) by this day
    creditor: Party
    collector: Party  # the creditor itself when it collects its own claims
    debtor: Party
    case_number: str
    items: tuple[LetterItem, ...]
    account: str  # the account to pay to (11 digits)
    kid: str
    fee_this_letter: Decimal = Decimal(0)  # the law's fee this letter charges (part of items' fees)
    # Standard compensation (forsinkelsesrenteloven § 3a) this letter charges: shown with the
    # items' fees, but never called the letter's fee (that is inkassoforskriften § 1-2's).
    compensation_this_letter: Decimal = Decimal(0)
    salaer: Decimal = Decimal(0)  # collection costs (payment demand)
    interest_periods: tuple[InterestPeriod, ...] = ()  # interest note: each period
    licensed_collector: bool = False  # a payment demand then names the complaint board
    merged_cases: tuple[str, ...] = ()  # issue 12: cases merged into this one (the debtor is told)
    # issue 12, what letters say:
    account_holder: str = ""  # whose account `account` is (creditor or collector)
    client_account: bool = False  # `account` is the collector's client account
    interest_accrued: Decimal = Decimal(0)  # notice: interest to date, not in the total
    interest_per_day: Decimal = Decimal(0)  # what a day adds, at the letter's date's rate
    heavy_salaer: Decimal = Decimal(0)  # demand: salær if not paid 28 days after deadline
    heavy_salaer_from: date | None = None  # the first day heavy salær may be charged
    access: LetterAccess | None = None  # issue 19: the debtor's page, its code and PIN
    plan: PlanTerms | None = None  # issue 19: a payment plan's letter (PLAN_LETTERS)

    @property
    def principal(self) -> Decimal:
        return sum((item.principal for item in self.items), Decimal(0))

    @property
    def fees(self) -> Decimal:
        return sum((item.fee for item in self.items), Decimal(0))

    @property
    def interest(self) -> Decimal:
        return sum((item.interest for item in self.items), Decimal(0))

    @property
    def demand_fee(self) -> Decimal:
        """The creditor's own demand fees open (inndrivingskostnader, own collection)."""
        return sum((item.demand_fee for item in self.items), Decimal(0))

    @property
    def owed(self) -> Decimal:
        """Everything the items and salær add up to."""
        return self.principal + self.fees + self.interest + self.demand_fee + self.salaer

    @property
    def total(self) -> Decimal:
        """What the letter asks the debtor to pay (a plan's letter: see PlanTerms.asked)."""
        return self.plan.asked if self.plan is not None else self.owed


@dataclass(frozen=True, slots=True)
class ListedCase:
    """One line of a collection list: a case whose notice deadline has run out."""

    case_number: str
    debtor: str
    invoice_numbers: tuple[int, ...]
    principal: Decimal
    remaining: Decimal
    notice_date: date
    deadline: date


@dataclass(frozen=True, slots=True)
class CollectionList:
    """The creditor's list of cases ready for collection (inkassoliste, SPEC C9)."""

    language: Language
    list_date: date
    creditor: Party
    collector: Party
    cases: tuple[ListedCase, ...]
    handover_date: date | None  # automatic mode: the Thursday they go to collection

    @property
    def total(self) -> Decimal:
        return sum((case.remaining for case in self.cases), Decimal(0))
