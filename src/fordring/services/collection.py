"""Collection use cases: the agreement, eligibility, sending, the creditor's actions on a
case and what a case shows (C1-C3, C7, C10, C11). The steps themselves run in daily_run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.api_access import Permission
from fordring.domain.collection import history as events
from fordring.domain.collection.agreement import (
    Agreement,
    SettingsChange,
    as_settings,
    parse_settings,
    typed_settings,
    with_settings,
)
from fordring.domain.collection.case import CaseStatus, apply_event
from fordring.domain.collection.case_facts import ChargeKind
from fordring.domain.collection.eligibility import Facts, Reason, reasons
from fordring.domain.collection.history import EventKind, PayloadValue
from fordring.domain.collection.letters import ListedCase
from fordring.domain.collection.payment_reports import PaymentReport, reports_held_until
from fordring.domain.collection.registration import NewCase
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps import interest_not_charged
from fordring.domain.company import Company
from fordring.domain.errors import Conflict, InvalidInput, NotFound, Problem
from fordring.domain.invoices import InvoiceKind
from fordring.domain.law.tables import MissingRate, RateBook
from fordring.services.case_closing import ClosingCosts, close_case
from fordring.services.case_opening import open_cases
from fordring.services.plan_decisions import end_with_case
from fordring.services.ports import (
    CaseEventRecord,
    CaseSummary,
    InvoiceForCollection,
    StoredLetter,
    UnitOfWork,
    UnitOfWorkFactory,
)
from fordring.services.ports.objections import ObjectionRecord
from fordring.services.ports.payment_plans import StoredPlan
from fordring.services.scope import Actor, Scope, require


def _agreement(uow: UnitOfWork) -> Agreement:
    return with_settings(Agreement(), uow.collection.settings())


def show_agreement(scope: Scope, uow_factory: UnitOfWorkFactory) -> Agreement:
    with uow_factory(scope) as uow:
        return _agreement(uow)


def set_agreement(
    change: SettingsChange,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    originals: Mapping[str, object] | None = None,
) -> Agreement:
    """Change settings, validated together with the stored ones (those it replaces are not
    read, so one stored before a rule refused it can be set right); the others keep theirs.
    Nothing is written, and no case woken, when the settings stay as they are.
    `originals`: the value a form showed of a changed setting before it was changed;
    Conflict (nothing written) if the stored value is no longer that one (someone else
    changed it meanwhile). Forbidden for a user or key whose role may not change the
    agreement."""
    require(scope, Permission.CHANGE_AGREEMENT)
    defaults = as_settings(Agreement())
    with uow_factory(scope) as uow:
        stored = uow.collection.settings()
        current = defaults | typed_settings(stored)
        if originals is not None:
            moved = sorted(
                key
                for key in change.values
                if key in originals and originals[key] != current.get(key)
            )
            if moved:
                raise Conflict("changed by someone else meanwhile: " + ", ".join(moved))
        kept = {k: t for k, t in stored.items() if k not in change.values}
        updated = change.applied_to(with_settings(Agreement(), kept))
        settings = as_settings(updated)
        if settings == current and set(stored) <= set(defaults):
            return updated  # as it was: nothing to write, no case to look at again
        overrides = {key: str(value) for key, value in settings.items() if value != defaults[key]}
        uow.collection.save_settings(overrides)
        uow.collection.wake_company()
        uow.commit()
    return updated


def set_agreement_from_text(
    settings: Mapping[str, str],
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    originals: Mapping[str, str] | None = None,
) -> Agreement:
    """`set_agreement` of settings as typed (KEY → text, read as `collection agreement
    set` reads them: every problem at once); the role is checked before the input.
    `originals` (KEY → text, as the form showed them) as set_agreement's; one that does
    not read is a Conflict too (the form was not the one shown)."""
    require(scope, Permission.CHANGE_AGREEMENT)
    change = parse_settings(settings)
    typed: dict[str, object] | None = None
    if originals is not None:
        typed = dict(typed_settings(originals))
        unread = sorted(set(originals) - set(typed))
        if unread:
            raise Conflict("not a value the form showed: " + ", ".join(unread))
    return set_agreement(change, scope, uow_factory, typed)


@dataclass(frozen=True, slots=True)
class Eligibility:
    invoice: InvoiceForCollection
    reasons: list[Reason]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _facts(
    item: InvoiceForCollection,
    agreement: Agreement,
    today: date,
    limitation_interrupted: date | None = None,
) -> Facts:
    return Facts(
        invoice_number=item.number,
        is_credit_note=item.kind == InvoiceKind.CREDIT_NOTE.value,
        currency=item.currency,
        due_date=item.due_date,
        total=item.total_nok,
        open_amount=item.open_amount,
        kid=item.kid,
        invoice_exempt=item.invoice_exempt,
        voucher_mapping=item.voucher_collection,
        customer_is_business=item.customer_kind == "business",
        customer_orgnr=item.customer_orgnr,
        customer_address_complete=item.customer_address_complete,
        customer_exempt=item.customer_exempt,
        in_collection=item.case_number is not None,
        agreement=agreement,
        today=today,
        limitation_interrupted_on=limitation_interrupted,
    )


def _assess(
    uow: UnitOfWork,
    numbers: Sequence[int] | None,
    today: date,
    limitation_interrupted: date | None = None,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[Eligibility]:
    agreement = _agreement(uow)
    found = uow.collection.invoices(numbers, after=after, limit=limit)
    if numbers is not None:
        missing = sorted(set(numbers) - {item.number for item in found})
        if missing:
            raise InvalidInput(
                Problem("invoice", f"no invoice number {n}", code="not_found") for n in missing
            )
    if limitation_interrupted is not None:
        _check_interruption(found, limitation_interrupted, today)
    return [
        Eligibility(item, reasons(_facts(item, agreement, today, limitation_interrupted)))
        for item in found
    ]


def _check_interruption(
    found: Sequence[InvoiceForCollection], interrupted: date, today: date
) -> None:
    """The day the limitation was interrupted lies between the due date and today."""
    if interrupted > today:
        raise InvalidInput.one("limitation-interrupted", f"{interrupted} is after today ({today})")
    early = [i for i in found if i.due_date is not None and interrupted < i.due_date]
    if early:
        raise InvalidInput(
            Problem(
                "limitation-interrupted",
                f"{interrupted} is before invoice {i.number}'s due date {i.due_date}",
            )
            for i in early
        )


def check_eligibility(
    numbers: Sequence[int] | None,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[Eligibility]:
    """For the invoices given (or every open invoice by number: those after `after`, at
    most `limit`): eligible, or every reason why not."""
    with uow_factory(scope) as uow:
        return _assess(uow, numbers or None, scope.business_date, after=after, limit=limit)


@dataclass(frozen=True, slots=True)
class SendResult:
    cases: list[CaseSummary]
    skipped: list[Eligibility]  # with --all-eligible: open invoices that were not eligible


def send_to_collection(
    numbers: Sequence[int] | None,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    limitation_interrupted: date | None = None,
) -> SendResult:
    """Open cases for the invoices given (all must be eligible), or for every eligible one.
    `limitation_interrupted`: the creditor states the limitation of these invoices was
    interrupted that day (foreldelsesloven §§ 14-17); a new 3-year period runs from it."""
    if limitation_interrupted is not None and not numbers:
        raise InvalidInput.one("limitation-interrupted", "give the invoice numbers it is for")
    with uow_factory(scope) as uow:
        company = uow.company.current()
        assessed = _assess(uow, numbers or None, scope.business_date, limitation_interrupted)
        if numbers:
            refused = [e for e in assessed if not e.eligible]
            if refused:
                raise InvalidInput(
                    Problem("invoice", f"{e.invoice.number}: {r.text} ({r.code})")
                    for e in refused
                    for r in e.reasons
                )
        eligible = [e.invoice for e in assessed if e.eligible]
        if not eligible:
            return SendResult([], [e for e in assessed if not e.eligible])
        cases = open_cases(uow, company, eligible, scope.business_date, scope.actor)
        if limitation_interrupted is not None:
            uow.collection.set_limitation_interrupted(
                [i.invoice_id for i in eligible], limitation_interrupted
            )
        uow.commit()
        summaries = [uow.collection.case(case.number) for case in cases]
    return SendResult(
        [s for s in summaries if s is not None], [e for e in assessed if not e.eligible]
    )


def send_eligible(uow: UnitOfWork, company: Company, today: date, actor: Actor) -> list[NewCase]:
    """Automatic sending (the daily run, when the agreement says so): every eligible invoice."""
    eligible = [e.invoice for e in _assess(uow, None, today) if e.eligible]
    if not eligible:
        return []
    return open_cases(
        uow, company, eligible, today, actor, "Sent to collection automatically", taken="skip"
    )


def list_cases(
    state: str | None,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[CaseSummary]:
    """The cases by number (in `state` if given): all, or `limit` after number `after`."""
    with uow_factory(scope) as uow:
        return uow.collection.cases(state, after=after, limit=limit)


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as `collection case` shows it: what is owed, split, with history and letters."""

    summary: CaseSummary
    fees_open: Decimal
    salaer_open: Decimal
    interest_open: Decimal  # interest charged (interest note) and not paid
    interest_accrued: Decimal | None  # interest running, not charged yet (None: rate missing)
    history: list[CaseEventRecord]
    letters: list[StoredLetter]
    # issue 19: the payments the debtor reported, oldest first, and the day the case's
    # steps are held until for them (None: not held on the business date)
    reports: tuple[PaymentReport, ...] = ()
    held_until: date | None = None
    plans: list[StoredPlan] = field(default_factory=list)  # issue 19: the newest first
    objections: list[ObjectionRecord] = field(default_factory=list)  # issue 19: oldest first

    @property
    def owed(self) -> Decimal:
        return (
            self.summary.remaining
            + self.fees_open
            + self.salaer_open
            + self.interest_open
            + (self.interest_accrued or Decimal(0))
        )


def show_case(
    number: int,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
) -> CaseView:
    """The case with everything owed on the scope's business date. Interest accrues from
    the collection notice on (as the interest note claims it) and is computed here, never
    stored day by day."""
    with uow_factory(scope) as uow:  # one round trip reads it all (case_reading)
        found = uow.collection.case_reading(number, scope.business_date)
    if found is None:
        raise InvalidInput.one("case", f"no case number {number}", code="not_found")
    reports = found.reports
    charges = found.open_charges
    accrued: Decimal | None = Decimal(0)
    if found.summary.state != CaseState.CLOSED.value:
        try:
            accrued = interest_not_charged(found.facts, scope.business_date, book)
        except MissingRate:
            accrued = None
    return CaseView(
        found.summary,
        charges.get(ChargeKind.FEE.value, Decimal(0))
        + charges.get(ChargeKind.COMPENSATION.value, Decimal(0)),
        charges.get(ChargeKind.SALAER.value, Decimal(0)),
        charges.get(ChargeKind.INTEREST.value, Decimal(0)),
        accrued,
        found.history,
        found.letters,
        tuple(reports),
        reports_held_until(reports, scope.business_date),
        found.plans,
        found.objections,
    )


@dataclass(frozen=True, slots=True)
class CaseChange:
    """A case's new status and, when it was closed, what the closing cost (as booked)."""

    status: CaseStatus
    costs: ClosingCosts | None = None


# The creditor's acts that end a case's running plan and reject a proposal waiting (it could
# not be accepted in the new state), and the word for the history text.
_ENDS_PLANS = {
    CaseEvent.CLOSE: "closed",
    CaseEvent.OBJECT: "objected to",
    CaseEvent.PAUSE: "paused",
}


def change_case(
    number: int,
    event: CaseEvent,
    note: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> CaseChange:
    """Pause, resume, object to or close a case; refused (nothing changes) when not allowed."""
    with uow_factory(scope) as uow:
        changed = change_case_in(uow, number, event, note, scope)
        uow.commit()
    return changed


def change_case_in(
    uow: UnitOfWork,
    number: int,
    event: CaseEvent,
    note: str,
    scope: Scope,
    *,
    details: Mapping[str, PayloadValue] | None = None,
    text: str | None = None,
) -> CaseChange:
    """`change_case` inside the caller's unit of work (not committed): the one path of a
    case's state change by a person, which the debtor's objection takes too. `details`:
    more payload fields of the history event; `text`: its text instead of the note's."""
    # Locked until commit: the daily run or another person acting on the case at the
    # same moment waits, and the one after sees what the first did.
    found = uow.collection.status(number, lock=True)
    if found is None:
        raise InvalidInput.one("case", f"no case number {number}", code="not_found")
    case_id, status = found
    if status.state is CaseState.PLAN and event is CaseEvent.RESUME:
        reason = "a payment plan runs on the case: end it with `collection plan break`"
        raise InvalidInput.one("case", reason, code="plan_runs")
    costs, closing = "", None
    if event in _ENDS_PLANS:  # issue 19: the plan ends with the case, proposals too
        why = _ENDS_PLANS[event]
        end_with_case(uow, number, case_id, scope.business_date, str(scope.actor), why)
    if event is CaseEvent.CLOSE:
        changed, closing = close_case(uow, case_id, number, status, scope.business_date)
        costs = f"; {closing.text()}"
    else:
        changed = apply_event(status, event, scope.business_date)
    resumed_listed = status.resume_state is CaseState.LISTED and event is CaseEvent.RESUME
    if status.state is CaseState.OBJECTED and resumed_listed:
        uow.collection.forget_listing([case_id])  # back to notified: a new notice first
    elif status.state is CaseState.LISTED and changed.state is CaseState.PAUSED:
        # Stopped on the list: an approval given (or a list sent) before the stop no
        # longer counts, so after resuming it waits on the list for a new approval.
        uow.collection.forget_listing([case_id])
    uow.collection.save_status(case_id, changed, was=status)
    line = text or f"{status.state} → {changed.state}" + (f": {note}" if note else "")
    kind, before, after = EventKind(event.value), status.state.value, changed.state.value
    event_row = events.state_changed(case_id, kind, before, after, note, line + costs)
    if details:
        event_row = event_row._replace(payload={**event_row.payload, **details})
    uow.collection.add_event_rows([event_row], scope.business_date, str(scope.actor))
    return CaseChange(changed, closing)


def message_case(
    number: int,
    message: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    once: bool = False,
    kind: EventKind = EventKind.MESSAGE,
) -> bool:
    """A message kept in the case history (allowed in every state); whether it was added.
    `kind` MESSAGE is a note to the case handler; a message from or to the debtor
    (events.DEBTOR_THREAD) also marks the debtor as waiting for an answer, or answered.
    With `once`, a message that is already the last entry (of the history; of the thread
    with the debtor for its kinds) from the same actor the same day (a form sent twice, a
    page reloaded) is not added again; the case is locked while that is checked, so two
    at the same moment add it once."""
    text = message.strip()
    if not text:
        raise InvalidInput.one("message", "the message is empty")
    actor, today = str(scope.actor), scope.business_date
    with uow_factory(scope) as uow:
        found = uow.collection.status(number, lock=once)  # the second waits for the first
        if found is None:
            if kind in events.DEBTOR_THREAD:
                raise NotFound("case", number)
            raise InvalidInput.one("case", f"no case number {number}", code="not_found")
        if once:
            history = uow.collection.history(number)
            if kind in events.DEBTOR_THREAD:
                history = [e for e in history if e.kind in events.DEBTOR_THREAD]
            last = history[-1] if history else None
            if (
                last is not None
                and last.kind is kind
                and (last.text, last.actor, last.day) == (text, actor, today)
            ):
                return False
        uow.collection.add_events([found[0]], today, actor, kind, text)
        if kind in events.DEBTOR_THREAD:
            waiting = today if kind is EventKind.MESSAGE_FROM_DEBTOR else None
            uow.debtor_contact.set_debtor_waiting(found[0], waiting)
        uow.commit()
    return True


def collection_list(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[tuple[ListedCase, date | None]]:
    """The cases on the collection list by number (those after `after`, at most `limit`),
    with the day their list was sent (None: not yet)."""
    with uow_factory(scope) as uow:
        listed = uow.collection.listed_cases(unsent_only=False, after=after, limit=limit)
        return [(line, sent) for _, line, sent in listed]


@dataclass(frozen=True, slots=True)
class Approved:
    numbers: list[int]
    handover_on: date  # the day whose run hands them over with the payment demand


def approve_cases(
    numbers: Sequence[int],
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> Approved:
    """Approve listed cases for collection (all of them when `numbers` is empty): all the
    named ones or, if one may not be handed over, none. The run of the approval day hands
    them over with the payment demand or, when that day has been run already, the run of
    the first day not yet run (the day the hand-over step first sees the approval)."""
    today = scope.business_date
    with uow_factory(scope) as uow:
        last_run = uow.collection.last_run()
        handover_on = today if last_run is None else max(today, last_run + timedelta(days=1))
        if not numbers:
            numbers = [
                int(line.case_number)
                for _, line, _ in uow.collection.listed_cases(unsent_only=False)
            ]
        approved = []
        for number in numbers:
            found = uow.collection.status(number, lock=True)  # the run waits, or ran
            if found is None:
                raise InvalidInput.one("case", f"no case number {number}", code="not_found")
            case_id, status = found
            apply_event(status, CaseEvent.HAND_OVER, today)  # refused unless on the list
            approved.append(case_id)
        fresh = uow.collection.approve(approved, today)  # approving again changes nothing
        uow.collection.add_event_rows(events.approved(fresh, handover_on), today, str(scope.actor))
        uow.commit()
    return Approved(list(numbers), handover_on)
