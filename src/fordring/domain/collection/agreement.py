"""The collection agreement (innfordringsavtale, SPEC C1): how a creditor's claims are
followed up. Every setting has a default, a parser and a check; `set KEY=VALUE` uses them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from fordring.domain.collection.agreement_rules import (
    ACCOUNT_CLASSES,
    account_problems,
    number_problems,
)
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.identifiers import parse_account, parse_orgnr
from fordring.domain.input_rules import (
    CITY_LENGTH,
    EMAIL_LENGTH,
    NAME_LENGTH,
    PHONE_LENGTH,
    POSTCODE_LENGTH,
    SETTING_LENGTH,
    STREET_LENGTH,
    check_text,
    parse_amount,
)
from fordring.domain.law.deadlines import FEE_EARLIEST_DAYS, LETTER_DEADLINE_DAYS
from fordring.domain.ledger import check_account


class ReminderFlow(StrEnum):
    REMINDER_FIRST = "reminder_first"  # a fee-free reminder, then the collection notice
    NOTICE_ONLY = "notice_only"  # the collection notice is the only reminder


class VatBusiness(StrEnum):
    """Whether the claims come from VAT-liable business (inkassoforskriften § 2-2): if not,
    salær + 25 %, since the creditor cannot deduct the VAT on it."""

    AUTO = "auto"  # follow the company's VAT registration (`company add --no-vat`: no)
    YES = "yes"
    NO = "no"  # e.g. a VAT-registered company's claims from exempt activity


class PlanAutomatic(StrEnum):
    """Which debtors get a payment plan or deferral inside the limits at once (issue 19);
    the others' proposals wait for the creditor."""

    NONE = "none"
    CONSUMERS = "consumers"
    BUSINESSES = "businesses"
    ALL = "all"


class PayTo(StrEnum):
    CREDITOR = "creditor"  # the creditor's own account, with the invoice's KID
    CLIENT_ACCOUNT = "client_account"  # the collector's client account, with a case KID


@dataclass(frozen=True, slots=True)
class Agreement:
    reminder_flow: ReminderFlow = ReminderFlow.REMINDER_FIRST
    reminder_days: int = 7  # a reminder at the earliest this many days after due
    reminder_deadline_days: int = LETTER_DEADLINE_DAYS
    notice_days: int = FEE_EARLIEST_DAYS  # notice-only flow: earliest days after due
    notice_deadline_days: int = LETTER_DEADLINE_DAYS
    demand_deadline_days: int = LETTER_DEADLINE_DAYS  # the payment demand's deadline
    minimum_amount: Decimal = Decimal(0)  # smaller open amounts are not followed up
    running_days: int = 0  # løpedager: days after due before an invoice may be sent
    consolidated: bool = True  # one notice per debtor and day (samlepurring)
    pay_to: PayTo = PayTo.CREDITOR
    client_account: str = ""  # the collector's client account, for PayTo.CLIENT_ACCOUNT
    automatic_sending: bool = False  # the daily run sends every eligible invoice
    automatic_handover: bool = False  # listed cases go to collection on Thursday
    list_email: str = ""  # where the collection list is e-mailed
    fee_account: str = "3900"
    interest_account: str = "8055"
    salaer_account: str = "2910"  # salær booked as owed on to the collector
    collection_cost_account: str = "7790"  # salær the creditor bears when it closes a case
    bank_account: str = "1920"  # the creditor's bank: direct payments, settlements paid out
    settlement_account: str = "1575"  # intermediate: what the client account holds for us
    unmatched_account: str = "2990"  # payments received but not yet matched to a customer
    credit_account: str = "2900"  # overpayments kept as the customer's credit
    collector_name: str = ""  # the licensed collector after hand-over ("": own collection)
    collector_orgnr: str = ""
    move_deadlines: bool = True  # a deadline on a non-banking day moves to the next one
    # issue 12, law
    claims_from_vat_business: VatBusiness = VatBusiness.AUTO
    standard_compensation: bool = False  # claim it from business debtors with the notice
    compensation_account: str = "3900"  # income account of standard compensation
    # issue 12, calendar
    holiday_deadlines: bool = False  # deadlines in Christmas/Easter week move past that week
    # issue 12, engine: a case's remainder after payments below this is written off (0: off)
    small_remainder_write_off: Decimal = Decimal(0)
    # issue 12, payments: a reliable e-mail mark (inkassoloven § 3 a) lasts this long
    reliable_email_months: int = 12
    # issue 12, letters: the collector's address and contacts on its letters
    collector_street: str = ""
    collector_postcode: str = ""
    collector_city: str = ""
    collector_phone: str = ""
    collector_email: str = ""
    collector_web: str = ""
    # issue 19: a debtor's "I have paid" holds the steps this many banking days (0: off)
    reported_payment_hold_days: int = 5
    # issue 19, payment plans (nedbetalingsavtale) and deferrals (betalingsutsettelse)
    plan_automatic: PlanAutomatic = PlanAutomatic.CONSUMERS
    plan_max_months: int = 6  # instalments, one a month, a plan accepted at once may have
    plan_min_instalment: Decimal = Decimal(500)  # each instalment but the last, at least
    deferral_max_days: int = 30  # a deferral accepted at once: this many days at most
    plan_reminder_days: int = LETTER_DEADLINE_DAYS  # a missed instalment's reminder's deadline
    # Heavy salær on a case whose plan broke: off, the kinder reading (docs/law.md).
    heavy_salaer_after_broken_plan: bool = False
    # issue 19: an invoice prints the debtor's page, a code and a PIN as the letters do
    invoice_debtor_access: bool = False

    @property
    def creditor_deducts_vat(self) -> bool:
        """False when salær gets + 25 % (forskriften § 2-2). AUTO counts as yes here: the
        daily run resolves it with the company first (`for_company`)."""
        return self.claims_from_vat_business is not VatBusiness.NO

    def problems(self) -> list[Problem]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        found = number_problems(values)
        found += account_problems({key: values[key] for key in ACCOUNT_CLASSES})
        if self.pay_to is PayTo.CLIENT_ACCOUNT and not self.client_account:
            found.append(Problem("client_account", "needed when debtors pay to a client account"))
        if self.list_email and "@" not in self.list_email:
            found.append(Problem("list_email", f"{self.list_email!r} is not an e-mail address"))
        found += self._collector_problems()
        return found

    def _collector_problems(self) -> list[Problem]:
        found: list[Problem] = []
        postcode = self.collector_postcode
        if postcode and not (postcode.isascii() and postcode.isdigit() and len(postcode) == 4):
            found.append(Problem("collector_postcode", f"{postcode!r} is not 4 digits"))
        email = self.collector_email
        if email and ("@" not in email or " " in email):
            found.append(Problem("collector_email", f"{email!r} is not an e-mail address"))
        phone = self.collector_phone
        if phone and not all(c in "0123456789+ " for c in phone):
            found.append(Problem("collector_phone", f"{phone!r}: digits, spaces and + only"))
        return found


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "ja", "on"):
        return True
    if value in ("0", "false", "no", "nei", "off"):
        return False
    raise ValueError("not yes or no")


def _days(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError("not a whole number of days")
    return int(digits)


def _text(key: str, limit: int) -> Callable[[str], str]:
    """A free-text setting, read by the input rules."""
    return lambda text: check_text(text, key, limit)


def _orgnr(text: str) -> str:
    return parse_orgnr(text, "collector_orgnr") if text.strip() else ""


def _account(text: str) -> str:
    return parse_account(text, "client_account") if text.strip() else ""


PARSERS: Mapping[str, Callable[[str], Any]] = {
    "reminder_flow": ReminderFlow,
    "reminder_days": _days,
    "reminder_deadline_days": _days,
    "notice_days": _days,
    "notice_deadline_days": _days,
    "demand_deadline_days": _days,
    "minimum_amount": lambda t: parse_amount(t, "minimum_amount"),
    "running_days": _days,
    "consolidated": _flag,
    "pay_to": PayTo,
    "client_account": _account,
    "automatic_sending": _flag,
    "automatic_handover": _flag,
    "list_email": _text("list_email", EMAIL_LENGTH),
    "fee_account": lambda t: check_account(t.strip(), "fee_account"),
    "interest_account": lambda t: check_account(t.strip(), "interest_account"),
    "salaer_account": lambda t: check_account(t.strip(), "salaer_account"),
    "collection_cost_account": lambda t: check_account(t.strip(), "collection_cost_account"),
    "bank_account": lambda t: check_account(t.strip(), "bank_account"),
    "settlement_account": lambda t: check_account(t.strip(), "settlement_account"),
    "unmatched_account": lambda t: check_account(t.strip(), "unmatched_account"),
    "credit_account": lambda t: check_account(t.strip(), "credit_account"),
    "collector_name": _text("collector_name", NAME_LENGTH),
    "collector_orgnr": _orgnr,
    "move_deadlines": _flag,
    # issue 12, law
    "claims_from_vat_business": VatBusiness,
    "standard_compensation": _flag,
    "compensation_account": lambda t: check_account(t.strip(), "compensation_account"),
    # issue 12, calendar
    "holiday_deadlines": _flag,
    # issue 12, engine
    "small_remainder_write_off": lambda t: parse_amount(t, "small_remainder_write_off"),
    # issue 12, payments
    "reliable_email_months": _days,
    # issue 12, letters
    "collector_street": _text("collector_street", STREET_LENGTH),
    "collector_postcode": _text("collector_postcode", POSTCODE_LENGTH),
    "collector_city": _text("collector_city", CITY_LENGTH),
    "collector_phone": _text("collector_phone", PHONE_LENGTH),
    "collector_email": _text("collector_email", EMAIL_LENGTH),
    "collector_web": _text("collector_web", SETTING_LENGTH),
    # issue 19
    "reported_payment_hold_days": _days,
    # issue 19, payment plans
    "plan_automatic": PlanAutomatic,
    "plan_max_months": _days,
    "plan_min_instalment": lambda t: parse_amount(t, "plan_min_instalment"),
    "deferral_max_days": _days,
    "plan_reminder_days": _days,
    "heavy_salaer_after_broken_plan": _flag,
    # issue 19, the invoice
    "invoice_debtor_access": _flag,
}
assert set(PARSERS) == {f.name for f in fields(Agreement)}, "every setting needs a parser"


# issue 12, law: settings that were renamed, still read from databases that stored them.
# creditor_deducts_vat=false (salær + 25 %) is claims_from_vat_business=no; =true is yes.
RENAMED: Mapping[str, tuple[str, Callable[[str], str]]] = {
    "creditor_deducts_vat": (
        "claims_from_vat_business",
        lambda t: VatBusiness.YES.value if _flag(t) else VatBusiness.NO.value,
    ),
}


def for_company(agreement: Agreement, *, vat_registered: bool) -> Agreement:
    """The agreement with `claims_from_vat_business` resolved: AUTO follows the company's VAT
    registration (a company outside the VAT register cannot deduct VAT on salær)."""
    if agreement.claims_from_vat_business is not VatBusiness.AUTO:
        return agreement
    resolved = VatBusiness.YES if vat_registered else VatBusiness.NO
    return replace(agreement, claims_from_vat_business=resolved)


def _renamed(settings: Mapping[str, str]) -> tuple[dict[str, str], list[Problem]]:
    current: dict[str, str] = {}
    problems: list[Problem] = []
    for key, text in settings.items():
        if key not in RENAMED:
            current[key] = text
            continue
        new_key, convert = RENAMED[key]
        try:
            current.setdefault(new_key, convert(text))
        except ValueError as error:
            problems.append(Problem(key, f"{text!r}: {error}", code="not_yes_no"))
    for key in settings.keys() & {new for new, _ in RENAMED.values()}:
        current[key] = settings[key]  # the new name wins over the old one
    return current, problems


SettingValue = bool | int | Decimal | str  # a StrEnum setting is a str too
_TYPES: Mapping[str, type] = {f.name: type(getattr(Agreement(), f.name)) for f in fields(Agreement)}


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """New values for some of the agreement's settings (`collection agreement set`): each
    key a setting, each value of that setting's type (checked when made)."""

    values: Mapping[str, SettingValue]

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        for key, value in self.values.items():
            kind = _TYPES.get(key)
            if kind is None:
                problems.append(_unknown(key))
            elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                reason = f"{value!r} is not a {kind.__name__}"
                problems.append(Problem(key, reason, code="wrong_type"))
        if problems:
            raise InvalidInput(problems)

    def applied_to(self, agreement: Agreement) -> Agreement:
        """The agreement with these values, or InvalidInput with every rule it breaks."""
        values: dict[str, Any] = dict(self.values)  # each value checked against its type
        updated = replace(agreement, **values)
        problems = updated.problems()
        if problems:
            raise InvalidInput(problems)
        return updated


def _unknown(key: str) -> Problem:
    reason = "unknown setting; known: " + ", ".join(PARSERS)
    return Problem(key, reason, code="unknown_setting")


def _parsed(settings: Mapping[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    settings, problems = _renamed(settings)
    changes: dict[str, Any] = {}
    for key, text in settings.items():
        parser = PARSERS.get(key)
        if parser is None:
            problems.append(_unknown(key))
            continue
        try:
            changes[key] = parser(text)
        except InvalidInput as error:
            problems.extend(error.problems)
        except ValueError as error:
            problems.append(Problem(key, f"{text!r}: {_why(parser, error)}", code=_code(parser)))
    return changes, problems


def parse_settings(settings: Mapping[str, str]) -> SettingsChange:
    """Settings as typed (KEY → text) read into a typed change; every problem at once,
    with the rules each value breaks on its own (not those between settings: the
    agreement they join checks those)."""
    changes, problems = _parsed(settings)
    refused = {p.field for p in problems}
    alone = replace(Agreement(), **changes).problems()
    problems += [p for p in alone if p.field in changes and p.field not in refused]
    if problems:
        raise InvalidInput(problems)
    return SettingsChange(changes)


def typed_settings(settings: Mapping[str, str]) -> dict[str, Any]:
    """Settings as typed or stored (KEY → text), each read on its own with no rule
    checked; a setting whose text does not read (or an unknown one) is left out."""
    changes, _ = _parsed(settings)
    return changes


def with_settings(agreement: Agreement, settings: Mapping[str, str]) -> Agreement:
    """The agreement with `settings` (KEY → text, as stored) applied; every problem at once."""
    changes, problems = _parsed(settings)
    updated = replace(agreement, **changes)
    refused = {p.field for p in problems}
    problems += [p for p in updated.problems() if p.field not in refused]
    if problems:
        raise InvalidInput(problems)
    return updated


def _code(parser: Callable[[str], Any]) -> str:
    if isinstance(parser, type) and issubclass(parser, StrEnum):
        return "not_a_choice"
    codes: dict[object, str] = {_flag: "not_yes_no", _days: "not_whole_days"}
    return codes.get(parser, "invalid")


def _why(parser: Callable[[str], Any], error: ValueError) -> str:
    if isinstance(parser, type) and issubclass(parser, StrEnum):
        return "must be one of " + ", ".join(member.value for member in parser)
    return str(error)


def as_settings(agreement: Agreement) -> dict[str, Any]:
    return {f.name: getattr(agreement, f.name) for f in fields(Agreement)}
