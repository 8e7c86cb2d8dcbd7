"""The portal's work on collection cases (issue 18): the case list a page at a time, one
case whole, its letters, the creditor's actions on one case or many at once (each case on
its own: one refused does not stop the others) with what closing will cost, and the
collection list's approval. Reading is every role's; acting needs the right to manage
collection (`domain/api_access.py`), checked here before anything is read or written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fordring.domain.api_access import Permission
from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.collection.case_facts import ChargeKind
from fordring.domain.collection.letters import Letter, ListedCase
from fordring.domain.collection.next_step import NextStep, next_step
from fordring.domain.collection.payment_reports import NEEDS
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from fordring.domain.input_rules import REASON_LENGTH, check_text
from fordring.domain.law.tables import RateBook
from fordring.services.case_changes import change_case, message_case
from fordring.services.case_closing import ClosingCosts, closing_costs
from fordring.services.case_views import CaseView, show_case
from fordring.services.list_approval import Approved, approve_cases
from fordring.services.ports import CaseRow, LetterDetail, UnitOfWork, UnitOfWorkFactory
from fordring.services.ports.objections import ObjectionRecord
from fordring.services.scope import Scope, may

MAX_CASES = 500  # at most this many cases in one bulk action


class Action(StrEnum):
    """What a person may do to cases from the portal."""

    PAUSE = CaseEvent.PAUSE.value
    RESUME = CaseEvent.RESUME.value
    OBJECT = CaseEvent.OBJECT.value
    CLOSE = CaseEvent.CLOSE.value
    MESSAGE = "message"


def closing_cost(row: CaseRow) -> ClosingCosts:
    """What closing the case would cost now (the confirmation): the rule the close books
    by (`case_closing.closing_costs`) over the case's open charges."""
    return closing_costs(
        {
            ChargeKind.FEE: row.fees_open,  # fees and compensation: both cancelled
            ChargeKind.SALAER: row.salaer_open,
            ChargeKind.INTEREST: row.interest_open,
        }
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """One case's result of a bulk action: done (its new state), or why not."""

    number: int
    done: bool
    state: str | None = None  # the state after it (done)
    refused: str | None = None  # not_found, not_allowed, busy, sent_already
    cost: ClosingCosts | None = None  # closing: what it cost, as booked


def may_act(scope: Scope) -> bool:
    """Whether the scope's actor may act on cases (the command line and the run may)."""
    return may(scope, Permission.MANAGE_COLLECTION)


def must_act(scope: Scope) -> None:
    """Forbidden unless the scope's actor may act on cases (asked first, before its input
    is read, so a role that may not act is refused whatever it sends)."""
    if not may_act(scope):
        raise Forbidden(f"the role {scope.actor.role} may not act on cases")


def _state(state: str | None) -> str | None:
    if state in (None, ""):
        return None
    if state not in {s.value for s in CaseState}:
        raise InvalidInput.one("state", f"no state {state}")
    return state


def case_list(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    state: str | None = None,
    customer_number: int | None = None,
    after: int | None = None,
    limit: int = 50,
    needs: str | None = None,
) -> list[tuple[CaseRow, NextStep]]:
    """A page of the company's cases by number (in `state`, of the customer, if given),
    each with its next step (a listed case's as the agreement hands over: read only when
    the page has a listed case). `needs`: only the cases waiting for a person (NEEDS: a
    debtor's message to answer, a lapsed report), as Oversikt counts them."""
    chosen = _state(state)
    if needs is not None and needs not in NEEDS:
        raise InvalidInput.one("needs", f"no filter {needs}")
    with uow_factory(scope) as uow:
        rows = uow.collection.case_rows(
            state=chosen, customer_number=customer_number, after=after, limit=limit, needs=needs
        )
        listed = any(r.state == CaseState.LISTED.value for r in rows)
        automatic = listed and _automatic_handover(uow)
    return [
        (r, next_step(r.state, r.wake_on, r.paused_on, automatic_handover=automatic)) for r in rows
    ]


def _automatic_handover(uow: UnitOfWork) -> bool:
    return with_settings(Agreement(), uow.collection.settings()).automatic_handover


def _numbers(numbers: Sequence[int]) -> list[int]:
    chosen = sorted(set(numbers))
    if not chosen:
        raise InvalidInput.one("cases", "choose at least one case", code="required")
    if len(chosen) > MAX_CASES:
        raise InvalidInput.one("cases", f"at most {MAX_CASES} cases at once", code="too_many")
    return chosen


def cases_to_act_on(
    numbers: Sequence[int], scope: Scope, uow_factory: UnitOfWorkFactory
) -> list[CaseRow]:
    """The chosen cases as they are now (what the confirmation shows); NotFound if the
    company has none of them."""
    chosen = _numbers(numbers)
    with uow_factory(scope) as uow:
        rows = uow.collection.case_rows(numbers=chosen)
    if not rows:
        raise NotFound("case", chosen[0])
    return rows


def act_on_cases(
    numbers: Sequence[int],
    action: Action,
    text: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> list[Outcome]:
    """Pause, resume, object to, close or message each case, each in its own transaction;
    the outcome per case. `text` is the reason (kept in the history) or the message.
    Forbidden before anything is done if the actor may not, NotFound if the company has
    none of the cases; a case whose state does not allow the action is left as it is, and
    a message that is already the case's last entry (the same actor, today) is not added
    again (checked with the case locked: `message_case`): asking again changes nothing;
    a close's outcome carries what the close booked."""
    must_act(scope)
    chosen = _numbers(numbers)
    if action is Action.MESSAGE:
        text = check_text(text, "message", REASON_LENGTH)
        if not text.strip():
            raise InvalidInput.one("message", "the message is empty", code="required")
    else:
        text = check_text(text, "reason", REASON_LENGTH)
    with uow_factory(scope) as uow:
        before = {r.number: r for r in uow.collection.case_rows(numbers=chosen)}
    if not before:  # none is the company's: not found, as the confirmation says
        raise NotFound("case", chosen[0])
    outcomes = []
    for number in chosen:
        row = before.get(number)
        if row is None:
            outcomes.append(Outcome(number, False, refused="not_found"))
            continue
        try:
            if action is Action.MESSAGE:
                if message_case(number, text, scope, uow_factory, once=True):
                    outcomes.append(Outcome(number, True, row.state))
                else:
                    outcomes.append(Outcome(number, False, row.state, refused="sent_already"))
                continue
            change = change_case(number, CaseEvent(action.value), text, scope, uow_factory)
        except RuleViolation:
            outcomes.append(Outcome(number, False, row.state, refused="not_allowed"))
            continue
        except Conflict:
            outcomes.append(Outcome(number, False, row.state, refused="busy"))
            continue
        outcomes.append(Outcome(number, True, change.status.state.value, cost=change.costs))
    return outcomes


@dataclass(frozen=True, slots=True)
class CasePage:
    """A case whole: what `collection case` shows, and each letter as the run decided it
    (its items' principal, fees with the rule's reason, interest with rate and days)."""

    view: CaseView
    letters: list[LetterDetail]
    objections: list[ObjectionRecord] = field(default_factory=list)  # the debtor's


def case_page(
    number: int, scope: Scope, uow_factory: UnitOfWorkFactory, book: RateBook
) -> CasePage:
    """One case whole; NotFound if the company has none."""
    try:
        view = show_case(number, scope, uow_factory, book)
    except InvalidInput as missing:
        raise NotFound("case", number) from missing
    with uow_factory(scope) as uow:
        letters = uow.collection.case_letter_details(number)
    return CasePage(view, letters, view.objections)


def case_letter(number: int, position: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> Letter:
    """The case's letter at `position` (as its history lists them), to render as PDF."""
    with uow_factory(scope) as uow:
        letter = uow.collection.case_letter(number, position)
    if letter is None:
        raise NotFound("letter", f"{number}/{position}")
    return letter


@dataclass(frozen=True, slots=True)
class ListLine:
    """A case on the collection list: its line, the day its list went (None: not yet) and
    the day it was approved for hand-over (None: not approved)."""

    line: ListedCase
    sent: date | None
    approved_on: date | None


@dataclass(frozen=True, slots=True)
class ApprovalList:
    """A page of the collection list, and whether the agreement hands listed cases over by
    itself (on the Thursday after their list) or waits for the creditor's approval."""

    lines: list[ListLine]
    automatic_handover: bool


def approval_list(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> ApprovalList:
    """The cases on the collection list by number (those after `after`, at most `limit`),
    each with whether it is approved."""
    with uow_factory(scope) as uow:
        listed = uow.collection.listed_cases(unsent_only=False, after=after, limit=limit)
        approved = uow.collection.approved_on([case_id for case_id, _, _ in listed])
        automatic = _automatic_handover(uow)
    lines = [ListLine(line, sent, approved.get(case_id)) for case_id, line, sent in listed]
    return ApprovalList(lines, automatic)


def approve(numbers: Sequence[int], scope: Scope, uow_factory: UnitOfWorkFactory) -> Approved:
    """Approve the named listed cases for hand-over, all or none (approve_cases); never
    "every case on the list" (the portal names the cases it showed). Approving a case
    again changes nothing."""
    must_act(scope)
    chosen = _numbers(numbers)
    try:
        return approve_cases(chosen, scope, uow_factory)
    except InvalidInput as invalid:
        if any(p.code == "not_found" for p in invalid.problems):
            raise NotFound("case", numbers) from invalid
        raise
