"""`collector stop-serving`: a collector stops serving a creditor, recorded with the day.
Only when nothing of the creditor's is left on the client account: every client-account
payment matched and settled (its settlement account at zero) and none held for a person.
The creditor's KIDs are then no longer routed to it, and its agreement no longer names the
collector; `collector serve` serves it again later, with the same creditor number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fordring.domain.collection.agreement import Agreement, as_settings, with_settings
from fordring.domain.errors import Conflict, RuleViolation
from fordring.domain.payments import Channel
from fordring.services.collector import collector_id, creditor_by_orgnr, resolve_collector
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory

# What `collector serve` set in the creditor's agreement; back to the defaults on a stop.
SERVED_SETTINGS = (
    "pay_to",
    "client_account",
    "collector_name",
    "collector_orgnr",
    "collector_street",
    "collector_postcode",
    "collector_city",
    "collector_phone",
    "collector_email",
)


@dataclass(frozen=True, slots=True)
class Stopped:
    orgnr: str
    name: str
    number: int
    stopped_on: date


def stop_serving(
    creditor_orgnr: str, collector_orgnr: str | None, day: date, uow_factory: UnitOfWorkFactory
) -> Stopped:
    """Stop serving the creditor from `day`; refused, with the reason, while anything of
    its is unsettled on the client account."""
    with uow_factory.unscoped() as uow:
        found = resolve_collector(uow, collector_orgnr)
        cid = collector_id(found)
        company = creditor_by_orgnr(uow, creditor_orgnr)
        assert company.id is not None
        # Locked: a client-account file being routed now finishes first (and its payments
        # count below), or waits and no longer routes to this creditor.
        uow.collectors.lock_creditors(cid, company_id=company.id)
        served = uow.collectors.served_by(company.id)
        if served is None or served[0] != cid:
            raise RuleViolation(f"creditor: {company.name} is not served by {found.name}")
        with uow.within(company.id, business_date=day) as creditor:
            agreement = with_settings(Agreement(), creditor.collection.settings())
            _refuse_unsettled(creditor, company.name, agreement)
            _forget_collector(creditor, agreement)
            creditor.commit()  # kept when the whole transaction commits
        if not uow.collectors.stop(cid, company.id, day):
            raise Conflict(f"creditor: {company.name} was stopped by someone else first")
        uow.commit()
    return Stopped(company.orgnr, company.name, served[1], day)


def _refuse_unsettled(uow: UnitOfWork, name: str, agreement: Agreement) -> None:
    """`uow` is the creditor's scope: what the client account holds for it is its
    settlement account's balance (received, not yet paid out); held client-account
    payments wait for a person to decide."""
    held = [
        h
        for h in uow.payments.held_listing(waiting_only=True, limit=1000)
        if h.channel == Channel.CLIENT.value
    ]
    if held:
        raise RuleViolation(
            f"creditor: {len(held)} client-account payment(s) of {name} are held for a person "
            "(`payments held`); release or drop them first"
        )
    holds = {line.account: line.balance for line in uow.ledger.trial_balance(None)}.get(
        agreement.settlement_account
    )
    if holds:
        raise RuleViolation(
            f"creditor: {holds} of {name} on the client account is not settled (account "
            f"{agreement.settlement_account}); match and settle it (`payments list`, `run`) "
            "before the collector stops serving it"
        )


def _forget_collector(uow: UnitOfWork, agreement: Agreement) -> None:
    """Debtors pay the creditor again (`pay_to` back to its default, the creditor); the
    collector is no longer on its letters."""
    defaults = as_settings(Agreement())
    kept = {k: v for k, v in as_settings(agreement).items() if k not in SERVED_SETTINGS}
    uow.collection.save_settings({k: str(v) for k, v in kept.items() if v != defaults[k]})
    uow.collection.wake_company()
