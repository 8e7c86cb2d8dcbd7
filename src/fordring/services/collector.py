"""A collector serving many creditors (SPEC: one installation can be a collector): adding
one, serving a creditor, the KIDs of a served creditor's cases (unique per client account)
and the collector's queue of payments no creditor's KID claimed, assigned by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from fordring.domain.collection.agreement import Agreement, PayTo, as_settings, with_settings
from fordring.domain.collection.registration import NewCase
from fordring.domain.collector import (
    CREDITOR_DIGITS,
    Collector,
    ServedCreditor,
    client_case_kid,
    client_case_of,
    new_collector,
)
from fordring.domain.collector import KID_LENGTH as CLIENT_KID_LENGTH
from fordring.domain.company import Company
from fordring.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation
from fordring.domain.identifiers import BankAccount, Orgnr, parse_account, parse_orgnr
from fordring.domain.law.tables import RateBook
from fordring.domain.payments import Channel, MatchItem
from fordring.services.collector_ports import ClientPayment
from fordring.services.payment_posting import Incoming, book_payments
from fordring.services.payments import manual_match
from fordring.services.ports import GlobalUnitOfWork, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class NewCollector:
    """What `collector add` was given: the identifiers checked at the edge
    (`parse_party_ids`), the texts checked by `new_collector`."""

    orgnr: Orgnr
    name: str
    accounts: tuple[BankAccount, ...]
    licence: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class CollectorView:
    collector: Collector
    creditors: list[ServedCreditor]
    queued: int


def add_collector(cmd: NewCollector, uow_factory: UnitOfWorkFactory) -> Collector:
    found = new_collector(
        orgnr=cmd.orgnr,
        name=cmd.name,
        accounts=cmd.accounts,
        licence=cmd.licence,
        street=cmd.street,
        postcode=cmd.postcode,
        city=cmd.city,
        phone=cmd.phone,
        email=cmd.email,
    )
    with uow_factory.unscoped() as uow:
        if uow.collectors.by_orgnr(found.orgnr) is not None:
            raise InvalidInput.one("orgnr", f"a collector with {found.orgnr} exists", code="exists")
        owners = uow.collectors.account_owner(found.accounts)
        if owners:
            raise InvalidInput.one(
                "account",
                ", ".join(f"{a} is already {o}'s client account" for a, o in owners.items()),
                code="exists",
            )
        new_id = uow.collectors.add(found)
        uow.commit()
    return replace(found, id=new_id)


def resolve_collector(uow: GlobalUnitOfWork, orgnr: str | None) -> Collector:
    """The collector named by `--collector`, or the only one there is (the CLI's edge)."""
    if orgnr:
        found = uow.collectors.by_orgnr(parse_orgnr(orgnr, "collector"))
        if found is None:
            raise InvalidInput.one("collector", f"no collector with organisation number {orgnr}")
        return found
    collectors = uow.collectors.all()
    if len(collectors) == 1:
        return collectors[0]
    if not collectors:
        raise RuleViolation("collector: no collector yet; add one with `fordring collector add`")
    listed = ", ".join(f"{c.orgnr} {c.name}" for c in collectors)
    raise InvalidInput.one("collector", f"several collectors ({listed}); choose with --collector")


def collector_id(found: Collector) -> int:
    assert found.id is not None, "a stored collector has an id"
    return found.id


def show_collector(orgnr: str | None, uow_factory: UnitOfWorkFactory) -> CollectorView:
    with uow_factory.unscoped() as uow:
        found = resolve_collector(uow, orgnr)
        cid = collector_id(found)
        return CollectorView(found, uow.collectors.creditors(cid), len(uow.collectors.queued(cid)))


def creditor_by_orgnr(uow: GlobalUnitOfWork, orgnr: str) -> Company:
    company = uow.companies.by_orgnr(parse_orgnr(orgnr, "creditor"))
    if company is None:
        raise InvalidInput.one("creditor", f"no company with organisation number {orgnr}")
    return company


def serve_creditor(
    creditor_orgnr: str,
    collector_orgnr: str | None,
    day: date,
    uow_factory: UnitOfWorkFactory,
    account: str | None = None,
) -> ServedCreditor:
    """The collector takes on a creditor: the creditor's agreement names the collector and
    its client account (debtors pay there with case KIDs unique per client account). Open
    cases keep their KIDs and are claimed; one another creditor has refuses. Served again
    after a stop, the creditor keeps its number.
    The collector's tables through the unscoped unit of work; the creditor's agreement
    within its scope, in the same transaction."""
    with uow_factory.unscoped() as uow:
        found = resolve_collector(uow, collector_orgnr)
        cid = collector_id(found)
        company = creditor_by_orgnr(uow, creditor_orgnr)
        assert company.id is not None
        pay_to = parse_account(account, "account") if account else found.accounts[0]
        if pay_to not in found.accounts:
            raise InvalidInput.one("account", f"{pay_to} is not a client account of {found.name}")
        if (member := uow.collectors.membership(company.id)) is not None:
            if member[2] is None:
                whose = "this collector" if member[0] == cid else "another collector"
                raise RuleViolation(f"creditor: {company.name} is already served by {whose}")
            if member[0] != cid:
                raise RuleViolation(
                    f"creditor: {company.name} was served by another collector until "
                    f"{member[2]}; moving a creditor between collectors is not built yet"
                )
        with uow.within(company.id, business_date=day) as creditor:
            stored = with_settings(Agreement(), creditor.collection.settings())
        # From now on every open case's letters ask for payment to the client account with
        # the case's KID (its invoice's own KID, for a case opened paid to the creditor):
        # each must be this creditor's alone there.
        kids = list(dict(reversed(uow.collectors.open_case_kids(company.id))).items())
        claimed = uow.collectors.taken_kids(cid, [k for k, _ in kids])
        taken = {k: c for k, c in claimed.items() if c != company.id}
        kids = [(k, c) for k, c in kids if k not in claimed]
        if taken:
            raise RuleViolation(
                "creditor: the case KIDs "
                + ", ".join(sorted(taken))
                + f" are another creditor's at {found.name}; a payment with them could not be"
                " routed (close those cases or let the creditor collect them itself)"
            )
        number = uow.collectors.serve(cid, company.id, day)
        _refuse_invoice_kids_of_cases(uow, company, number)
        uow.collectors.register_kids(cid, company.id, kids)
        with uow.within(company.id, business_date=day) as creditor:
            _name_collector(creditor, stored, found, pay_to)
            creditor.commit()  # kept when the whole transaction commits
        uow.commit()
    return ServedCreditor(company.id, company.orgnr, company.name, number)


def _refuse_invoice_kids_of_cases(uow: GlobalUnitOfWork, company: Company, number: int) -> None:
    """An invoice KID given by hand in the form of the creditor's client KIDs would be a
    later case's too (issue 14): serving is refused, naming them."""
    assert company.id is not None
    prefix = f"{number:0{CREDITOR_DIGITS}d}"
    clash = [
        kid
        for kid in uow.collectors.invoice_kids(company.id, prefix, CLIENT_KID_LENGTH)
        if client_case_of(number, kid) is not None
    ]
    if clash:
        raise RuleViolation(
            f"creditor: the invoice KIDs {', '.join(clash)} have the form of the case KIDs "
            f"{company.name} would get as creditor {number}; a payment with them could not be "
            "told apart"
        )


def _name_collector(uow: UnitOfWork, stored: Agreement, found: Collector, account: str) -> None:
    """The creditor's agreement (`uow` is the creditor's scope): debtors pay to `account`;
    the collector on letters and settlements."""
    updated = with_settings(
        stored,
        {
            "pay_to": PayTo.CLIENT_ACCOUNT.value,
            "client_account": account,
            "collector_name": found.name,
            "collector_orgnr": found.orgnr,
            "collector_street": found.street,
            "collector_postcode": found.postcode,
            "collector_city": found.city,
            "collector_phone": found.phone,
            "collector_email": found.email,
        },
    )
    defaults = as_settings(Agreement())
    uow.collection.save_settings(
        {k: str(v) for k, v in as_settings(updated).items() if v != defaults[k]}
    )
    uow.collection.wake_company()


def with_client_kids(uow: UnitOfWork, agreement: Agreement, cases: list[NewCase]) -> list[NewCase]:
    """New cases of a creditor a collector serves (`uow` is its scope), paid to the client
    account, get KIDs unique per client account (`client_case_kid`); any other company's
    cases are as given."""
    served = uow.client_kids.served()
    if served is None or agreement.pay_to is not PayTo.CLIENT_ACCOUNT:
        return cases
    return [replace(c, kid=client_case_kid(served[1], c.number)) for c in cases]


def register_client_kids(
    uow: UnitOfWork, agreement: Agreement, cases: Sequence[NewCase], ids: Sequence[int]
) -> None:
    """Claim the new cases' KIDs at the scope's company's collector (its unique key refuses
    a KID twice)."""
    if agreement.pay_to is not PayTo.CLIENT_ACCOUNT or not cases:
        return
    if uow.client_kids.served() is None:
        return
    uow.client_kids.register([(c.kid, i) for c, i in zip(cases, ids, strict=True)])


def list_queue(
    collector_orgnr: str | None, uow_factory: UnitOfWorkFactory, *, everything: bool = False
) -> list[ClientPayment]:
    with uow_factory.unscoped() as uow:
        found = resolve_collector(uow, collector_orgnr)
        return uow.collectors.queued(collector_id(found), everything=everything)


@dataclass(frozen=True, slots=True)
class Assigned:
    queued: int  # the number in the collector's queue
    creditor: str  # orgnr
    payment: int  # the payment's number at the creditor
    status: str  # matched, or unmatched (in the creditor's own queue)
    invoices: str


def assign_payment(
    number: int,
    creditor_orgnr: str,
    items: Sequence[MatchItem],
    collector_orgnr: str | None,
    day: date,
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
) -> Assigned:
    """Book queued payment `number` in one served creditor's ledger: against ITEMS (a case
    or invoices of one customer) when given, else matched as a bank file's payment would
    be (unmatched: it waits in the creditor's own queue). Booked within the creditor's
    scope, in the same transaction as the queue's row."""
    parsed = list(items)
    with uow_factory.unscoped() as uow:
        found = resolve_collector(uow, collector_orgnr)
        queued = uow.collectors.queued_one(collector_id(found), number)
        if queued is None or queued.id is None:
            raise NotFound("client payment", number)
        if queued.status != "queued":
            raise RuleViolation(f"payment: payment {number} is {queued.status}, not queued")
        if queued.amount <= 0:
            raise RuleViolation(f"payment: payment {number} is a reversal; book it by hand")
        company = creditor_by_orgnr(uow, creditor_orgnr)
        assert company.id is not None
        served = uow.collectors.served_by(company.id)
        if served is None or served[0] != found.id:
            raise InvalidInput.one("creditor", f"{company.name} is not served by {found.name}")
        incoming = Incoming(
            f"{found.name} kø {number}",
            Channel.CLIENT,
            queued.amount,
            queued.received_on,
            kid=queued.kid or None,
            text=queued.text,
            payer_name=queued.payer_name,
            payer_account=queued.payer_account,
            archive_ref=queued.archive_ref,
        )
        with uow.within(company.id, business_date=day) as creditor:
            agreement = with_settings(Agreement(), creditor.collection.settings())
            forced = [manual_match(creditor, parsed)] if parsed else None
            done = book_payments(
                creditor, agreement, [incoming], book, bank_file_id=None, forced=forced
            )
            creditor.commit()  # kept when the whole transaction commits
        row = done.rows[0]
        if not uow.collectors.assign(queued.id, company.id, row.id, day):
            raise Conflict(f"payment: payment {number} was assigned by someone else first")
        uow.commit()
    return Assigned(number, company.orgnr, row.number, row.status, row.invoice_numbers)
