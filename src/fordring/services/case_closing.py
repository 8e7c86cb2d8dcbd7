"""Closing a case by the creditor, and handing it to legal collection (SPEC C7; DOMAIN.md
§§ 2, 7).

Closing stops the collection: the debtor's open fees, salær and interest on the case are
cancelled (a KORR voucher: credit 1500 per charge, debit where the charge was booked),
except that salær, which the collector has earned, becomes the creditor's cost under the
agreement (debit the agreement's collection cost account; the amount stays owed to the
collector). The invoices themselves stay open in the creditor's ledger.

Legal collection (inkassoloven § 11) may start once the payment demand's deadline has
passed and at the latest 6 months after the demand; the claim is exported for the
conciliation board (forliksrådet) with everything the board needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CaseStatus, CloseReason, apply_event
from fordring.domain.collection.case_facts import ChargeKind
from fordring.domain.collection.claim_interest import interest_from
from fordring.domain.collection.history import EventKind, HistoryEvent, PayloadValue, amount
from fordring.domain.collection.letters import LetterKind, Party
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps import interest_not_charged
from fordring.domain.errors import InvalidInput, RuleViolation
from fordring.domain.law.deadlines import legal_steps_latest
from fordring.domain.law.tables import RateBook
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher, VoucherTypeCode
from fordring.services.case_lookup import numbered_case
from fordring.services.collection_agreement import agreement_of
from fordring.services.collection_letters import collector_named, creditor_party
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.posting import post_voucher
from fordring.services.scope import Scope


@dataclass(frozen=True, slots=True)
class ClosingCosts:
    cancelled: Decimal  # fees and interest the debtor no longer owes
    creditor_owes: Decimal  # salær the creditor owes the collector under the agreement

    def text(self) -> str:
        parts = []
        if self.cancelled:
            parts.append(f"the debtor's open fees and interest {self.cancelled} cancelled")
        if self.creditor_owes:
            parts.append(f"the creditor owes the collector salær {self.creditor_owes}")
        return "; ".join(parts) or "no costs"

    def payload(self) -> dict[str, PayloadValue]:
        return {"cancelled": amount(self.cancelled), "creditor_owes": amount(self.creditor_owes)}


def closing_costs(open_by_kind: Mapping[ChargeKind, Decimal]) -> ClosingCosts:
    """What closing costs whom, from the case's open charges by kind: the salær the
    collector has earned becomes the creditor's cost, everything else (fees, compensation,
    interest charged) is cancelled. The one rule for the confirmation shown before a close
    and the booking of it (`close_charges`)."""
    salaer = open_by_kind.get(ChargeKind.SALAER, Decimal(0))
    cancelled = sum(
        (value for kind, value in open_by_kind.items() if kind is not ChargeKind.SALAER),
        Decimal(0),
    )
    return ClosingCosts(cancelled, salaer)


def close_charges(
    uow: UnitOfWork,
    agreement: Agreement,
    case_id: int,
    number: int,
    day: date,
    text: str = "avsluttet av kreditor",
) -> ClosingCosts:
    """Cancel the case's open charges in one voucher; what it costs whom."""
    items = uow.collection.open_charge_items(case_id)
    if not items:
        return ClosingCosts(Decimal(0), Decimal(0))
    accounts = {
        ChargeKind.FEE: agreement.fee_account,
        ChargeKind.INTEREST: agreement.interest_account,
        ChargeKind.SALAER: agreement.collection_cost_account,
        ChargeKind.COMPENSATION: agreement.compensation_account,  # cancelled like a fee
    }
    postings = [
        Posting(RECEIVABLES, -item.open_amount, item.customer_id, None, "Avsluttet", item.id)
        for item in items
    ]
    for kind in ChargeKind:
        total = sum((i.open_amount for i in items if i.kind is kind), Decimal(0))
        if total:
            postings.append(Posting(accounts[kind], total, text=f"Avsluttet sak {number}"))
    post_voucher(
        uow, Voucher(VoucherTypeCode.CORRECTION, day, f"Sak {number} {text}", tuple(postings))
    )
    return closing_costs(
        {
            kind: sum((i.open_amount for i in items if i.kind is kind), Decimal(0))
            for kind in ChargeKind
        }
    )


def close_case(
    uow: UnitOfWork, case_id: int, number: int, status: CaseStatus, day: date
) -> tuple[CaseStatus, ClosingCosts]:
    """The creditor closes the claim: the new status and what the closing cost."""
    changed = apply_event(status, CaseEvent.CLOSE, day, CloseReason.STOPPED)
    agreement = agreement_of(uow)
    return changed, close_charges(uow, agreement, case_id, number, day)


@dataclass(frozen=True, slots=True)
class UpheldObjection:
    status: CaseStatus
    costs: ClosingCosts
    paid_charges: Decimal  # fees, salær or interest the debtor had already paid


def uphold_objection(
    number: int,
    note: str,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> UpheldObjection:
    """The creditor resolves the debtor's objection in the debtor's favour: the case closes
    and the debtor owes no costs on the claim (inkassoloven § 17 (3): not even costs from
    before the objection). Open fees and interest are cancelled; the salær becomes the
    creditor's cost, as when the creditor closes a case (docs/law.md). The invoice stays
    open: the creditor credits it when the claim itself is not owed."""
    today, actor = scope.business_date, str(scope.actor)
    with uow_factory(scope) as uow:
        # Locked until commit: a resume (or a second uphold) at the same moment waits and
        # then finds the case closed, rather than both acting on the objected case read.
        if uow.collection.status(number, lock=True) is None:
            raise InvalidInput.one("case", f"no case number {number}", code="not_found")
        case_id, status, facts = numbered_case(uow, number, today)
        if status.state is not CaseState.OBJECTED:
            raise RuleViolation(
                f"case: only an objected case can have its objection upheld; case {number} "
                f"is {status.state}"
            )
        changed = apply_event(status, CaseEvent.CLOSE, today, CloseReason.OBJECTION_UPHELD)
        agreement = agreement_of(uow)
        costs = close_charges(uow, agreement, case_id, number, today, "innsigelse tatt til følge")
        charged = sum((amount for _, amount in facts.charged), Decimal(0))
        paid = charged - facts.charges_open
        uow.collection.save_status(case_id, changed, was=status)
        text = "objection upheld: the debtor owes no costs" + (f": {note}" if note else "")
        text += f"; {costs.text()}"
        if paid:
            text += f"; costs {paid} already paid by the debtor are to be paid back"
        payload = costs.payload() | {"paid_back": amount(paid)}
        uow.collection.add_events([case_id], today, actor, EventKind.OBJECT_UPHELD, text, payload)
        uow.commit()
    return UpheldObjection(changed, costs, paid)


def close_given_up(uow: UnitOfWork, invoice_id: int, day: date, reason: CloseReason) -> bool:
    """The creditor's own act (a credit note, a write-off reported as payment) took the
    last principal of the invoice's case: close the case now, with `reason`, and cancel
    the costs the debtor would otherwise still owe (as `close_charges` does); no interest
    note follows. Whether a case was closed."""
    case_id = uow.payments.lookup((), [invoice_id]).invoices[invoice_id].case_id
    if case_id is None:
        return False
    number = uow.collection.case_details([case_id])[case_id].number
    facts = uow.collection.case_facts(number, day)
    if facts is None or facts.open_principal > 0:
        return False
    status = apply_event(facts.status, CaseEvent.CLOSE, day, reason)
    agreement = agreement_of(uow)
    costs = close_charges(uow, agreement, case_id, number, day)
    uow.collection.save_status(case_id, status)
    uow.collection.add_event_rows(
        [
            HistoryEvent(
                case_id,
                EventKind.CLOSE,
                f"nothing is left of the claim ({reason}); {costs.text()}",
                costs.payload() | {"reason": reason.value, "to": CaseState.CLOSED.value},
            )
        ],
        day,
        "creditor",
    )
    return True


@dataclass(frozen=True, slots=True)
class LegalClaimLine:
    invoice_number: int
    description: str
    issue_date: date
    due_date: date
    principal: Decimal  # what is open


@dataclass(frozen=True, slots=True)
class LegalClaim:
    """The claim as handed to legal collection: for the conciliation board (forliksklage)."""

    case_number: int
    day: date
    creditor: Party
    collector: Party | None
    debtor: Party
    debtor_is_business: bool
    lines: tuple[LegalClaimLine, ...]
    interest_rate: Decimal  # percent a year on `day`
    interest_from: date  # the earliest day interest runs from
    interest: Decimal  # accrued up to `day`, not yet paid
    fees: Decimal  # reminder and notice fees (and standard compensation) not yet paid
    salaer: Decimal
    demand_fee: Decimal  # the creditor's own demand fee not yet paid (inndrivingskostnader)
    letters: tuple[tuple[str, date, date | None], ...]  # (kind, day, deadline)
    demand_date: date
    legal_steps_latest: date

    @property
    def principal(self) -> Decimal:
        return sum((x.principal for x in self.lines), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.principal + self.fees + self.interest + self.salaer + self.demand_fee


def hand_to_legal(
    number: int,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
) -> LegalClaim:
    """Move a case in collection to legal collection and give the claim to export."""
    today, actor = scope.business_date, str(scope.actor)
    with uow_factory(scope) as uow:
        company = uow.company.current()
        case_id, status, facts = numbered_case(uow, number, today)
        changed = apply_event(status, CaseEvent.TO_LEGAL, today)
        if status.letter_asked_on is not None:  # after an objection, or 6 months (issue 12)
            raise RuleViolation(
                f"case: a new payment demand was asked for on {status.letter_asked_on} and "
                "is not sent yet; the run sends it, and legal steps wait for its deadline"
            )
        demand = facts.last_letter(LetterKind.PAYMENT_DEMAND)
        if demand is None or demand.deadline is None or today <= demand.deadline:
            raise RuleViolation(
                "case: the payment demand's deadline has not passed"
                + (f" (it is {demand.deadline})" if demand and demand.deadline else "")
            )
        latest = legal_steps_latest(demand.day)
        if today > latest:
            raise RuleViolation(
                f"case: legal steps had to start by {latest}, 6 months after the payment "
                "demand (inkassoloven § 11); send a new payment demand first"
            )
        agreement = agreement_of(uow)
        details = uow.collection.case_details([case_id])[case_id]
        charges = uow.collection.open_charges(number)
        interest = interest_not_charged(facts, today, book) + charges.get(
            ChargeKind.INTEREST.value, Decimal(0)
        )
        claim = LegalClaim(
            case_number=number,
            day=today,
            creditor=creditor_party(company),
            collector=collector_named(agreement, facts.collector_name)
            if facts.collector_name
            else None,
            debtor=details.debtor,
            debtor_is_business=facts.business,
            lines=tuple(
                LegalClaimLine(i.number, i.description, i.issue_date, i.due_date, i.open_amount)
                for i in details.invoices
                if i.open_amount > 0
            ),
            interest_rate=book.forsinkelsesrente.at(today).value,
            interest_from=interest_from(min(c.due_date for c in facts.claims)),
            interest=interest,
            # The own demand fee is a collection cost, not a fee (forskriften § 1-2 (3)).
            fees=sum((i.fees_open for i in details.invoices), Decimal(0)),
            salaer=details.salaer_open,
            demand_fee=sum((i.demand_fee_open for i in details.invoices), Decimal(0)),
            letters=tuple((x.kind.value, x.day, x.deadline) for x in facts.letters),
            demand_date=demand.day,
            legal_steps_latest=latest,
        )
        uow.collection.save_status(case_id, changed)
        uow.collection.add_events(
            [case_id],
            today,
            actor,
            EventKind.TO_LEGAL,
            f"handed to legal collection; claim {claim.total}",
            {"claim": amount(claim.total)},
        )
        uow.commit()
    return claim
