"""The payment plan's letters go the way every letter goes (issue 19): a plan accepted at
once or by the creditor stores one confirmation in its own transaction (with a code and
PIN, queued), a missed instalment one reminder in the day's run; the next delivery sends
each on paper, and the PDF shows the instalments. Proposed, decided or run again: no
second letter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from tests.builders import PIN_KEY
from tests.conftest import Run
from tests.integration.test_debtor_letters import CODE, column
from tests.integration.test_payment_plans import BOOK, DAY, _case, _scope, instalments
from tests.races import race

from fordring.domain.api_access import Role
from fordring.domain.collection.case_facts import Charge, ChargeKind
from fordring.domain.collection.payment_plan import Instalment, Outcome
from fordring.domain.errors import Conflict, InvalidInput
from fordring.services.collection_agreement import agreement_of
from fordring.services.day_bookings import book_case_charges
from fordring.services.payment_plans import propose_plan
from fordring.services.plan_decisions import decide_plan, plans_of_case
from fordring.services.ports import StoredLetter, UnitOfWorkFactory
from fordring.services.scope import Actor, ActorKind, debtor

pytestmark = pytest.mark.integration


@pytest.fixture
def outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "outbox"
    monkeypatch.setenv("FORDRING_OUTBOX", str(folder))
    return folder


def _letters(uow_factory: UnitOfWorkFactory, kind: str) -> list[StoredLetter]:
    with uow_factory(_scope(uow_factory)) as uow:
        return [x for x in uow.collection.case_letters(1) if x.kind == kind]


def _nb(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def _line(i: Instalment) -> str:
    return f"{i.seq} {i.due_on:%d.%m.%Y} {_nb(i.amount)}"


def pdf_text(path: Path) -> str:
    """The PDF's text row by row (pypdf), each run of whitespace one space."""
    pages = pypdf.PdfReader(path).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _pdfs(outbox: Path, kind: str) -> list[Path]:
    return [p for p in outbox.rglob(f"case-1-{kind}.pdf") if not p.name.startswith(".")]


def test_a_plan_accepted_at_once_stores_one_confirmation_the_next_delivery_sends(
    run: Run, uow_factory: UnitOfWorkFactory, database_url: str, outbox: Path
) -> None:
    _case(run)  # a consumer, reminded: 4 instalments run at once
    scope = _scope(uow_factory, debtor(1))
    answer = propose_plan(1, instalments(4), scope, uow_factory, BOOK, pin_key=PIN_KEY)
    assert answer.decision.outcome is Outcome.ACCEPTED
    again = propose_plan(1, instalments(4), scope, uow_factory, BOOK, pin_key=PIN_KEY)
    assert again.repeated
    (letter,) = _letters(uow_factory, "plan_confirmation")
    assert (letter.day, letter.deadline, letter.total) == (
        date(2026, 3, 10),
        date(2026, 3, 20),
        answer.plan.total,
    )
    assert not letter.sent  # waits for the next delivery
    waiting = column(database_url, "SELECT state FROM dispatch WHERE kind = 'plan_confirmation'")
    assert waiting == ["waiting"]
    kept = "SELECT count(*) FROM debtor_access WHERE pin_to_print IS NOT NULL"
    assert column(database_url, kept) == [1]  # the letter's PIN, until it is sent
    history = run("collection", "case", "1", date="2026-03-10")
    assert '"letter_id"' in history.output
    sent = run("deliveries", "send", date="2026-03-10")
    assert sent.exit_code == 0, sent.output
    (pdf,) = _pdfs(outbox, "plan_confirmation")
    said = pdf_text(pdf)
    assert "Bekreftelse på nedbetalingsavtale" in said
    for instalment in answer.plan.instalments:
        assert _line(instalment) in said
    assert f"Sum etter avtalen {_nb(answer.plan.total)}" in said
    assert CODE.search(said)  # the debtor's page, its code and PIN
    assert column(database_url, kept) == [0]  # sent: the PIN is no longer kept
    assert _letters(uow_factory, "plan_confirmation")[0].sent
    assert run("deliveries", "send", date="2026-03-10").exit_code == 0
    assert len(_pdfs(outbox, "plan_confirmation")) == 1  # delivered once


def test_a_plan_the_creditor_accepts_gets_one_confirmation_however_often_it_is_decided(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    _case(run, business=True)  # a business: the proposal waits for the creditor
    waiting = propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    assert waiting.decision.outcome is Outcome.WAITING
    assert _letters(uow_factory, "plan_confirmation") == []  # nothing agreed yet
    for _ in range(2):
        decided = decide_plan(
            1, True, "ok", _scope(uow_factory), uow_factory, BOOK, pin_key=PIN_KEY
        )
        assert decided.decision.outcome is Outcome.ACCEPTED
    (letter,) = _letters(uow_factory, "plan_confirmation")
    assert letter.deadline == decided.plan.instalments[0].due_on


def test_a_missed_instalment_gets_one_reminder_letter_even_when_the_day_runs_twice(
    run: Run, uow_factory: UnitOfWorkFactory, outbox: Path
) -> None:
    _case(run)
    answer = propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    first = answer.plan.instalments[0]  # 03-20, not paid
    done = run("run", "--to", "2026-03-23", date="2026-03-10")
    assert done.exit_code == 0, done.output
    assert run("run", date="2026-03-23").exit_code == 0  # the same day again
    (letter,) = _letters(uow_factory, "plan_reminder")
    (plan,) = plans_of_case(1, _scope(uow_factory), uow_factory)
    assert (letter.day, letter.deadline, letter.total, letter.charged) == (
        date(2026, 3, 23),  # the first run after the 03-20 instalment (a Friday) ...
        plan.reminder_deadline,
        first.amount,
        Decimal(0),  # no fee for the plan's reminder
    )
    assert letter.sent  # the run delivered it after its days
    (pdf,) = _pdfs(outbox, "plan_reminder")
    said = pdf_text(pdf)
    assert f"avdrag nr. 1 på kr {_nb(first.amount)}, som forfalt {first.due_on:%d.%m.%Y}" in said
    assert plan.reminder_deadline is not None
    assert f"innen {plan.reminder_deadline:%d.%m.%Y}" in said
    for instalment in answer.plan.instalments[1:]:
        assert _line(instalment) in said
    assert "det er ikke lagt til gebyr" in said
    assert len(_pdfs(outbox, "plan_confirmation")) == 1  # the confirmation went too, once


def test_interest_charged_before_the_plan_is_on_the_confirmation_so_its_sums_agree(
    run: Run, uow_factory: UnitOfWorkFactory, outbox: Path
) -> None:
    """Interest booked on the case (an interest note's) is in what the plan pays: the
    letter's "Skyldig i alt" names it too, so it equals "Sum etter avtalen"."""
    _case(run)
    with uow_factory(_scope(uow_factory)) as uow:  # as an interest note books it
        found = uow.collection.status(1)
        assert found is not None
        case_id = found[0]
        details = uow.collection.case_details([case_id])
        invoice_id = details[case_id].invoices[0].invoice_id
        interest = Charge(invoice_id, ChargeKind.INTEREST, Decimal("12.34"), "Forsinkelsesrente")
        book_case_charges(uow, agreement_of(uow), DAY, [(case_id, interest)], details, {})
        uow.commit()
    answer = propose_plan(
        1, instalments(4), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    assert answer.plan.total == Decimal("2512.34")
    assert run("deliveries", "send", date="2026-03-10").exit_code == 0
    (pdf,) = _pdfs(outbox, "plan_confirmation")
    said = pdf_text(pdf)
    assert "Forsinkelsesrente 12,34" in said
    assert "Skyldig i alt 2 512,34" in said and "Sum etter avtalen 2 512,34" in said


def test_two_creditors_accepting_at_the_same_moment_store_one_confirmation(
    run: Run, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    """Per and Lise accept the waiting proposal at once: the case lock and the plan's
    guarded state change let one decide (one letter, one dispatch, both in its
    transaction); the other finds nothing waiting or conflicts. Races truly on
    PostgreSQL; SQLite runs them one after the other, with the same outcome."""
    _case(run, business=True)
    propose_plan(
        1, instalments(3), _scope(uow_factory, debtor(1)), uow_factory, BOOK, pin_key=PIN_KEY
    )
    per, lise = (Actor(ActorKind.USER, n, Role.FINANCE_USER.value) for n in ("Per", "Lise"))
    outcome = race(
        *(
            lambda who=who: decide_plan(
                1, True, "", _scope(uow_factory, who), uow_factory, BOOK, pin_key=PIN_KEY
            )
            for who in (per, lise)
        )
    )
    assert len(outcome.results) == 1, outcome.errors
    assert len(outcome.of(InvalidInput)) + len(outcome.of(Conflict)) == 1
    assert len(_letters(uow_factory, "plan_confirmation")) == 1
    sent = "SELECT count(*) FROM dispatch WHERE kind = 'plan_confirmation'"
    assert column(database_url, sent) == [1]
