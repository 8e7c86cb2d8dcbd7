"""See the claim (issue 19, docs/debtor_page.md): the signed-in debtor's case as the
debtor reads it. Every amount comes from the services the portal and `collection case`
use (`case_desk.case_page`, `collection.show_case`) and the letters as the run decided
them; nothing is computed here but which of them to show. The scope is the visit's
(`entrypoints/web/debtor/visit.scope_of`): the case is always the visit's own."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.history import DEBTOR_THREAD, EventKind
from fordring.domain.collection.letters import Letter, Party
from fordring.domain.errors import NotFound
from fordring.domain.law.tables import RateBook
from fordring.services.case_desk import case_letter, case_page
from fordring.services.case_views import CaseView, show_case
from fordring.services.collection_letters import creditor_party
from fordring.services.ports import CaseEventRecord, LetterDetail, StoredLetter, UnitOfWorkFactory
from fordring.services.scope import Scope

# What of the history concerns the debtor: letters, payments, the case's states, and the
# messages between the debtor and the case handler. Not the creditor's own work (the
# collection list, its approval, held for a rate, reversals of bookings).
DEBTOR_KINDS = frozenset(
    {
        *(EventKind.REGISTERED, EventKind.SEND_REMINDER, EventKind.SEND_NOTICE),
        *(EventKind.RENEW_NOTICE, EventKind.HAND_OVER, EventKind.HEAVY_SALAER),
        *(EventKind.MERGE, EventKind.SEND_STAGE_LETTER, EventKind.SEND_INTEREST_NOTE),
        *(EventKind.CLOSE_SETTLED, EventKind.CLOSE_EXPIRED_PAUSE, EventKind.CLOSE_TIME_BARRED),
        *(EventKind.WRITE_OFF_REMAINDER, EventKind.PAUSE, EventKind.RESUME, EventKind.OBJECT),
        *(EventKind.CLOSE, EventKind.OBJECT_UPHELD, EventKind.TO_LEGAL, EventKind.NEW_DEMAND),
        *(EventKind.ENFORCEMENT_NOTICE, EventKind.PAYMENT, EventKind.PAYMENT_REVERSED),
        *(EventKind.REOPENED, EventKind.HANDOVER_UNDONE),
        # the debtor's own reports and messages and the creditor's answers (issue 19)
        *(EventKind.PAYMENT_REPORTED, EventKind.REPORT_HOLD_ENDED, *DEBTOR_THREAD),
        # the debtor's payment plans and deferrals
        *(EventKind.PLAN_PROPOSED, EventKind.PLAN_ACCEPTED, EventKind.PLAN_REJECTED),
        *(EventKind.PLAN_REMINDER, EventKind.PLAN_BROKEN, EventKind.PLAN_COMPLETED),
    }
)


@dataclass(frozen=True, slots=True)
class WhereToPay:
    """The payment box of the case's latest letter, with what is owed today (a payment
    plan's letter with its deadline ahead: what it asks by then)."""

    account: str
    kid: str
    amount: Decimal  # owed today; a plan's letter: its instalment or what is behind
    deadline: date | None  # the latest letter's, when it is still ahead
    account_holder: str  # whose account ("": the creditor's)
    client_account: bool  # the collector's client account


@dataclass(frozen=True, slots=True)
class DebtorClaim:
    """The case as the debtor sees it."""

    view: CaseView  # what `collection case` shows: amounts owed today, split
    letters: list[tuple[StoredLetter, LetterDetail]]  # each letter as the run decided it
    creditor: Party
    collector: Party | None  # None: the creditor collects its own claim
    pay: WhereToPay
    owed_on_deadline: Decimal | None  # None: no deadline ahead, or a rate is missing
    history: list[CaseEventRecord]  # what concerns the debtor, newest first


def _shown(event: CaseEventRecord) -> bool:
    # never a plain MESSAGE: those are the creditor's own notes (the debtor's messages
    # and the answers to them are kinds of their own, DEBTOR_THREAD, in DEBTOR_KINDS)
    return event.kind in DEBTOR_KINDS and event.kind is not EventKind.MESSAGE


def _latest(letters: list[LetterDetail]) -> Letter | None:
    found = [d.letter for d in letters if d.letter is not None]
    return found[-1] if found else None


def see_claim(
    scope: Scope, case_number: int, uow_factory: UnitOfWorkFactory, book: RateBook
) -> DebtorClaim:
    """The debtor's case `case_number` of the scope's company on the scope's day (the
    visit's case: the caller never takes it from the request). NotFound if there is none."""
    page = case_page(case_number, scope, uow_factory, book)
    view = page.view
    with uow_factory(scope) as uow:
        company = uow.company.current()
    latest = _latest(page.letters)
    creditor = creditor_party(company)
    collector = None
    if latest is not None and (latest.collector.orgnr, latest.collector.name) != (
        latest.creditor.orgnr,
        latest.creditor.name,
    ):
        collector = latest.collector
    today = scope.business_date
    deadline = latest.deadline if latest is not None else None
    if deadline is not None and deadline < today:
        deadline = None
    # A payment plan's letter asks for an instalment (or what is behind the plan) by its
    # deadline, not the whole claim: the page asks what the letter asks (issue 19).
    plan = latest.plan if latest is not None and deadline is not None else None
    pay = WhereToPay(
        account=latest.account if latest is not None else company.account,
        kid=latest.kid if latest is not None else view.summary.kid,
        amount=plan.pay_now if plan is not None else view.owed,
        deadline=deadline,
        account_holder=latest.account_holder if latest is not None else "",
        client_account=latest.client_account if latest is not None else False,
    )
    on_deadline = None
    if deadline is not None and view.interest_accrued is not None and plan is None:
        later = show_case(case_number, replace(scope, business_date=deadline), uow_factory, book)
        on_deadline = later.owed if later.interest_accrued is not None else None
    return DebtorClaim(
        view=view,
        # only letters sent: not today's still waiting, nor one whose delivery failed
        letters=[(x, d) for x, d in zip(view.letters, page.letters, strict=True) if x.sent],
        creditor=creditor,
        collector=collector,
        pay=pay,
        owed_on_deadline=on_deadline,
        history=[e for e in reversed(view.history) if _shown(e)],
    )


def debtor_letter(
    scope: Scope, case_number: int, position: int, uow_factory: UnitOfWorkFactory
) -> Letter:
    """The visit's case's sent letter at `position` (1: the first, as the page lists them),
    to print again: it shows the code, never the PIN (decision 0015). NotFound if the case
    has no such letter."""
    if position < 1:
        raise NotFound("letter", position)
    with uow_factory(scope) as uow:  # the page numbers the sent letters only
        sent = [i for i, x in enumerate(uow.collection.case_letters(case_number)) if x.sent]
    if position > len(sent):
        raise NotFound("letter", position)
    return case_letter(case_number, sent[position - 1], scope, uow_factory)
