"""The company's ledger for a period as a SAF-T Financial 1.30 file (docs/saft.md): the
header, the accounts used with their standard mapping and balances, the customers with
their receivable balances, and every voucher of the period with its lines. The vouchers are
read in chunks while the file is written, so a large ledger is never held whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.errors import InvalidInput
from fordring.domain.ledger import ACCOUNTS, RECEIVABLES
from fordring.domain.saft import (
    ExportAccount,
    ExportCustomer,
    ExportHeader,
    ExportLine,
    ExportVoucher,
)
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope

CHUNK = 2_000
ZERO = Decimal(0)

SaftWriter = Callable[
    [ExportHeader, Sequence[ExportAccount], Sequence[ExportCustomer], Iterable[ExportVoucher]],
    None,
]


@dataclass(frozen=True, slots=True)
class SaftExportResult:
    start: date
    end: date
    vouchers: int
    accounts: int
    customers: int


def export_saft(
    start: date,
    end: date,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    write: SaftWriter,
    software_version: str,
) -> SaftExportResult:
    """Write the ledger dated `start`..`end` with `write`, in one read transaction."""
    if end < start:
        raise InvalidInput.one("to", f"{end} is before --from {start}", code="out_of_range")
    with uow_factory(scope) as uow:
        company = uow.company.current()
        count, debit, credit = uow.ledger.period_totals(start, end)
        header = ExportHeader(
            orgnr=company.orgnr,
            name=company.name,
            address=company.address,
            bank_account=company.account,
            vat_registered=company.vat_registered,
            created=scope.business_date,
            start=start,
            end=end,
            software_version=software_version,
            entries=count,
            total_debit=debit,
            total_credit=credit,
        )
        accounts = _accounts(uow, start, end)
        customers = _customers(uow, start, end)
        numbers = {c_id: c.number for c_id, c in customers.items()}
        write(header, accounts, list(customers.values()), _vouchers(uow, start, end, numbers))
    return SaftExportResult(start, end, count, len(accounts), len(customers))


def _accounts(uow: UnitOfWork, start: date, end: date) -> list[ExportAccount]:
    opening = {
        line.account: line.balance for line in uow.ledger.trial_balance(start - timedelta(1))
    }
    closing = {line.account: line.balance for line in uow.ledger.trial_balance(end)}
    return [
        ExportAccount(a, ACCOUNTS.get(a, a), opening.get(a, ZERO), closing.get(a, ZERO))
        for a in sorted(set(opening) | set(closing))
    ]


def _customers(uow: UnitOfWork, start: date, end: date) -> dict[int, ExportCustomer]:
    opening = uow.ledger.customer_balances(start - timedelta(1))
    closing = uow.ledger.customer_balances(end)
    found: dict[int, ExportCustomer] = {}
    for c in uow.customers.list():
        assert c.id is not None
        found[c.id] = ExportCustomer(
            c.number,
            c.name,
            c.orgnr,
            c.address,
            c.email,
            c.phone,
            opening.get(c.id, ZERO),
            closing.get(c.id, ZERO),
        )
    return found


def _vouchers(
    uow: UnitOfWork, start: date, end: date, numbers: dict[int, int]
) -> Iterator[ExportVoucher]:
    after = 0
    while True:
        chunk = uow.ledger.vouchers_in(start, end, after, CHUNK)
        if not chunk:
            return
        ids = sorted({p.invoice_id for v in chunk for p in v.postings if p.invoice_id})
        invoices = uow.ledger.invoice_references(ids)
        for v in chunk:
            lines: list[ExportLine] = []
            for p in v.postings:
                ref = invoices.get(p.invoice_id) if p.invoice_id is not None else None
                customer_id = p.customer_id or (ref[3] if ref else None)
                named = ref is not None and p.account == RECEIVABLES
                lines.append(
                    ExportLine(
                        p.account,
                        p.amount,
                        p.text,
                        numbers.get(customer_id) if customer_id is not None else None,
                        ref[0] if named and ref else None,
                        ref[1] if named and ref else None,
                        ref[2] if named and ref else None,
                    )
                )
            assert v.number is not None
            yield ExportVoucher(v.number, v.type_code, v.date, v.text, tuple(lines))
        last = chunk[-1].number
        assert last is not None
        after = last
