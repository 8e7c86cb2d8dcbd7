"""What a day's steps write (the daily run, SPEC I5): the letters stored as data and queued
for delivery, and the fees, salær, interest and compensation booked as charges, one voucher
per case and day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case_facts import Action, CaseFacts, Charge, ChargeKind
from fordring.domain.collection.letters import Letter
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher, VoucherTypeCode
from fordring.services.debtor_access import letter_access
from fordring.services.ports import CaseDetails, NewCharge, NewDispatch, NewLetter, UnitOfWork
from fordring.services.ports.debtor_access import NewAccess
from fordring.services.posting import post_vouchers


def store_letters(
    uow: UnitOfWork,
    day: date,
    actions: list[tuple[Action, CaseFacts]],
    details: dict[int, CaseDetails],
    letters: dict[int, Letter],
    pin_key: bytes,
) -> dict[int, int]:
    """Store the day's letters as data and queue them for delivery, each with a new code
    and PIN (the PIN kept under `pin_key`); the letter id of each case that got one."""
    with_letter = [a for a, _ in actions if a.letter_kind is not None]
    ids = store_case_letters(
        uow,
        day,
        [
            (
                NewLetter(
                    a.case_id,
                    letters[a.case_id],
                    a.charge_total,
                    _letter_fees(a, details[a.case_id]),
                ),
                details[a.case_id].customer_id,
            )
            for a in with_letter
        ],
        pin_key,
    )
    return {a.case_id: letter_id for a, letter_id in zip(with_letter, ids, strict=True)}


def store_case_letters(
    uow: UnitOfWork, day: date, letters: list[tuple[NewLetter, int]], pin_key: bytes
) -> list[int]:
    """Letters to debtors (each with its customer's id) stored as data and queued for
    delivery, each with a new code and PIN for the debtor's page: the one path every
    letter takes (the run's, a payment plan's); their ids, in order."""
    if not letters:
        return []
    first_letter = uow.collection.reserve_ids("case_letter", len(letters))
    stored: list[tuple[int, NewLetter]] = []
    accesses: list[NewAccess] = []
    for offset, (new, _) in enumerate(letters):
        # every letter to the debtor prints a new code and PIN for the debtor's page
        access, printed = letter_access(new.case_id, first_letter + offset, day, pin_key)
        accesses.append(access)
        stored.append(
            (first_letter + offset, replace(new, letter=replace(new.letter, access=printed)))
        )
    uow.collection.add_letters(stored)
    uow.debtor_access.add_for_letters(accesses)
    uow.deliveries.queue(
        [
            NewDispatch(x.letter.kind.value, customer_id, day, letter_id=i)
            for (i, x), (_, customer_id) in zip(stored, letters, strict=True)
        ],
    )
    return [i for i, _ in stored]


def _letter_fees(action: Action, case: CaseDetails) -> tuple[tuple[int, Decimal, str], ...]:
    """Every open invoice on the letter with the fee it charges (0 when none) and why."""
    decided = dict(action.fees)
    rows = []
    for item in case.invoices:
        if item.open_amount <= 0:
            continue
        decision = decided.get(item.invoice_id)
        if decision is None:
            rows.append((item.invoice_id, Decimal(0), "no fee on this letter"))
        else:
            fee = decision.amount if decision.allowed else Decimal(0)
            rows.append((item.invoice_id, fee, decision.reason))
    return tuple(rows)


VOUCHER_TEXT = {
    ChargeKind.FEE: "Gebyr",
    ChargeKind.SALAER: "Inkassosalær",
    ChargeKind.INTEREST: "Forsinkelsesrente",
    ChargeKind.COMPENSATION: "Standardkompensasjon",
}


def book_charges(
    uow: UnitOfWork,
    agreement: Agreement,
    day: date,
    actions: list[Action],
    details: dict[int, CaseDetails],
    letter_ids: dict[int, int],
) -> None:
    """One voucher per case and day: debit 1500 per charge (each its own open item), credit
    the fee, salær or interest account of the agreement."""
    charged = [(a.case_id, c) for a in actions for c in a.charges]
    book_case_charges(uow, agreement, day, charged, details, letter_ids)


def book_case_charges(
    uow: UnitOfWork,
    agreement: Agreement,
    day: date,
    charged: list[tuple[int, Charge]],
    details: dict[int, CaseDetails],
    letter_ids: dict[int, int],
) -> None:
    """The charges (case id, charge) booked, one voucher per case: the one path every fee,
    salær, interest and compensation (the run's, a payment plan's addition) is booked by."""
    if not charged:
        return
    accounts = {
        ChargeKind.FEE: agreement.fee_account,
        ChargeKind.SALAER: agreement.salaer_account,
        ChargeKind.INTEREST: agreement.interest_account,
        ChargeKind.COMPENSATION: agreement.compensation_account,
    }
    first_charge = uow.collection.reserve_ids("charge", len(charged))
    by_case: dict[int, list[tuple[int, Charge]]] = {}
    for offset, (case_id, charge) in enumerate(charged):
        by_case.setdefault(case_id, []).append((first_charge + offset, charge))
    first_voucher = uow.ledger.reserve_ids(len(by_case))
    first_number = uow.series.take("voucher", len(by_case))
    vouchers: list[Voucher] = []
    charges: list[NewCharge] = []
    for offset, (case_id, case_charges) in enumerate(by_case.items()):
        case = details[case_id]
        voucher_id = first_voucher + offset
        postings = [
            Posting(RECEIVABLES, c.amount, case.customer_id, None, VOUCHER_TEXT[c.kind], charge_id)
            for charge_id, c in case_charges
        ]
        for kind in ChargeKind:
            total = sum((c.amount for _, c in case_charges if c.kind is kind), Decimal(0))
            if total:
                postings.append(Posting(accounts[kind], -total, text=VOUCHER_TEXT[kind]))
        kinds = ", ".join(dict.fromkeys(VOUCHER_TEXT[c.kind].lower() for _, c in case_charges))
        vouchers.append(
            Voucher(
                VoucherTypeCode.INTEREST_AND_FEES,
                day,
                f"{kinds.capitalize()} sak {case.number}",
                tuple(postings),
                first_number + offset,
                id=voucher_id,
            )
        )
        charges.extend(
            NewCharge(
                charge_id,
                case_id,
                c.invoice_id,
                c.kind.value,
                c.amount,
                day,
                letter_ids.get(case_id),
                voucher_id,
            )
            for charge_id, c in case_charges
        )
    # Each charge is stored open for its amount: the posting service derives nothing more.
    post_vouchers(uow, vouchers, new_charges=charges)
