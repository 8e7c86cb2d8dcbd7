"""Settlement (SPEC P5): on each banking day, what the client account received and
matched before that day is paid out to the creditor, with a statement and postings.

`settle_day` runs inside the daily run's transaction (a day is settled once: one
settlement per company and day). The statement's PDF and CSV are written after the
commit (`write_settlement_documents`), like the letters, and can be written again from
the stored settlement at any time (`settlement show`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Protocol

from fordring.domain.calendar import is_banking_day
from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput
from fordring.domain.settlement import (
    SettledPayment,
    Settlement,
    SettlementAccounts,
    SettlementParty,
    SettlementSummary,
    settlement_voucher,
)
from fordring.services.ports import PaymentView, SettlementRecord, UnitOfWork, UnitOfWorkFactory
from fordring.services.posting import post_voucher
from fordring.services.scope import Actor, Scope


class SettlementRenderer(Protocol):
    def pdf(self, settlement: Settlement) -> bytes: ...
    def csv(self, settlement: Settlement) -> bytes: ...


class DocumentArchive(Protocol):
    def put(self, name: str, content: bytes) -> str:
        """Store a document under `name` (a relative path); returns where it is."""
        ...


def _parties(company: Company, agreement: Agreement) -> tuple[SettlementParty, SettlementParty]:
    creditor = SettlementParty(company.name, company.orgnr, company.account)
    collector = SettlementParty(
        agreement.collector_name or "Inkasso (ikke navngitt)",
        agreement.collector_orgnr,
        agreement.client_account,
    )
    return creditor, collector


def settled_payment(view: PaymentView) -> SettledPayment:
    r = view.row
    return SettledPayment(
        payment_id=r.id,
        received_on=r.received_on,
        kid=r.kid,
        payer=r.payer_name,
        customer_number=view.customer_number,
        customer_name=view.customer_name,
        case_number=view.case_number,
        invoice_numbers=view.invoice_numbers,
        amount=r.amount,
        principal=r.principal,
        interest=r.interest,
        fees=r.fees,
        salaer=r.salaer,
        credit=r.credit,
    )


def settle_day(
    uow: UnitOfWork, company: Company, agreement: Agreement, day: date
) -> SettlementSummary | None:
    """Settle every client-account payment matched before `day`, if `day` is a banking
    day and the company has not been settled today; the settlement, or None. What was
    received is read from the ledger (the payments' postings on the intermediate
    account), so a payment whose voucher was reversed pays nothing out; the payments are
    marked in one statement, whatever their number."""
    if not is_banking_day(day) or uow.payments.settlement_on(day) is not None:
        return None
    totals = uow.money.unsettled_totals(day, agreement.settlement_account)
    if not totals.payments:
        return None
    creditor, collector = _parties(company, agreement)
    number = uow.series.take("settlement")
    found = SettlementSummary(
        number, day, creditor, collector, totals.payments, totals.received, totals.kept
    )
    accounts = SettlementAccounts(
        agreement.bank_account, agreement.settlement_account, agreement.salaer_account
    )
    voucher = settlement_voucher(found, accounts)
    voucher_id = None
    if voucher is not None:  # a payment and its reversal net to nothing: no voucher
        voucher_id = post_voucher(uow, voucher).id
    settlement_id = uow.payments.add_settlement(
        number, day, (totals.payments, found.received, found.kept, found.paid_out), voucher_id
    )
    uow.money.mark_settled(day, settlement_id)
    return found


@dataclass(frozen=True, slots=True)
class SettlementShown:
    record: SettlementRecord
    settlement: Settlement


def load_settlement(uow: UnitOfWork, company: Company, number: int) -> SettlementShown:
    record = uow.payments.settlement(number)
    if record is None:
        raise InvalidInput.one("settlement", f"no settlement number {number}", code="not_found")
    agreement = with_settings(Agreement(), uow.collection.settings())
    creditor, collector = _parties(company, agreement)
    payments = [settled_payment(v) for v in uow.payments.settled_payments(record.id)]
    return SettlementShown(
        record, Settlement(record.number, record.day, creditor, collector, tuple(payments))
    )


def settled_lines(settlement: Settlement) -> list[dict[str, object]]:
    """The statement's lines as plain data (CLI and API)."""
    return [
        {
            "received_on": p.received_on,
            "kid": p.kid,
            "payer": p.payer,
            "customer": p.customer_number,
            "case": p.case_number,
            "invoices": list(p.invoice_numbers),
            "amount": p.amount,
            "principal": p.principal,
            "interest": p.interest,
            "fees": p.fees,
            "salaer": p.salaer,
            "credit": p.credit,
            "paid_out": p.paid_out,
        }
        for p in settlement.payments
    ]


def list_settlements(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    after: int | None = None,
    limit: int | None = None,
) -> list[SettlementRecord]:
    """The settlements by number; those after `after`, at most `limit` (the API's pages)."""
    with uow_factory(scope) as uow:
        return uow.payments.settlements(after=after, limit=limit)


def show_settlement(scope: Scope, number: int, uow_factory: UnitOfWorkFactory) -> SettlementShown:
    with uow_factory(scope) as uow:
        return load_settlement(uow, uow.company.current(), number)


@dataclass(frozen=True, slots=True)
class SettlementPage:
    """A settlement's totals (its record) and a page of its payments (`settlement` holds
    only those: its own sums are the page's, not the settlement's)."""

    record: SettlementRecord
    settlement: Settlement
    next_after: int | None  # the last payment number shown, when more follow


def show_settlement_page(
    scope: Scope,
    number: int,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int = 200,
) -> SettlementPage:
    """Settlement `number` with its payments after payment number `after`, `limit` of them
    (a day of thousands is not read whole to show a page); InvalidInput (not_found) if the
    company has no such settlement."""
    with uow_factory(scope) as uow:
        record = uow.payments.settlement(number)
        if record is None:
            raise InvalidInput.one("settlement", f"no settlement number {number}", code="not_found")
        agreement = with_settings(Agreement(), uow.collection.settings())
        creditor, collector = _parties(uow.company.current(), agreement)
        views = uow.payments.settled_payments(record.id, after=after, limit=limit + 1)
    lines = tuple(settled_payment(v) for v in views[:limit])
    more = len(views) > limit
    return SettlementPage(
        record,
        Settlement(record.number, record.day, creditor, collector, lines),
        views[limit - 1].row.number if more else None,
    )


def document_names(company: Company, number: int) -> tuple[str, str]:
    base = f"settlements/{company.orgnr}/oppgjor-{number}"
    return f"{base}.pdf", f"{base}.csv"


def write_settlement_documents(
    uow_factory: UnitOfWorkFactory,
    renderer: SettlementRenderer,
    archive: DocumentArchive,
    actor: Actor,
    day: date,
) -> list[str]:
    """Write the PDF and CSV of every settlement that has none yet; where they went. The
    queue spans companies (read unscoped); each company's documents in its own scope."""
    written: list[str] = []
    with uow_factory.unscoped() as global_uow:
        waiting: Sequence[tuple[int, int, int]] = global_uow.queues.unwritten_settlements()
    for cid, group in groupby(sorted(waiting, key=lambda w: (w[1], w[0])), key=lambda w: w[1]):
        with uow_factory(Scope(cid, actor, day)) as uow:
            company = uow.company.current()
            for settlement_id, _, number in group:
                shown = load_settlement(uow, company, number)
                pdf_name, csv_name = document_names(company, number)
                pdf = archive.put(pdf_name, renderer.pdf(shown.settlement))
                csv = archive.put(csv_name, renderer.csv(shown.settlement))
                uow.payments.mark_written(settlement_id, pdf, csv)
                written += [pdf, csv]
            uow.commit()
    return written
