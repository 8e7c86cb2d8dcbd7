"""The API's request and response bodies (pydantic, at the edge only). Amounts are
strings with two decimals and dates ISO 8601, as in the CLI's `--json`; request fields
are text read by the same rules as the CLI's options, so a bad one gets the CLI's code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from fordring.domain.company import Company
from fordring.domain.customers import Customer
from fordring.domain.money import format_amount
from fordring.domain.reskontro import settlement_status
from fordring.entrypoints.api.schemas_plans import PlanOut
from fordring.services.ports import CaseSummary, InvoiceSummary, StoredInvoice


def amount(value: Decimal) -> str:
    return format_amount(value)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- companies ---------------------------------------------------------------------------


class CompanyOut(BaseModel):
    orgnr: str
    name: str
    account: str
    street: str
    postcode: str
    city: str
    email: str
    vat_registered: bool
    kid_algorithm: str
    kid_length: int
    terms_days: int

    @classmethod
    def of(cls, c: Company) -> CompanyOut:
        return cls(
            orgnr=c.orgnr,
            name=c.name,
            account=c.account,
            street=c.address.street,
            postcode=c.address.postcode,
            city=c.address.city,
            email=c.email,
            vat_registered=c.vat_registered,
            kid_algorithm=c.kid_policy.algorithm.value,
            kid_length=c.kid_policy.length,
            terms_days=c.default_terms_days,
        )


class CompanyChangeIn(Strict):
    """Only the fields given change (as `fordring company change`); recorded."""

    name: str | None = None
    account: str | None = Field(None, description="bank account, 11 digits")
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    email: str | None = None
    vat_registered: bool | None = None
    kid_algorithm: str | None = Field(None, description="mod10 or mod11")
    kid_length: int | None = None
    terms_days: int | None = Field(None, description="default payment terms, 0-365 days")


# --- customers ---------------------------------------------------------------------------


class CustomerChangeIn(Strict):
    """Only the fields given change (as `fordring customer change`)."""

    name: str | None = None
    email: str | None = None
    email_reliable: bool | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    peppol: str | None = None
    language: str | None = None
    exempt: bool | None = None

    def fields(self) -> dict[str, str]:
        given = self.model_dump(exclude_none=True)
        return {k: ("yes" if v else "") if isinstance(v, bool) else v for k, v in given.items()}


class CustomerIn(Strict):
    """A business (give `orgnr`) or a consumer (`kind: consumer`)."""

    name: str
    kind: str = Field("", description="business or consumer (default: business with orgnr)")
    orgnr: str = ""
    birth_date: str = Field("", description="YYYY-MM-DD, a consumer's (optional)")
    number: str = Field("", description="customer number (default: the next in the series)")
    email: str = ""
    email_reliable: bool = False
    phone: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NO"
    peppol: str = ""
    language: str = "nb"
    exempt: bool = False
    allow_duplicate: bool = False

    def fields(self) -> dict[str, str]:
        given = self.model_dump(exclude={"number", "allow_duplicate"})
        return {k: ("yes" if v else "") if isinstance(v, bool) else v for k, v in given.items()}


class CustomerOut(BaseModel):
    number: int
    kind: str
    name: str
    orgnr: str | None
    birth_date: date | None
    address: str
    postcode: str
    city: str
    country: str
    email: str
    phone: str
    peppol: str | None
    language: str
    exempt: bool
    email_reliable: bool
    email_reliable_since: date | None

    @classmethod
    def of(cls, c: Customer) -> CustomerOut:
        return cls(
            number=c.number,
            kind=c.kind.value,
            name=c.name,
            orgnr=c.orgnr,
            birth_date=c.birth_date,
            address=c.address.street,
            postcode=c.address.postcode,
            city=c.address.city,
            country=c.address.country,
            email=c.email,
            phone=c.phone,
            peppol=c.peppol_id,
            language=c.language.value,
            exempt=c.reminder_exempt,
            email_reliable=c.email_reliable,
            email_reliable_since=c.email_reliable_since,
        )


class CustomerPage(BaseModel):
    items: list[CustomerOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: last")


# --- invoices ----------------------------------------------------------------------------


class LineIn(Strict):
    text: str
    quantity: str = Field(description="a decimal number, e.g. 7.5")
    unit_price: str = Field(description="NOK (or the currency) per unit, e.g. 1200.00")
    vat: str = Field("25", description="VAT rate in percent: 25, 15, 12 or 0")


class InvoiceIn(Strict):
    customer: int = Field(description="the customer number")
    lines: list[LineIn]
    due: str | None = Field(None, description="YYYY-MM-DD (default: terms from today)")
    terms: int | None = Field(None, description="days to the due date (default: company's)")
    currency: str = "NOK"
    exchange_rate: str = ""
    kid: str | None = None
    exempt: bool = False


class CreditNoteIn(Strict):
    lines: list[LineIn] = Field(default_factory=list, description="none: credit in full")


class LineOut(BaseModel):
    text: str
    quantity: str
    unit_price: str
    vat: str
    amount: str


class VatLineOut(BaseModel):
    rate: str
    taxable: str
    vat: str


class InvoiceOut(BaseModel):
    number: int
    kind: str
    customer: int
    customer_name: str
    issue_date: date
    due_date: date
    currency: str
    exchange_rate: str
    kid: str
    net: str
    vat: str
    total: str
    total_nok: str
    open_amount: str
    status: str
    credits: int | None
    exempt: bool
    voucher: int
    vat_lines: list[VatLineOut]
    lines: list[LineOut]

    @classmethod
    def of(cls, s: StoredInvoice) -> InvoiceOut:
        inv = s.invoice
        return cls(
            number=inv.number,
            kind=inv.kind.value,
            customer=s.customer_number,
            customer_name=s.customer_name,
            issue_date=inv.issue_date,
            due_date=inv.due_date,
            currency=inv.currency,
            exchange_rate=str(inv.exchange_rate),
            kid=inv.kid,
            net=amount(inv.net),
            vat=amount(inv.vat),
            total=amount(inv.total),
            total_nok=amount(s.total_nok),
            open_amount=amount(s.open_amount),
            status="credit_note"
            if inv.is_credit_note
            else settlement_status(s.total_nok, s.open_amount),
            credits=s.credited_number,
            exempt=inv.reminder_exempt,
            voucher=s.voucher_number,
            vat_lines=[
                VatLineOut(rate=str(v.rate), taxable=amount(v.taxable), vat=amount(v.vat))
                for v in inv.vat_lines
            ],
            lines=[
                LineOut(
                    text=x.description,
                    quantity=str(x.quantity),
                    unit_price=str(x.unit_price),
                    vat=str(x.vat_rate),
                    amount=amount(x.net),
                )
                for x in inv.lines
            ],
        )


class InvoiceSummaryOut(BaseModel):
    number: int
    kind: str
    customer: int
    customer_name: str
    issue_date: date
    due_date: date
    kid: str
    currency: str
    total: str
    total_nok: str
    open_amount: str
    status: str

    @classmethod
    def of(cls, s: InvoiceSummary) -> InvoiceSummaryOut:
        return cls(
            number=s.number,
            kind=s.kind,
            customer=s.customer_number,
            customer_name=s.customer_name,
            issue_date=s.issue_date,
            due_date=s.due_date,
            kid=s.kid,
            currency=s.currency,
            total=amount(s.total),
            total_nok=amount(s.total_nok),
            open_amount=amount(s.open_amount),
            status="credit_note"
            if s.kind != "invoice"
            else settlement_status(s.total_nok, s.open_amount),
        )


class InvoicePage(BaseModel):
    items: list[InvoiceSummaryOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: last")


class SendOut(BaseModel):
    queued: int = Field(description="documents queued now (0: queued before)")


# --- errors (RFC 9457) -------------------------------------------------------------------


class ProblemField(BaseModel):
    field: str
    code: str
    message: str
    where: str | None = None


class ProblemOut(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemField] = Field(default_factory=list)


# --- payments ----------------------------------------------------------------------------


class PaymentIn(Strict):
    """A payment seen in the bank or paid in cash, by KID or invoice number."""

    amount: str = Field(description="the amount paid, e.g. 2500.50")
    date: str | None = Field(None, description="YYYY-MM-DD (default: today)")
    kid: str | None = None
    invoice: int | None = Field(None, description="an invoice number, instead of a KID")
    to: str = Field("direct", description="direct (own account) or client (client account)")


class MatchIn(Strict):
    items: list[str] = Field(description="invoice numbers of one customer, or one case:N")


class AppliedOut(BaseModel):
    to: str
    amount: str


class RegisteredOut(BaseModel):
    payment: int
    voucher: int
    case: int | None
    applied: list[AppliedOut]
    overpayment: str | None
    order: list[str]


class SuggestionOut(BaseModel):
    item: str
    customer: str
    owed: str
    why: str


class PaymentOut(BaseModel):
    payment: int
    received: date
    channel: str
    amount: str
    kid: str
    payer: str
    text: str
    status: str
    matched_by: str
    customer: int | None
    case: int | None
    invoices: list[int]
    principal: str
    interest: str
    fees: str
    salaer: str
    credit: str
    refunded: str
    settlement: int | None
    suggestions: list[SuggestionOut] = Field(default_factory=list)


class PaymentPage(BaseModel):
    items: list[PaymentOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: last")


# --- the law's calculators ---------------------------------------------------------------


class InterestPeriodOut(BaseModel):
    start: date
    end: date
    days: int
    rate: str
    days_in_year: int
    amount: str
    confirmed: bool
    source: str


class InterestOut(BaseModel):
    principal: str
    due: date
    to: date
    days: int
    total: str
    confirmed: bool = Field(description="false: a rate in use is not confirmed yet")
    rule: str
    source: str
    periods: list[InterestPeriodOut]


class DeadlineOut(BaseModel):
    sent: date
    days: int
    unadjusted: date
    deadline: date
    moved: bool
    reason: str


class KeepIn(Strict):
    customer: int = Field(description="whose credit the payment becomes")


class RefundOut(BaseModel):
    payment: int
    refunded: str
    voucher: int


class KeptOut(BaseModel):
    payment: int
    customer: int
    voucher: int


class BankFileOut(BaseModel):
    format: str
    file_id: str
    payments: int
    total: str
    matched: int
    matched_by: dict[str, int]
    unmatched: int
    reversed: int
    credit_notes: int
    held: int
    interest_charged: str


# --- collection cases --------------------------------------------------------------------


class CaseSummaryOut(BaseModel):
    number: int
    state: str
    customer: int
    customer_name: str
    kid: str
    registered_on: date
    invoices: list[int]
    principal: str
    remaining: str
    merged_into: int | None
    held_reason: str | None

    @classmethod
    def of(cls, c: CaseSummary) -> CaseSummaryOut:
        return cls(
            number=c.number,
            state=c.state,
            customer=c.customer_number,
            customer_name=c.customer_name,
            kid=c.kid,
            registered_on=c.registered_on,
            invoices=list(c.invoice_numbers),
            principal=amount(c.principal),
            remaining=amount(c.remaining),
            merged_into=c.merged_into,
            held_reason=c.held_reason,
        )


class CasePage(BaseModel):
    items: list[CaseSummaryOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: last")


class CaseEventOut(BaseModel):
    day: date
    actor: str
    kind: str
    text: str


class CaseLetterOut(BaseModel):
    kind: str
    day: date
    deadline: date | None
    charged: str
    total: str


class PaymentReportOut(BaseModel):
    """A payment the debtor reported on the debtor's page (issue 19): not a payment,
    nothing is booked from it."""

    paid_on: date
    amount: str
    note: str
    reported_on: date
    status: str = Field(description="holding, recorded (held nothing), seen (in the bank), lapsed")
    hold_until: date | None = Field(description="the first day the steps go on again")
    ended_on: date | None = Field(description="the day it was seen in the bank or lapsed")


class ObjectionAttachmentOut(BaseModel):
    name: str = Field(description="the file's name as the debtor gave it, made safe to show")
    media_type: str = Field(description="application/pdf, image/png or image/jpeg, by content")
    size: int
    sha256: str


class ObjectionOut(BaseModel):
    id: int = Field(description="its number in the attachment's path")
    day: date
    actor: str
    reason: str = Field(
        description="not_ordered, already_paid, wrong_amount, defective, not_me or other"
    )
    text: str = Field(description="the debtor's own words (may hold line breaks)")
    addition: bool = Field(description="added to a case that stood objected or paused")
    attachment: ObjectionAttachmentOut | None


class CaseOut(BaseModel):
    case: CaseSummaryOut
    fees_open: str
    salaer_open: str
    interest_open: str
    interest_accrued: str | None = Field(description="null: a rate the tables lack")
    owed: str
    history: list[CaseEventOut]
    letters: list[CaseLetterOut]
    payment_reports: list[PaymentReportOut] = Field(
        default_factory=list, description="the payments the debtor reported, oldest first"
    )
    steps_held_until: date | None = Field(
        None, description="letters, fees and hand-over wait until this day for a report"
    )
    objections: list[ObjectionOut] = Field(
        default_factory=list, description="the debtor's objections, oldest first"
    )
    plans: list[PlanOut] = Field([], description="payment plans and deferrals, newest first")


class CaseActionIn(Strict):
    reason: str = Field("", description="why; kept in the case history (500 characters)")


class CaseMessageIn(Strict):
    message: str = Field(description="to the case handler; kept in the case history")


class DebtorAnswerIn(Strict):
    message: str = Field(description="to the debtor, shown on the debtor's page (1000 characters)")


class DebtorAnswerOut(BaseModel):
    case: int
    added: bool = Field(description="false: the same answer was the last one today already")


class CaseStateOut(BaseModel):
    case: int
    state: str
    closes_by_itself_on: date | None


# --- the collection agreement, sending, the collection list --------------------------------


class AgreementChangeIn(Strict):
    settings: dict[str, str] = Field(
        description="setting: value, read as `collection agreement set KEY=VALUE` reads it"
    )


class ReasonOut(BaseModel):
    code: str
    text: str


class EligibilityOut(BaseModel):
    invoice: int
    eligible: bool
    reasons: list[ReasonOut]


class EligibilityList(BaseModel):
    items: list[EligibilityOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: last")


class SendIn(Strict):
    invoices: list[int] = Field(
        default_factory=list, description="these invoices (each must be eligible)"
    )
    all_eligible: bool = Field(False, description="every eligible open invoice instead")
    limitation_interrupted: str | None = Field(
        None, description="YYYY-MM-DD: the limitation was interrupted that day (with invoices)"
    )


class SkippedOut(BaseModel):
    invoice: int
    reasons: list[str]


class SentOut(BaseModel):
    cases: list[CaseSummaryOut]
    skipped: list[SkippedOut]


class ListedCaseOut(BaseModel):
    case: int
    debtor: str
    invoices: list[int]
    remaining: str
    notice_date: date
    deadline: date
    list_sent_on: date | None


class CollectionListOut(BaseModel):
    items: list[ListedCaseOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: last")


class ApproveIn(Strict):
    cases: list[int] = Field(default_factory=list, description="these cases on the list")
    all: bool = Field(False, description="every case on the list instead")


class ApprovedOut(BaseModel):
    approved: list[int]
    handover_on: date = Field(description="the day whose run hands them over")


# --- settlements -------------------------------------------------------------------------


class SettlementSummaryOut(BaseModel):
    settlement: int
    day: date
    payments: int
    received: str
    kept: str
    paid_out: str


class SettlementPage(BaseModel):
    items: list[SettlementSummaryOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: last")


class SettledLineOut(BaseModel):
    received_on: date
    kid: str | None
    payer: str | None
    customer: int | None
    case: int | None
    invoices: list[int]
    amount: str
    principal: str
    interest: str
    fees: str
    salaer: str
    credit: str
    paid_out: str


class SettlementOut(BaseModel):
    settlement: int
    day: date
    creditor: str
    collector: str
    received: str
    principal: str
    interest: str
    fees: str
    salaer: str
    credit: str
    kept: str
    paid_out: str
    payments: list[SettledLineOut]


# --- the daily run -----------------------------------------------------------------------


class RunStatusOut(BaseModel):
    company: str = Field(description="its organisation number")
    last_run: date | None = Field(description="the last business day run (null: none yet)")


class RunIn(Strict):
    day: str | None = Field(None, description="run up to this day YYYY-MM-DD (default today)")
    each_day: bool = Field(
        True, description="run each day not yet run up to `day`; false: `day` alone"
    )


class RunOut(BaseModel):
    via_workers: bool = Field(description="true: queued for the workers (PostgreSQL)")
    job: int | None = Field(description="the queued job (null: run here, or already queued)")
    days: list[date] = Field(description="the days run (empty when queued)")
    steps: int = Field(description="collection steps done")
    settlements: list[int]
    already_run_to: date | None


# --- API keys ----------------------------------------------------------------------------


class ApiKeyIn(Strict):
    name: str = Field(description="who uses it; the actor of what it does")
    role: str = Field(description="administrator, finance_user, api_user or read_only")


class ApiKeyOut(BaseModel):
    prefix: str
    name: str
    role: str
    created_on: date
    revoked_on: date | None


class MadeKeyOut(ApiKeyOut):
    token: str | None = Field(
        description="the key, shown once (null in a repeat: it is not stored)"
    )


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]
    next_after: str | None = Field(description="pass as `after` for the next page; null: last")
