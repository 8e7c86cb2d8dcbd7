"""The look-alikes a bank file held for a person (issue 14): listed with the reason, then
released (booked now as the import would have booked it: matched by KID or text, or a
reversal taking back its payment) or dropped (the bank's file sent again: nothing is
booked). Each decision locks the held payment: two people deciding at once decide once.
"""

from __future__ import annotations

from dataclasses import replace

from fordring.domain.bank_files import BankTransaction
from fordring.domain.errors import Conflict, InvalidInput
from fordring.domain.law.tables import RateBook
from fordring.domain.payments import Channel
from fordring.services.collection_agreement import agreement_of
from fordring.services.payment_import import reverse_transactions
from fordring.services.payment_posting import Incoming, book_payments
from fordring.services.ports import HeldPayment, HeldStatus, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope


def list_held(
    scope: Scope, uow_factory: UnitOfWorkFactory, *, waiting_only: bool = True, limit: int = 200
) -> list[HeldPayment]:
    """The held payments (those still waiting, or every one with its decision)."""
    with uow_factory(scope) as uow:
        return uow.payments.held_listing(waiting_only=waiting_only, limit=limit)


def release_held(
    scope: Scope, number: int, uow_factory: UnitOfWorkFactory, book: RateBook
) -> HeldPayment:
    """Book held payment NUMBER as its bank file would have: the payer did pay twice."""
    day = scope.business_date
    with uow_factory(scope) as uow:
        held = _waiting(uow, number)
        agreement = agreement_of(uow)
        channel = Channel(held.channel)
        if held.amount < 0:  # money out: a reversal or a credit note
            _, booked_as = reverse_transactions(
                uow, agreement, [(_money_out(held), channel)], held.bank_file_id
            )
        else:
            done = book_payments(
                uow,
                agreement,
                [_incoming(held, channel)],
                book,
                bank_file_id=held.bank_file_id,
            )
            booked_as = done.rows[0].number
        decided = replace(
            held, status=HeldStatus.RELEASED.value, decided_on=day, payment_number=booked_as
        )
        uow.payments.decide_held(decided)
        uow.commit()
        return decided


def drop_held(scope: Scope, number: int, uow_factory: UnitOfWorkFactory) -> HeldPayment:
    """Drop held payment NUMBER: the bank sent what was booked once again; nothing is booked."""
    day = scope.business_date
    with uow_factory(scope) as uow:
        decided = replace(_waiting(uow, number), status=HeldStatus.DROPPED.value, decided_on=day)
        uow.payments.decide_held(decided)
        uow.commit()
        return decided


def _waiting(uow: UnitOfWork, number: int) -> HeldPayment:
    # Locked until commit: a second person deciding at the same moment waits, then is told.
    held = uow.payments.held(number, lock=True)
    if held is None:
        raise InvalidInput.one("held", f"no held payment number {number}")
    if held.status != HeldStatus.HELD.value:
        raise Conflict(f"held: held payment {number} is {held.status} already")
    return held


def _incoming(held: HeldPayment, channel: Channel) -> Incoming:
    return Incoming(
        held.place,
        channel,
        held.amount,
        held.received_on,
        kid=held.kid or None,
        text=held.text,
        payer_name=held.payer_name,
        payer_account=held.payer_account,
        archive_ref=held.archive_ref,
    )


def _money_out(held: HeldPayment) -> BankTransaction:
    return BankTransaction(
        held.place,
        "",  # the account it left: its channel says which
        -held.amount,
        held.received_on,
        held.kid or None,
        held.text,
        held.payer_name,
        held.payer_account,
        held.archive_ref,
        held.transaction_type,
        None,
        reversal=True,
        credit_note=held.credit_note,
    )
