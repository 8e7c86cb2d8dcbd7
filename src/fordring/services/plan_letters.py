"""The payment plan's letters (issue 19): the confirmation of a plan or deferral accepted
(at once, or by the creditor) and the reminder of a missed instalment, written from the
case as it stands and stored as every letter is (day_bookings.store_case_letters: a code
and PIN, queued for delivery in the same transaction). Neither charges anything: the
reminder of an instalment is no purring (docs/law.md, "Payment plans")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement, PayTo
from fordring.domain.collection.letters import Letter, LetterKind, PlanTerms
from fordring.services.collection_letters import collector_party, creditor_party, letter_item
from fordring.services.day_bookings import store_case_letters
from fordring.services.ports import NewLetter, UnitOfWork


@dataclass(frozen=True, slots=True)
class PlanLetter:
    """A plan letter to write: its kind, the case, what it says of the plan and its
    deadline (the first instalment's day, or the reminder's deadline)."""

    kind: LetterKind
    case_id: int
    terms: PlanTerms
    deadline: date


def store_plan_letters(
    uow: UnitOfWork, agreement: Agreement, day: date, wanted: list[PlanLetter], pin_key: bytes
) -> dict[int, int]:
    """The letters written, stored and queued (read set-based: a few statements for any
    number); the letter id of each case that got one. A case with a letter of the same
    kind dated `day` gets none (one letter of a kind a case and day, the letters' key: a
    second plan accepted the same day is told in the history and on the debtor's page)."""
    if not wanted:
        return {}
    company = uow.company.current()
    ids = [w.case_id for w in wanted]
    details = uow.collection.case_details(ids, day)
    facts = uow.collection.facts_of(ids, day)
    dated = uow.collection.letters_dated(ids, day)
    client = agreement.pay_to is PayTo.CLIENT_ACCOUNT
    letters: list[tuple[NewLetter, int]] = []
    for w in wanted:
        case, case_facts = details[w.case_id], facts.get(w.case_id)
        if case_facts is None or (w.case_id, w.kind.value) in dated:
            continue
        items = tuple(
            # booked interest: in what the plan pays
            letter_item(i, i.open_amount, i.fees_open, i.demand_fee_open, i.interest_open, None)
            for i in case.invoices
            if i.open_amount > 0 or i.fees_open > 0 or i.demand_fee_open > 0 or i.interest_open > 0
        )
        letter = Letter(
            kind=w.kind,
            language=case.language,
            letter_date=day,
            deadline=w.deadline,
            creditor=creditor_party(company),
            collector=collector_party(company, agreement, w.kind, case_facts),
            debtor=case.debtor,
            case_number=str(case.number),
            items=items,
            account=agreement.client_account if client else company.account,
            kid=case.kid,
            salaer=case.salaer_open,
            account_holder=agreement.collector_name if client else company.name,
            client_account=client,
            plan=w.terms,
        )
        letters.append((NewLetter(w.case_id, letter, Decimal(0), ()), case.customer_id))
    stored = store_case_letters(uow, day, letters, pin_key)
    return {x.case_id: i for (x, _), i in zip(letters, stored, strict=True)}
