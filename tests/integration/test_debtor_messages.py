"""Messages between a case's debtor and the creditor (issue 19 point 6), on the test's
database: the debtor's message and the creditor's answer are history events of their own
kinds, the thread never shows the creditor's internal messages, a message sent twice is
added once, and neither another debtor nor a read-only user may write."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests import builders
from tests.crash import table_rows
from tests.races import postgresql_only, race

from fordring.domain.collection.history import EventKind
from fordring.domain.errors import Forbidden, InvalidInput, NotFound
from fordring.services.case_changes import message_case
from fordring.services.debtor_messages import answer_debtor, thread, write_to_handler
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Actor, ActorKind, Scope, debtor

pytestmark = pytest.mark.integration

ON = date(2026, 3, 5)


@pytest.fixture
def case_1(run: Any) -> None:
    builders.cli_case_of_one_invoice(run)


def scopes(uow_factory: UnitOfWorkFactory) -> tuple[Scope, Scope]:
    """Case 1's debtor and the command line (who may act on cases), on ON."""
    company = builders.scope(uow_factory).company_id
    return Scope(company, debtor(1), ON), builders.scope(uow_factory, on=ON)


def waiting(uow_factory: UnitOfWorkFactory) -> int:
    with uow_factory(builders.scope(uow_factory)) as uow:
        return uow.debtor_contact.waiting_message_count()


def test_the_thread_holds_the_debtors_messages_and_answers_never_internal_notes(
    case_1: None, uow_factory: UnitOfWorkFactory
) -> None:
    the_debtor, creditor = scopes(uow_factory)
    assert write_to_handler(1, "Jeg har betalt <b>alt</b>.", the_debtor, uow_factory)
    assert waiting(uow_factory) == 1
    message_case(1, "internal: ring kunden", creditor, uow_factory)
    assert answer_debtor(1, "Takk!", creditor, uow_factory)
    assert waiting(uow_factory) == 0
    shown = thread(1, the_debtor, uow_factory)
    assert [(e.kind, e.text) for e in shown] == [
        (EventKind.MESSAGE_FROM_DEBTOR, "Jeg har betalt <b>alt</b>."),  # text, never HTML
        (EventKind.MESSAGE_TO_DEBTOR, "Takk!"),
    ]


def test_a_message_sent_twice_is_added_once(
    case_1: None, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    the_debtor, _ = scopes(uow_factory)
    assert write_to_handler(1, "Hei", the_debtor, uow_factory)
    before = table_rows(database_url)
    assert not write_to_handler(1, " Hei ", the_debtor, uow_factory)
    assert table_rows(database_url) == before


def test_others_may_not_write_and_nothing_is_written(
    case_1: None, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    the_debtor, creditor = scopes(uow_factory)
    reader = Scope(creditor.company_id, Actor(ActorKind.USER, "r", "read_only"), ON)
    before = table_rows(database_url)
    with pytest.raises(Forbidden):
        write_to_handler(2, "Hei", the_debtor, uow_factory)  # case 1's debtor, case 2
    with pytest.raises(Forbidden):
        write_to_handler(1, "Hei", creditor, uow_factory)  # only the debtor writes as one
    with pytest.raises(Forbidden):
        answer_debtor(1, "Hei", reader, uow_factory)
    with pytest.raises(Forbidden):
        answer_debtor(1, "Hei", the_debtor, uow_factory)
    with pytest.raises(Forbidden):
        thread(2, the_debtor, uow_factory)
    with pytest.raises(NotFound):  # no case 2 in this company
        answer_debtor(2, "Hei", creditor, uow_factory)
    with pytest.raises(InvalidInput):
        write_to_handler(1, "\x00", the_debtor, uow_factory)
    assert table_rows(database_url) == before


@postgresql_only
def test_the_same_message_at_the_same_moment_is_added_once(
    case_1: None, uow_factory: UnitOfWorkFactory
) -> None:
    the_debtor, _ = scopes(uow_factory)
    outcome = race(*(lambda: write_to_handler(1, "Hei", the_debtor, uow_factory) for _ in "ab"))
    assert not outcome.errors and sorted(outcome.results) == [False, True]


def test_the_same_words_after_an_answer_are_a_new_message(
    case_1: None, uow_factory: UnitOfWorkFactory
) -> None:
    """Only a repeat of the thread's last message is dropped: "Ja" again after the
    creditor's answer is the debtor's answer to it, and waits for the creditor again."""
    the_debtor, creditor = scopes(uow_factory)
    assert write_to_handler(1, "Ja", the_debtor, uow_factory)
    assert answer_debtor(1, "Har du betalt alt?", creditor, uow_factory)
    assert write_to_handler(1, "Ja", the_debtor, uow_factory)
    assert not write_to_handler(1, "Ja", the_debtor, uow_factory)  # the reload
    assert [e.text for e in thread(1, the_debtor, uow_factory)] == [
        "Ja",
        "Har du betalt alt?",
        "Ja",
    ]
    assert waiting(uow_factory) == 1
