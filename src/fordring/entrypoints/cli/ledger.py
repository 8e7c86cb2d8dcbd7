"""`fordring ledger vouchers|trial-balance|reverse|check` and `fordring reskontro`."""

from __future__ import annotations

from typing import Any

import click

from fordring.domain.input_rules import parse_business_date
from fordring.domain.ledger import ACCOUNTS, Voucher
from fordring.domain.reskontro import AGING_BUCKETS, AgingRow
from fordring.entrypoints.cli.options import NUMBER, WHOLE, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table, text
from fordring.services.ledger import (
    TrialBalance,
    check_ledger,
    list_vouchers,
    reverse_voucher,
    trial_balance,
)
from fordring.services.reskontro import OpenItemLine, aging, open_items, open_total


def voucher_data(v: Voucher) -> dict[str, Any]:
    return {
        "number": v.number,
        "type": v.type_code,
        "date": v.date,
        "text": v.text,
        "reverses": v.reverses_id,
        "postings": [
            {
                "account": p.account,
                "amount": p.amount,
                "customer": p.customer_id,
                "invoice": p.invoice_id,
                "text": p.text,
            }
            for p in v.postings
        ],
    }


def voucher_text(v: Voucher) -> str:
    head = f"Bilag {v.number}  {v.date}  {v.type_code}  {v.text}"
    lines = []
    for p in v.postings:
        debit = text(p.amount) if p.amount > 0 else ""
        credit = text(-p.amount) if p.amount < 0 else ""
        lines.append(f"    {p.account} {ACCOUNTS.get(p.account, ''):<40} {debit:>14} {credit:>14}")
    return "\n".join([head, *lines])


@click.group("ledger")
def ledger() -> None:
    """The general ledger: vouchers (bilag) and balances."""


@ledger.command("vouchers")
@click.option("--since", default=None, help="Only vouchers dated on or after YYYY-MM-DD.")
@click.option("--limit", type=WHOLE, default=1000, show_default=True)
@pass_globals
def vouchers(g: Globals, since: str | None, limit: int) -> None:
    """List vouchers with their postings (debit left, credit right)."""
    day = parse_business_date(since, "since") if since else None
    found = list_vouchers(scope_of(g), day, limit, g.app.uow_factory)
    g.printer.emit([voucher_data(v) for v in found], "\n".join(voucher_text(v) for v in found))


def _trial_balance_data(tb: TrialBalance) -> dict[str, Any]:
    return {
        "accounts": [
            {
                "account": line.account,
                "name": ACCOUNTS.get(line.account, ""),
                "debit": line.debit,
                "credit": line.credit,
                "balance": line.balance,
            }
            for line in tb.lines
        ],
        "debit": tb.debit,
        "credit": tb.credit,
        "balanced": tb.balanced,
    }


def trial_balance_text(tb: TrialBalance) -> str:
    data = _trial_balance_data(tb)
    rows = [
        *data["accounts"],
        {"account": "Sum", "debit": tb.debit, "credit": tb.credit, "balance": tb.debit - tb.credit},
    ]
    verdict = "balanced" if tb.balanced else "NOT BALANCED"
    columns = ["account", "name", "debit", "credit", "balance"]
    return table(rows, columns, right={"debit", "credit", "balance"}) + f"\n({verdict})"


@ledger.command("trial-balance")
@click.option("--until", default=None, help="Only vouchers dated up to YYYY-MM-DD.")
@pass_globals
def trial_balance_(g: Globals, until: str | None) -> None:
    """Debit, credit and balance per account (saldobalanse)."""
    day = parse_business_date(until, "until") if until else None
    tb = trial_balance(scope_of(g), day, g.app.uow_factory)
    g.printer.emit(_trial_balance_data(tb), trial_balance_text(tb))


@ledger.command("reverse")
@click.argument("number", type=NUMBER)
@pass_globals
def reverse(g: Globals, number: int) -> None:
    """Post a voucher that reverses voucher NUMBER (vouchers are never changed)."""
    done = reverse_voucher(number, scope_of(g), g.app.uow_factory)
    g.printer.emit(voucher_data(done), voucher_text(done))


@ledger.command("check")
@pass_globals
def check(g: Globals) -> None:
    """Check that the ledger balances, every open item equals its postings, and payments
    and settlements agree with them."""
    result = check_ledger(scope_of(g), g.app.uow_factory)
    data = {
        "ok": result.ok,
        "balanced": result.balanced,
        "reconciled": result.reconciled,
        "customer_ledger_total": result.customer_ledger_total,
        "receivables_balance": result.receivables_balance,
        "orphan_postings": result.orphan_postings,
        "charge_mismatches": [
            {"charge": n, "open_amount": o, "posted": p} for n, o, p in result.charge_mismatches
        ],
        "open_item_mismatches": [
            {"invoice": n, "open_amount": o, "posted": p} for n, o, p in result.open_item_mismatches
        ],
        "payments_agree": result.payments_agree,
        "payments_reversed_but_standing": result.payments_reversed_but_standing,
        "settlement_mismatches": [
            {"settlement": n, "received": r, "posted": p}
            for n, r, p in result.settlement_mismatches
        ],
        "intermediate_balance": result.held[0],
        "held_for_settlement": result.held[1],
        "unmatched_balance": result.queued[0],
        "unmatched_payments": result.queued[1],
        "vouchers_reversed_twice": result.reversed_twice,
        "kids_of_two_items": result.shared_kids,
    }
    human = (
        "Ledger OK: balanced, open items match their postings, and the customer ledger "
        f"({text(result.customer_ledger_total)}) equals account 1500."
        if result.ok
        else f"Ledger NOT OK: balanced={result.balanced}, reconciled={result.reconciled} "
        f"({text(result.customer_ledger_total)} vs 1500 {text(result.receivables_balance)}), "
        f"orphan postings={result.orphan_postings}, "
        f"open-item mismatches={len(result.open_item_mismatches)}, "
        f"charge mismatches={len(result.charge_mismatches)}, "
        f"payments agree with postings={result.payments_agree}"
        + "".join(
            f", {what}: {' '.join(map(str, found))}"
            for what, found in (
                ("vouchers reversed twice", result.reversed_twice),
                ("KIDs of two open items", result.shared_kids),
            )
            if found
        )
    )
    g.printer.emit(data, human)
    if not result.ok:
        raise SystemExit(1)


def aging_data(rows: list[AgingRow]) -> list[dict[str, Any]]:
    return [{"customer": r.label, "items": r.count, **r.buckets, "total": r.total} for r in rows]


def aging_text(rows: list[AgingRow], as_of: str) -> str:
    names = [b.name for b in AGING_BUCKETS]
    body = table(
        aging_data(rows), ["customer", "items", *names, "total"], right={"items", *names, "total"}
    )
    return f"Customer ledger (kundereskontro) aging as of {as_of}, days past due\n{body}"


def open_items_data(lines: list[OpenItemLine]) -> list[dict[str, Any]]:
    return [
        {
            "number": line.invoice.number,
            "customer": line.invoice.customer_number,
            "name": line.invoice.customer_name,
            "due_date": line.invoice.due_date,
            "days_past_due": line.days_past_due,
            "bucket": line.bucket,
            "kid": line.invoice.kid,
            "amount": line.invoice.total_nok,
            "open_amount": line.invoice.open_amount,
            "status": line.status,
        }
        for line in lines
    ]


@click.command("reskontro")
@click.option("--aging", "by_customer", is_flag=True, help="Aging per customer instead.")
@pass_globals
def reskontro(g: Globals, by_customer: bool) -> None:
    """Open items, oldest first; with --aging, open amounts per customer and bucket."""
    factory = g.app.uow_factory
    if by_customer:
        rows = aging(scope_of(g), g.business_date, True, factory)
        g.printer.emit(aging_data(rows), aging_text(rows, g.business_date.isoformat()))
        return
    lines = open_items(scope_of(g), g.business_date, factory)
    data = open_items_data(lines)
    columns = [
        "number",
        "customer",
        "name",
        "due_date",
        "days_past_due",
        "kid",
        "amount",
        "open_amount",
        "status",
    ]
    body = table(data, columns, right={"number", "days_past_due", "amount", "open_amount"})
    human = (
        f"Open items (kundereskontro) as of {g.business_date}\n{body}\n"
        f"{len(lines)} open items, {text(open_total(lines))} NOK open"
    )
    g.printer.emit(data, human)


COMMANDS: list[click.Command] = [ledger, reskontro]
