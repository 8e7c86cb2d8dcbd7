"""The debtor's objection (innsigelse, SPEC C10, issue 19 point 4): recording it, with an
attached file, and reading it back for the creditor (the portal, the API) and the debtor.

An objection stops the case at once through the one path of a person's state change
(`collection.change_case_in`): steps and fees stop, the history gets an `object` event
(which the same writer turns into the `case.objected` webhook), in one transaction with
the objection's row; a case paused by the creditor is objected too (resumed, it goes back
to where the pause left it). A case already objected, or at the legal stage (where the
court, not the collector, hears objections), keeps its state and gets the objection as an
addition, with its event and webhook too: the debtor's words are never lost. A closed
case is refused (RuleViolation).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from fordring.domain.api_access import Permission
from fordring.domain.collection import history as events
from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.history import EventKind, PayloadValue
from fordring.domain.collection.objection import Attachment, Objection, ObjectionReason
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.errors import NotFound, RuleViolation
from fordring.domain.input_rules import REASON_LENGTH, check_text
from fordring.services.case_changes import change_case_in
from fordring.services.case_closing import UpheldObjection, uphold_objection
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.ports.objections import (
    AttachmentStore,
    ObjectionRecord,
    StoredAttachment,
)
from fordring.services.scope import ActorKind, Scope, debtor, require

# A case already objected, or at the legal stage, takes the objection without a change of
# state (recorded and sent to the creditor; docs/law.md).
STANDING_STILL = (CaseState.OBJECTED, CaseState.LEGAL)
MAX_PER_CASE = 20  # objections and additions a case takes (each may carry a file)


class TooManyObjections(RuleViolation):
    """The case has taken MAX_PER_CASE objections: more go to the case handler in writing
    (a refusal of its own, not the closed case's)."""

    def __init__(self, number: int, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"case: case {number} has {limit} objections already; write to the case handler"
        )


@dataclass(frozen=True, slots=True)
class ObjectionReceipt:
    """What the debtor is told was received: the case, the day, the reason and words, the
    attached file's name, whether it was an addition, and the case's state after it."""

    case_number: int
    day: date
    reason: ObjectionReason
    text: str
    attachment_name: str | None
    addition: bool
    state: str


def _may_act_on(scope: Scope, number: int) -> None:
    """A debtor acts on the visit's own case only; a user or key needs to manage collection."""
    if scope.actor.kind is ActorKind.DEBTOR:
        if scope.actor != debtor(number):
            raise NotFound("case", number)  # never another case: not found, as for none
        return
    require(scope, Permission.MANAGE_COLLECTION)


def _same(record: ObjectionRecord, objection: Objection, sha256: str | None) -> bool:
    kept = record.attachment.sha256 if record.attachment is not None else None
    return (record.reason, record.text, kept) == (objection.reason.value, objection.text, sha256)


def _repeated(
    uow: UnitOfWork,
    number: int,
    status: CaseStatus,
    last: ObjectionRecord,
    objection: Objection,
    sha256: str | None,
) -> bool:
    """The objection is `last` sent again (the same reason, words and file; the caller
    checks the actor and day) and nothing happened to the case since: it still stands
    objected and its last event is that objection. Once the creditor has resumed (or
    anything else happened), it counts anew."""
    if not _same(last, objection, sha256) or status.state not in STANDING_STILL:
        return False
    history = uow.collection.history(number)
    event = history[-1] if history else None
    return (
        event is not None
        and event.kind is EventKind.OBJECT
        and (event.actor, event.day) == (last.actor, last.day)
        and event.payload.get("objection_reason") == last.reason
    )


def object_to_case(
    number: int,
    objection: Objection,
    attached: Attachment | None,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    store: AttachmentStore,
) -> ObjectionReceipt:
    """Record the objection to case `number`. The file (its type and size checked before
    this is called, the actor's right here) is kept before the case is locked, so the lock
    is never held over the disk, and removed again on any failure or refusal, or when the
    objection was already recorded: only a committed row names a kept file. A process
    killed between keeping the file and the commit can still leave a file no row names
    (unreachable: nothing hands out a file without its row; docs/debtor_page.md). The same
    objection again (the same reason, words and file, the same actor and day: a form sent
    twice) changes nothing and gets the same receipt."""
    _may_act_on(scope, number)
    today, actor = scope.business_date, str(scope.actor)
    sha256 = None if attached is None else hashlib.sha256(attached.content).hexdigest()
    key = None if attached is None else store.put(scope.company_id, attached.content)
    committed = False
    try:
        with uow_factory(scope) as uow:
            found = uow.collection.status(number, lock=True)  # a second one waits
            if found is None:
                raise NotFound("case", number)
            case_id, status = found
            earlier = uow.objections.of_case(case_id)
            last = earlier[-1] if earlier else None
            if (
                last is not None
                and (last.actor, last.day) == (actor, today)
                and _repeated(uow, number, status, last, objection, sha256)
            ):
                name = last.attachment.name if last.attachment else None
                return ObjectionReceipt(
                    number, today, objection.reason, objection.text, name, last.addition,
                    status.state.value,
                )  # fmt: skip
            addition = status.state in STANDING_STILL
            if len(earlier) >= MAX_PER_CASE:
                raise TooManyObjections(number, MAX_PER_CASE)
            name = attached.name if attached is not None else None
            details: dict[str, PayloadValue] = {"objection_reason": objection.reason.value}
            if objection.text:
                details["objection_text"] = objection.text
            if name is not None:
                details["attachment"] = name
            if addition:
                details["addition"] = True
            line = objection.history_text(name, addition)
            if addition:
                state = status.state.value
                row = events.state_changed(case_id, EventKind.OBJECT, state, state, "", line)
                row = row._replace(payload={**row.payload, **details})
                uow.collection.add_event_rows([row], today, actor)
            else:
                # refused here (RuleViolation, nothing written) when closed
                changed = change_case_in(
                    uow, number, CaseEvent.OBJECT, "", scope, details=details, text=line
                )
                state = changed.status.state.value
            stored = None
            if attached is not None and sha256 is not None and key is not None:
                kind = attached.kind.media_type
                stored = StoredAttachment(key, attached.name, kind, len(attached.content), sha256)
            record = ObjectionRecord(
                None, case_id, today, actor, objection.reason.value, objection.text,
                addition, stored,
            )  # fmt: skip
            uow.objections.add(record)
            uow.commit()
            committed = True
    finally:
        if key is not None and not committed:  # refused, failed or a repeat: nobody's file
            store.remove(scope.company_id, key)
    return ObjectionReceipt(number, today, objection.reason, objection.text, name, addition, state)


def objections_and_state(
    number: int, scope: Scope, uow_factory: UnitOfWorkFactory
) -> tuple[list[ObjectionRecord], CaseState]:
    """The case's objections, oldest first, and its state (the receipt says what happens
    next by it); every role may read them, a debtor only its own case's; NotFound for a
    case the company does not have."""
    if scope.actor.kind is ActorKind.DEBTOR and scope.actor != debtor(number):
        raise NotFound("case", number)
    with uow_factory(scope) as uow:
        found = uow.collection.status(number)
        if found is None:
            raise NotFound("case", number)
        return uow.objections.of_case(found[0]), found[1].state


@dataclass(frozen=True, slots=True)
class AttachmentFile:
    """An attached file to hand out: its row and its bytes."""

    stored: StoredAttachment
    content: bytes


def objection_attachment(
    number: int,
    objection_id: int,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    store: AttachmentStore,
) -> AttachmentFile:
    """The file attached to objection `objection_id` of case `number`: NotFound unless
    that objection is the case's, the case the company's (and, for a debtor, its own),
    and the file is there with the size and hash its row says."""
    if scope.actor.kind is ActorKind.DEBTOR and scope.actor != debtor(number):
        raise NotFound("case", number)
    if scope.actor.kind in (ActorKind.USER, ActorKind.API_KEY):
        require(scope, Permission.READ)
    with uow_factory(scope) as uow:
        found = uow.collection.status(number)
        record = None if found is None else uow.objections.get(found[0], objection_id)
    if record is None or record.attachment is None:
        raise NotFound("attachment", f"{number}/{objection_id}")
    stored = record.attachment
    content = store.read(scope.company_id, stored.key)
    if content is None or hashlib.sha256(content).hexdigest() != stored.sha256:
        raise NotFound("attachment", f"{number}/{objection_id}")
    return AttachmentFile(stored, content)


def uphold(number: int, note: str, scope: Scope, uow_factory: UnitOfWorkFactory) -> UpheldObjection:
    """The creditor upholds the objection from the portal or the API: `collection
    object-upheld`'s service, for a user or key that may manage collection (Forbidden
    before anything is read otherwise); RuleViolation unless the case stands objected."""
    require(scope, Permission.MANAGE_COLLECTION)
    return uphold_objection(number, check_text(note, "reason", REASON_LENGTH), scope, uow_factory)
