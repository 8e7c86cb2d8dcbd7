"""Messages between the debtor and the case handler (issue 19 point 6): the debtor writes
from the debtor's page, the creditor answers from the portal. Both are case history events
of their own kinds, so the debtor sees only these two (never the creditor's internal
notes, kind `message`); a case with a message not answered yet is counted on Oversikt.
A message sent again (a form sent twice, a page reloaded) is added once."""

from __future__ import annotations

from fordring.domain.api_access import Permission
from fordring.domain.collection.debtor_messages import check_message
from fordring.domain.collection.history import DEBTOR_THREAD, EventKind
from fordring.domain.errors import Forbidden, NotFound
from fordring.services.case_changes import message_case
from fordring.services.ports import CaseEventRecord, UnitOfWorkFactory
from fordring.services.scope import Scope, debtor, debtors_own_case, require

THREAD = DEBTOR_THREAD


def write_to_handler(
    number: int, message: str, scope: Scope, uow_factory: UnitOfWorkFactory
) -> bool:
    """The case's debtor writes to the case handler (every state, closed too); whether
    it was added (the same text from the same debtor the same day, as the thread's last
    message, is not added again: services/collection.message_case)."""
    if scope.actor != debtor(number):
        raise Forbidden("only the case's debtor writes as the debtor")
    text = check_message(message)
    return message_case(
        number, text, scope, uow_factory, once=True, kind=EventKind.MESSAGE_FROM_DEBTOR
    )


def answer_debtor(number: int, message: str, scope: Scope, uow_factory: UnitOfWorkFactory) -> bool:
    """The creditor answers the debtor (shown on the debtor's page): Forbidden unless the
    actor may act on cases; whether it was added (once, as `write_to_handler`)."""
    require(scope, Permission.MANAGE_COLLECTION)
    text = check_message(message)
    return message_case(
        number, text, scope, uow_factory, once=True, kind=EventKind.MESSAGE_TO_DEBTOR
    )


def thread(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> list[CaseEventRecord]:
    """The messages between the case's debtor and the creditor, oldest first: what the
    debtor's page shows (the case's debtor, or anyone who may read the case)."""
    debtors_own_case(scope, number)
    with uow_factory(scope) as uow:
        if uow.collection.status(number) is None:
            raise NotFound("case", number)
        return [e for e in uow.collection.history(number) if e.kind in THREAD]
